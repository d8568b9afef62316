import { z } from 'zod';
import { MAX_STEPS, StepSchema, WorkflowSchema } from './definition-schema.ts';
import type { StepTypeSpec } from './step-type.ts';

/**
 * The JSON Schema of the definition format, for editors (docs/workflow.schema.json). It is
 * generated from the same zod schemas that validate, with each step's `with` chosen by its
 * `type`. Checks that span steps (needs, cycles, expressions) are the validator's alone.
 */
export function buildWorkflowJsonSchema(specs: readonly StepTypeSpec[]): Record<string, unknown> {
  const variants = specs.map((spec) =>
    StepSchema.extend({
      type: z.literal(spec.type).meta({ description: spec.description }),
      with: spec.with.safeParse({}).success ? spec.with.optional() : spec.with,
    }).meta({ title: `${spec.type} step` }),
  );
  const [first, ...rest] = variants;
  if (!first) throw new Error('at least one step type is needed');
  const schema = WorkflowSchema.extend({
    steps: z
      .array(z.discriminatedUnion('type', [first, ...rest]))
      .min(1)
      .max(MAX_STEPS)
      .meta({ description: 'The steps; they form a DAG through needs' }),
  });
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const { $schema, ...body } = json as Record<string, unknown>;
  return {
    $schema,
    title: 'Shoal workflow definition',
    description:
      'A Shoal workflow (docs/workflows.md). Strings in with, when and output may hold JSONata expressions written as {{ … }}.',
    ...body,
  };
}

/** The committed file's text: 2-space JSON with a trailing newline. */
export const renderWorkflowJsonSchema = (specs: readonly StepTypeSpec[]): string =>
  `${JSON.stringify(buildWorkflowJsonSchema(specs), null, 2)}\n`;
