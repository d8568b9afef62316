import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_STEP_TYPES, renderWorkflowJsonSchema } from '../src/workflows/index.ts';

/** docs/workflow.schema.json from the zod schemas (`npm run workflow-schema`; `--check` only reports). */
export const WORKFLOW_SCHEMA_PATH = fileURLToPath(
  new URL('../../../docs/workflow.schema.json', import.meta.url),
);

export const renderWorkflowSchemaFile = () => renderWorkflowJsonSchema(BUILTIN_STEP_TYPES);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const expected = renderWorkflowSchemaFile();
  let current: string | null = null;
  try {
    current = readFileSync(WORKFLOW_SCHEMA_PATH, 'utf8');
  } catch {
    current = null;
  }
  if (current === expected) console.log('docs/workflow.schema.json is up to date');
  else if (process.argv.includes('--check')) {
    console.error('docs/workflow.schema.json is out of date; run `npm run workflow-schema`');
    process.exitCode = 1;
  } else {
    writeFileSync(WORKFLOW_SCHEMA_PATH, expected);
    console.log('wrote docs/workflow.schema.json');
  }
}
