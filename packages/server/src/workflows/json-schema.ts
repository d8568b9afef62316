import { z } from 'zod';
import { MAX_STEPS, NestedStepSchema, StepSchema, WorkflowSchema } from './definition-schema.ts';
import type { StepTypeSpec } from './step-type.ts';

/**
 * The JSON Schema of the definition format, for editors (docs/workflow.schema.json). It is
 * generated from the same zod schemas that validate, with each step's `with` chosen by its
 * `type`. Checks that span steps (needs, cycles, expressions) are the validator's alone.
 */
export function buildWorkflowJsonSchema(specs: readonly StepTypeSpec[]): Record<string, unknown> {
  // A nested step (map's `step`) is also offered per type: one variant per step type.
  const nestedVariants = specs.map((spec) =>
    NestedStepSchema.extend({
      type: z.literal(spec.type).meta({ description: spec.description }),
      with: withField(spec),
    }),
  );
  const nestedStep = z.discriminatedUnion('type', nonEmpty(nestedVariants));
  const variants = specs.map((spec) => {
    let withSchema: z.ZodType = spec.with;
    const fields = spec.nestedSteps ?? [];
    if (fields.length > 0 && spec.with instanceof z.ZodObject) {
      withSchema = spec.with.extend(Object.fromEntries(fields.map(({ field }) => [field, nestedStep])));
    }
    return StepSchema.extend({
      type: z.literal(spec.type).meta({ description: spec.description }),
      with: withSchema === spec.with ? withField(spec) : withSchema,
    }).meta({ title: `${spec.type} step` });
  });
  const schema = WorkflowSchema.extend({
    steps: z
      .array(z.discriminatedUnion('type', nonEmpty(variants)))
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

/** A type whose `with` may be left out entirely (every field optional) gets an optional `with`. */
const withField = (spec: StepTypeSpec) =>
  spec.with.safeParse({}).success ? spec.with.optional() : spec.with;

function nonEmpty<T>(items: T[]): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error('at least one step type is needed');
  return [first, ...rest];
}

/** The committed file's text: 2-space JSON with a trailing newline. */
export const renderWorkflowJsonSchema = (specs: readonly StepTypeSpec[]): string =>
  `${JSON.stringify(buildWorkflowJsonSchema(specs), null, 2)}\n`;
