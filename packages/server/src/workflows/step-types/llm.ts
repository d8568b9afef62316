import { z } from 'zod';
import { orExpression, templatedString } from '../definition-schema.ts';
import { compileInputSchema } from '../input-schema.ts';
import { defineStepType, type StepTypeProblem } from '../step-type.ts';

export const LLM_MESSAGE_ROLES = ['system', 'user', 'assistant'] as const;
export const LLM_TOOL_CHOICES = ['auto', 'none', 'required'] as const;
/** The quality tiers of model aliases (gateway/alias-spec.ts). */
export const LLM_MIN_TIER = 1;
export const LLM_MAX_TIER = 5;
/** How often a chat step may re-ask for output that does not match its schema. */
export const LLM_MAX_OUTPUT_RETRIES = 3;
export const LLM_DEFAULT_OUTPUT_RETRIES = 1;
export const LLM_MAX_MESSAGES = 500;
export const LLM_MAX_EMBED_INPUTS = 2048;
export const LLM_MAX_DIMENSIONS = 8192;
/** Longest text of one message, prompt or embedding input, in characters. */
export const LLM_MAX_TEXT = 1_000_000;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const Text = z.string().min(1).max(LLM_MAX_TEXT);
const ModelRef = templatedString(z.string().min(1).max(200)).meta({
  description: 'A model alias of the tenant, provider/model, or a model name one provider offers',
});

const Message = z.strictObject({
  role: z.enum(LLM_MESSAGE_ROLES),
  content: templatedString(Text),
});

const ToolDefinition = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(FUNCTION_NAME, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().max(1024).optional(),
    parameters: z.record(z.string(), z.unknown()).optional().meta({ description: 'A JSON Schema object' }),
    strict: z.boolean().optional(),
  }),
});

const ToolChoice = z.union([
  z.enum(LLM_TOOL_CHOICES),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
]);

const OutputSpec = z.strictObject({
  schema: z
    .record(z.string(), z.unknown())
    .meta({ description: 'JSON Schema (draft 2020-12) the answer must parse as and match' }),
  name: z
    .string()
    .regex(FUNCTION_NAME, 'must be 1-64 letters, digits, _ or -')
    .default('output')
    .meta({ description: 'The name of the schema as sent to the model' }),
  retries: z
    .number()
    .int()
    .min(0)
    .max(LLM_MAX_OUTPUT_RETRIES)
    .default(LLM_DEFAULT_OUTPUT_RETRIES)
    .meta({ description: 'Times to re-ask, with the validation errors, when the answer does not match' }),
});

/** Problems of an `output.schema`, relative to `with` (checked without the rest of the workflow). */
function outputSchemaProblems(schema: unknown): StepTypeProblem[] {
  const compiled = compileInputSchema(schema);
  if (compiled.ok) return [];
  return compiled.issues.map((issue) => ({
    code: 'WITH_INVALID',
    message: `Output schema ${issue.message}`,
    path: ['output', 'schema', ...issue.path],
  }));
}

/** `with` of an llm.chat step; the executor parses the evaluated `with` with it too. */
export const LlmChatWith = z
  .strictObject({
    model: ModelRef,
    prompt: templatedString(Text).optional().meta({ description: 'Sent as one user message' }),
    system: templatedString(Text).optional().meta({ description: 'A system message before the prompt' }),
    messages: orExpression(z.array(Message).min(1).max(LLM_MAX_MESSAGES))
      .optional()
      .meta({ description: 'The conversation, instead of prompt' }),
    maxTokens: orExpression(z.number().int().min(1).max(1_000_000)).optional(),
    temperature: orExpression(z.number().min(0).max(2)).optional(),
    tier: z
      .number()
      .int()
      .min(LLM_MIN_TIER)
      .max(LLM_MAX_TIER)
      .optional()
      .meta({ description: "Lowest quality tier acceptable among an alias's candidates" }),
    cache: z.boolean().optional().meta({ description: "Use the tenant's response cache for this call" }),
    tools: z
      .array(ToolDefinition)
      .min(1)
      .max(128)
      .optional()
      .meta({ description: 'OpenAI tool definitions' }),
    toolChoice: ToolChoice.optional(),
    output: OutputSpec.optional(),
  })
  .superRefine((w, ctx) => {
    if ((w.prompt === undefined) === (w.messages === undefined))
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of prompt or messages', path: [] });
    if (w.system !== undefined && w.messages !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'goes with prompt; with messages, start them with a message of role system',
        path: ['system'],
      });
    if (w.toolChoice !== undefined && w.tools === undefined)
      ctx.addIssue({ code: 'custom', message: 'needs tools', path: ['toolChoice'] });
    if (w.output !== undefined && w.tools !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'cannot be combined with tools: a tool call is not a JSON answer to validate',
        path: ['output'],
      });
  });
export type LlmChatWithValue = z.output<typeof LlmChatWith>;

export const llmChatStep = defineStepType({
  type: 'llm.chat',
  description:
    'Calls a chat model through the LLM gateway (routing, fallbacks, budgets, metering). Give `prompt` ' +
    '(one user message, with an optional `system`) or `messages`. With `output.schema` the answer must be ' +
    'JSON matching the schema; the step re-asks `output.retries` times with the errors, then fails with ' +
    'LLM_OUTPUT_INVALID. Outputs { text, json (with output.schema), toolCalls: [{ id, name, arguments }], ' +
    'finishReason, model, provider, usage: { promptTokens, completionTokens, cachedTokens }, costMicroUsd, ' +
    'cacheHit, simulated, callId, replayed }; usage and cost add up every call of the step.',
  with: LlmChatWith,
  check: (value) => (value.output ? outputSchemaProblems(value.output.schema) : []),
});

/** `with` of an llm.embed step; the executor parses the evaluated `with` with it too. */
export const LlmEmbedWith = z.strictObject({
  model: ModelRef,
  input: z
    .union([templatedString(Text), z.array(templatedString(Text)).min(1).max(LLM_MAX_EMBED_INPUTS)])
    .meta({ description: 'A text, a list of texts, or an expression giving either' }),
  dimensions: orExpression(z.number().int().min(1).max(LLM_MAX_DIMENSIONS)).optional(),
});
export type LlmEmbedWithValue = z.output<typeof LlmEmbedWith>;

export const llmEmbedStep = defineStepType({
  type: 'llm.embed',
  description:
    'Embeds one text or a list of texts with an embedding model through the LLM gateway. Outputs ' +
    '{ embeddings: number[][] (one per input, in order), model, provider, usage: { promptTokens, ' +
    'completionTokens, cachedTokens }, costMicroUsd, simulated, callId, replayed }.',
  with: LlmEmbedWith,
});
