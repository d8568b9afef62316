import { z } from 'zod';
import { MAX_TIER, MIN_TIER } from '../gateway/index.ts';

/**
 * The OpenAI-compatible request and response shapes of `/v1/chat/completions`,
 * `/v1/embeddings` and `/v1/models`. Requests are strict: a field Shoal would not pass on is
 * refused (UNKNOWN_FIELD) rather than dropped without a word.
 */

const TextPart = z.strictObject({ type: z.literal('text'), text: z.string().max(1_000_000) });
const ImagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({
    url: z.string().max(20_000_000),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

const ToolCallSchema = z.strictObject({
  id: z.string().min(1).max(200),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1).max(200), arguments: z.string().max(1_000_000) }),
});

const MessageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z
    .union([z.string().max(1_000_000), z.array(z.union([TextPart, ImagePart])).max(100)])
    .nullable()
    .default(null),
  name: z.string().min(1).max(64).optional(),
  tool_calls: z.array(ToolCallSchema).max(128).optional(),
  tool_call_id: z.string().min(1).max(200).optional(),
});

const ToolSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().max(10_000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const ToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
]);

const ResponseFormatSchema = z.union([
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      description: z.string().max(10_000).optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

const MaxTokens = z.number().int().min(1).max(1_000_000);

/** Shoal's own options of a call, beside the OpenAI fields (the openai client's `extra_body`). */
const ShoalOptions = z
  .strictObject({
    tier: z.number().int().min(MIN_TIER).max(MAX_TIER).optional(),
    cache: z.boolean().optional(),
    cacheTtlSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .optional(),
  })
  .meta({ description: "Shoal's options: the lowest quality tier acceptable, and the response cache" });

export const ChatCompletionBody = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: 'An alias of the tenant, provider/model, or a model name' }),
    messages: z.array(MessageSchema).min(1).max(10_000),
    max_tokens: MaxTokens.nullable().optional(),
    max_completion_tokens: MaxTokens.nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    stop: z
      .union([z.string().max(1000), z.array(z.string().max(1000)).max(4)])
      .nullable()
      .optional(),
    seed: z.number().int().nullable().optional(),
    tools: z.array(ToolSchema).max(128).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    response_format: ResponseFormatSchema.optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    user: z.string().max(256).optional(),
    n: z.literal(1).nullable().optional().meta({ description: 'Only 1 is supported' }),
    shoal: ShoalOptions.optional(),
  })
  .meta({ id: 'ChatCompletionRequest' });

export type ChatCompletionInput = z.output<typeof ChatCompletionBody>;

const UsageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
});

export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          tool_calls: z.array(ToolCallSchema).optional(),
        }),
        finish_reason: z.string(),
      }),
    ),
    usage: UsageSchema,
    system_fingerprint: z.string().optional(),
  })
  .meta({
    id: 'ChatCompletion',
    description:
      'With `stream: true` the answer is `text/event-stream` instead: `data: <chat.completion.chunk>` lines, then `data: [DONE]`.',
  });

export const EmbeddingsBody = z
  .strictObject({
    model: z.string().min(1).max(200),
    input: z.union([
      z.string().min(1).max(1_000_000),
      z.array(z.string().min(1).max(1_000_000)).min(1).max(2048),
    ]),
    dimensions: z.number().int().min(1).max(10_000).optional(),
    encoding_format: z.enum(['float', 'base64']).optional().meta({
      description: 'base64: each embedding as little-endian float32 bytes (what the openai client asks for)',
    }),
    user: z.string().max(256).optional(),
  })
  .meta({ id: 'EmbeddingsRequest' });

export const EmbeddingsSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({ object: z.literal('embedding'), index: z.number().int(), embedding: z.array(z.number()) }),
    ),
    model: z.string(),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .meta({ id: 'Embeddings' });

export const ModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: z
          .string()
          .meta({ description: 'The provider, or `shoal-alias` for an alias of the tenant' }),
        kind: z.enum(['alias', 'chat', 'embedding']),
      }),
    ),
  })
  .meta({ id: 'ModelList' });

export const LlmCallSchema = z
  .object({
    id: z.string(),
    createdAt: z.iso.datetime(),
    operation: z.enum(['chat', 'embedding']),
    alias: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    apiKeyId: z.string().nullable(),
    runId: z.string().nullable(),
    stepId: z.string().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    tokensCached: z.number().int(),
    costMicroUsd: z.number().int(),
    latencyMs: z.number().int(),
    ttftMs: z.number().int().nullable(),
    cacheHit: z.boolean(),
    simulated: z.boolean(),
    streamed: z.boolean(),
    outcome: z.enum(['succeeded', 'failed', 'refused']),
    errorCode: z.string().nullable(),
    attempts: z.array(
      z.object({
        provider: z.string(),
        model: z.string(),
        outcome: z.enum(['succeeded', 'failed', 'skipped']),
        failure: z.string().optional(),
        status: z.number().int().optional(),
        message: z.string().optional(),
        latencyMs: z.number().int().optional(),
      }),
    ),
  })
  .meta({ id: 'LlmCall' });

export const LlmCallListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.iso.datetime().optional().meta({ description: 'Only calls made before this time (paging)' }),
  runId: z.uuid().optional(),
});
