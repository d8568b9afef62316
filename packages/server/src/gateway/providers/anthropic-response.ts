import { z } from 'zod';
import type { FinishReason, ProviderFailure, ToolCall, Usage } from './provider.ts';

const count = z.number().int().nonnegative();

/** Anthropic's usage; the cache fields are absent when prompt caching was not involved. */
export const AnthropicUsageSchema = z.object({
  input_tokens: count.nullish(),
  output_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
  cache_creation_input_tokens: count.nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;

const BlockSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  // Thinking and other blocks carry nothing the OpenAI shape has a place for.
  z.object({ type: z.string() }),
]);

export const AnthropicMessageSchema = z.object({
  id: z.string(),
  type: z.literal('message').optional(),
  model: z.string().optional(),
  content: z.array(BlockSchema),
  stop_reason: z.string().nullish(),
  usage: AnthropicUsageSchema,
});

/** Events of a streamed message; unknown event types are ignored by the provider. */
export const AnthropicEventSchemas = {
  message_start: z.object({
    message: z.object({
      id: z.string(),
      model: z.string().optional(),
      usage: AnthropicUsageSchema.optional(),
    }),
  }),
  content_block_start: z.object({
    index: z.number().int(),
    content_block: z.union([
      z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string() }),
      z.object({ type: z.literal('text'), text: z.string().optional() }),
      z.object({ type: z.string() }),
    ]),
  }),
  content_block_delta: z.object({
    index: z.number().int(),
    delta: z.union([
      z.object({ type: z.literal('text_delta'), text: z.string() }),
      z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }),
      z.object({ type: z.string() }),
    ]),
  }),
  message_delta: z.object({
    delta: z.object({ stop_reason: z.string().nullish() }).optional(),
    usage: AnthropicUsageSchema.optional(),
  }),
  error: z.object({ error: z.object({ type: z.string().optional(), message: z.string().optional() }) }),
} as const;

export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn
      return 'stop';
  }
}

/** Every input token is prompt, wherever it was served from; the cache reads are the cached part. */
export function toUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/** Later usage reports (message_delta) override the earlier ones field by field. */
export function mergeUsage(base: AnthropicUsage, update: AnthropicUsage): AnthropicUsage {
  return {
    input_tokens: update.input_tokens ?? base.input_tokens,
    output_tokens: update.output_tokens ?? base.output_tokens,
    cache_read_input_tokens: update.cache_read_input_tokens ?? base.cache_read_input_tokens,
    cache_creation_input_tokens: update.cache_creation_input_tokens ?? base.cache_creation_input_tokens,
  };
}

export function toMessage(content: z.infer<typeof AnthropicMessageSchema>['content']): {
  content: string | null;
  toolCalls: ToolCall[];
} {
  let text: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === 'text' && 'text' in block) text = (text ?? '') + block.text;
    else if (block.type === 'tool_use' && 'name' in block) {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return { content: text, toolCalls };
}

/** The failure an Anthropic error type means (in an `error` event, where no status is left to read). */
export function failureForErrorType(type: string | undefined): ProviderFailure {
  switch (type) {
    case 'rate_limit_error':
      return 'rate_limited';
    case 'authentication_error':
    case 'permission_error':
      return 'auth';
    case 'invalid_request_error':
    case 'not_found_error':
    case 'request_too_large':
      return 'bad_request';
    case 'timeout_error':
      return 'timeout';
    default:
      // api_error, overloaded_error, and anything new
      return 'server';
  }
}
