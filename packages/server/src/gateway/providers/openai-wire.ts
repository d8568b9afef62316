import { z } from 'zod';
import type { FinishReason, Usage } from './provider.ts';

/**
 * The OpenAI answers as upstreams actually send them, validated once at the boundary. Fields
 * that OpenAI-compatible servers (vLLM, Ollama, LM Studio) omit are optional here and filled in
 * by the provider; unknown fields are dropped.
 */
const count = z.number().int().nonnegative();

export const OpenAiUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count.optional(),
  prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
});

const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const OpenAiChatResponseSchema = z.object({
  id: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z.array(ToolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: OpenAiUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});

export const OpenAiChunkSchema = z.object({
  id: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        delta: z
          .object({
            role: z.string().nullish(),
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int(),
                  id: z.string().nullish(),
                  type: z.literal('function').nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .optional(),
        finish_reason: z.string().nullish(),
      }),
    )
    .optional(),
  usage: OpenAiUsageSchema.nullish(),
  system_fingerprint: z.string().nullish(),
});

export const OpenAiEmbeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().optional(), embedding: z.array(z.number()) })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: count, total_tokens: count.optional() }).nullish(),
});

/** `function_call` is the legacy name of `tool_calls`; servers that invent others mean a normal end. */
export function toFinishReason(value: string | null | undefined): FinishReason {
  switch (value) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return value;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

export function toUsage(usage: z.infer<typeof OpenAiUsageSchema>): Usage {
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    ...(cached === undefined || cached === null ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
  };
}
