import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  validateWorkflowSource,
} from '../../src/workflows/index.ts';
import { renderWorkflowSchemaFile, WORKFLOW_SCHEMA_PATH } from '../../scripts/workflow-schema.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => void;

function publishedSchemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(WORKFLOW_SCHEMA_PATH, 'utf8')) as object);
}

const examples = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => [file, readFileSync(join(EXAMPLES, file), 'utf8')] as const);

/** The YAML blocks of docs/workflows.md that are whole workflows (they start with `name:`). */
const docBlocks = [
  ...readFileSync(join(ROOT, 'docs/workflows.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g),
]
  .map((match) => match[1] ?? '')
  .filter((block) => /^name: /m.test(block) && !block.startsWith('# invalid'));

describe('the published JSON Schema and the examples', () => {
  it('docs/workflow.schema.json is generated from the zod schemas (run `npm run workflow-schema`)', () => {
    expect(readFileSync(WORKFLOW_SCHEMA_PATH, 'utf8')).toBe(renderWorkflowSchemaFile());
  });

  it('there are sample workflows to start from', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)('examples/%s is a valid workflow', (_file, text) => {
    const result = validateWorkflowSource(text, 'yaml', { stepTypes });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it.each(examples)('examples/%s also passes the published JSON Schema', (_file, text) => {
    const validate = publishedSchemaValidator();
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('docs/workflows.md has an example for every step type, and each one is valid', () => {
    const types = new Set(
      docBlocks.flatMap((block) => [...block.matchAll(/type: ([a-z.]+)/g)].map((m) => m[1])),
    );
    for (const { type } of BUILTIN_STEP_TYPES) expect(types, type).toContain(type);
    for (const block of docBlocks) {
      const result = validateWorkflowSource(block, 'yaml', { stepTypes });
      expect(result.ok ? [] : result.problems, block).toEqual([]);
    }
  });

  it("the published schema picks each step's with by its type", () => {
    const validate = publishedSchemaValidator();
    const workflow = (step: Record<string, unknown>) => ({ name: 'x', steps: [{ id: 'a', ...step }] });
    expect(validate(workflow({ type: 'sleep', with: { duration: '5s' } }))).toBe(true);
    expect(validate(workflow({ type: 'http', with: { duration: '5s' } }))).toBe(false);
    expect(validate(workflow({ type: 'teleport', with: {} }))).toBe(false);
    expect(validate({ ...workflow({ type: 'sleep', with: { duration: '5s' } }), colour: 'blue' })).toBe(
      false,
    );
    // A map's inner step is checked by its own type too.
    const mapOf = (step: Record<string, unknown>) => workflow({ type: 'map', with: { items: [1], step } });
    expect(validate(mapOf({ type: 'sleep', with: { duration: '5s' } }))).toBe(true);
    expect(validate(mapOf({ type: 'sleep', with: { url: 'https://x.example' } }))).toBe(false);
    expect(validate(mapOf({ type: 'teleport' }))).toBe(false);
  });
});
