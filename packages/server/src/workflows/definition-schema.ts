import { z } from 'zod';
import { Duration } from './duration.ts';

/** Step ids are JSONata names, so `steps.<id>` works in an expression without backticks. */
export const STEP_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Workflow names appear in URLs: lower case, digits, `-` and `_`. */
export const WORKFLOW_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;
export const STEP_TYPE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
/** A whole string that is one `{{ … }}` expression. */
const WHOLE_EXPRESSION = /^\s*\{\{[\s\S]*\}\}\s*$/;

export const MAX_STEPS = 1000;

export const StepId = z
  .string()
  .regex(STEP_ID_PATTERN, 'must start with a letter or _ and hold only letters, digits and _ (at most 64)')
  .meta({ description: 'Step id: letters, digits and _, starting with a letter or _' });

export const WorkflowName = z
  .string()
  .regex(
    WORKFLOW_NAME_PATTERN,
    'must be 1-100 characters of lower-case letters, digits, - and _, starting with a letter or digit',
  )
  .meta({ description: 'Workflow name: lower-case letters, digits, - and _' });

export const StepTypeName = z.string().regex(STEP_TYPE_PATTERN, 'must be a step type name such as http');

/** A string that is exactly one expression, e.g. `{{ input.amount > 100 }}`. */
export const ExpressionString = z
  .string()
  .regex(WHOLE_EXPRESSION, 'must be an expression written as {{ … }}')
  .meta({ description: 'A JSONata expression written as {{ … }}' });

/** A string that holds at least one expression: a template such as `Hello {{ input.name }}`. */
const TemplateString = z.string().regex(/\{\{/, 'must hold an expression {{ … }}');

/** A field that is either a literal of `schema` or a whole expression giving one at run time. */
export const orExpression = <S extends z.ZodType>(schema: S) => z.union([ExpressionString, schema]);

/** A string field: a template with expressions, or a literal that `schema` checks. */
export const templatedString = <S extends z.ZodType>(schema: S) => z.union([TemplateString, schema]);

/** Any JSON value, with expressions allowed in any of its strings. */
export const Template = z.unknown().meta({ description: 'Any value; strings may hold {{ … }} expressions' });

/** `when` and branch conditions: a boolean, or an expression read as JSONata's $boolean. */
export const Condition = z.union([z.boolean(), ExpressionString]);

const ErrorCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'must be an error code such as HTTP_404');

export const BackoffSchema = z
  .strictObject({
    initial: Duration.default('1s').meta({ description: 'Delay before the second attempt' }),
    factor: z.number().min(1).max(10).default(2).meta({ description: 'Each delay is the last times this' }),
    max: Duration.default('5m').meta({ description: 'No delay is longer than this' }),
    jitter: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .meta({ description: 'Each delay is shortened at random by up to this fraction' }),
  })
  .meta({ description: 'Exponential backoff between attempts' });

export const RetrySchema = z
  .strictObject({
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .meta({ description: 'Attempts in all, the first included' }),
    backoff: BackoffSchema.default({ initial: '1s', factor: 2, max: '5m', jitter: 0.2 }),
    nonRetryableErrors: z
      .array(ErrorCode)
      .max(100)
      .optional()
      .meta({ description: 'Error codes that fail the step at once, without another attempt' }),
  })
  .meta({ description: 'How a failed attempt is retried' });

const WithObject = z.record(z.string(), z.unknown());

/** The fields every step has; `with` is checked against the step type's own schema. */
export const StepSchema = z.strictObject({
  id: StepId,
  type: StepTypeName.meta({ description: 'The step type: transform, http, map, branch, sleep, …' }),
  needs: z
    .array(z.string())
    .max(MAX_STEPS)
    .default([])
    .meta({ description: 'Ids of the steps that must finish before this one starts' }),
  with: WithObject.default({}).meta({ description: "The step type's inputs" }),
  when: Condition.optional().meta({ description: 'Run the step only when this is true; otherwise skip it' }),
  retry: RetrySchema.optional(),
  timeout: Duration.optional().meta({ description: 'Longest time one attempt may take' }),
});

/** A step nested in another (map's `step`): no id, needs or condition of its own. */
export const NestedStepSchema = z
  .strictObject({
    type: StepTypeName,
    with: WithObject.default({}),
    retry: RetrySchema.optional(),
    timeout: Duration.optional(),
  })
  .meta({ description: 'The step to run for each item' });

/** Event names: what `POST /v1/events` sends and `on.events[].name` subscribes to. */
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
/** What an event filter expression reads: `event.name`, `event.payload`, `event.id`, `event.receivedAt`. */
export const EVENT_FILTER_ROOTS = ['event'] as const;

export const EventName = z
  .string()
  .regex(EVENT_NAME_PATTERN, 'must be 1-200 letters, digits and . _ : / -, starting with a letter or digit')
  .meta({ description: 'Event name, e.g. order.created' });

/** `on`: how runs start besides the API; the latest non-archived version's list is the one used. */
export const TriggersSchema = z
  .strictObject({
    events: z
      .array(
        z.strictObject({
          name: EventName,
          filter: ExpressionString.optional().meta({
            description: 'Start a run only when this is true; reads event.name, event.payload, event.id',
          }),
        }),
      )
      .max(50)
      .optional()
      .meta({ description: 'Tenant events (POST /v1/events) that start a run, with the payload as input' }),
  })
  .meta({ description: 'Triggers: events this workflow subscribes to' });

/** The input JSON Schema is checked by ajv (input-schema.ts); here it only has to be an object. */
export const InputSchemaField = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A JSON Schema (draft 2020-12) every run input is validated against' });

export const WorkflowSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: 'The JSON Schema of this format, for editors' }),
  name: WorkflowName,
  description: z.string().max(2000).optional(),
  input: InputSchemaField.optional(),
  output: Template.optional().meta({
    description: "The run's output: any value, with expressions over input and steps",
  }),
  timeout: Duration.optional().meta({
    description: 'Longest time a run may take from its start; then it ends as timed_out',
  }),
  on: TriggersSchema.optional(),
  steps: z.array(StepSchema).min(1).max(MAX_STEPS),
});

export type StepDefinition = z.output<typeof StepSchema>;
export type NestedStepDefinition = z.output<typeof NestedStepSchema>;
export type RetryPolicy = z.output<typeof RetrySchema>;
/** A valid definition with defaults filled in: what a version stores and hashes. */
export type WorkflowDefinition = Omit<z.output<typeof WorkflowSchema>, '$schema'>;
