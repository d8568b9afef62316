/**
 * The one shape every provider speaks to the gateway: OpenAI chat completions and embeddings
 * (the wire format most clients already use). A provider translates to and from its upstream.
 */

export const PROVIDER_KINDS = ['openai', 'anthropic', 'simulated'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string };
    };

/** A chat request as sent upstream: `model` is the provider's own model name. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  user?: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Input tokens served from the provider's prompt cache (a part of prompt_tokens). */
  prompt_tokens_details?: { cached_tokens: number };
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] };
    finish_reason: FinishReason;
  }[];
  usage: Usage;
  system_fingerprint?: string;
}

/** One SSE chunk of a streamed chat completion; the last one carries `usage` and no choices. */
export interface ChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      tool_calls?: {
        index: number;
        id?: string;
        type?: 'function';
        function?: { name?: string; arguments?: string };
      }[];
    };
    finish_reason: FinishReason | null;
  }[];
  usage?: Usage | null;
  system_fingerprint?: string;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  user?: string;
}

export interface EmbeddingResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** The upstream a call goes to, with the key to use (the tenant's own, or the platform's). */
export interface ProviderConnection {
  /** Name of the `llm_providers` row, e.g. `openai` or `vllm-east`. */
  name: string;
  kind: ProviderKind;
  /** Null for the simulated provider. For OpenAI-compatible ones it ends in `/v1` (or not). */
  baseUrl: string | null;
  apiKey: string | null;
  /** The row's `options`: for the simulated provider, `SimulatedOptions`. */
  options: Record<string, unknown>;
}

export interface CallOptions {
  /** Aborts the upstream request: the caller went away, or the gateway's timeout passed. */
  signal: AbortSignal;
  /** Sent upstream where the provider accepts one (OpenAI `Idempotency-Key`). */
  idempotencyKey?: string;
}

export interface ChatResult {
  response: ChatResponse;
  /** Upstream time to the whole answer, ms. */
  latencyMs: number;
}

/** A stream of chunks; the first `next()` resolves once the upstream sent its first token. */
export interface ChatStream extends AsyncIterable<ChatChunk> {
  /** The usage of the whole stream, known once the iteration ended normally. */
  usage(): Usage | null;
}

export interface LlmProvider {
  readonly kind: ProviderKind;
  chat(connection: ProviderConnection, request: ChatRequest, options: CallOptions): Promise<ChatResult>;
  /**
   * Starts a streamed completion. Failures before the first chunk throw from the first
   * `next()` (the gateway may fall back); failures later throw from a later `next()`.
   */
  chatStream(connection: ProviderConnection, request: ChatRequest, options: CallOptions): ChatStream;
  embed(
    connection: ProviderConnection,
    request: EmbeddingRequest,
    options: CallOptions,
  ): Promise<EmbeddingResponse>;
}

/** Why an upstream attempt failed, as the gateway's fallback rules need to know it. */
export const PROVIDER_FAILURES = [
  'rate_limited', // 429
  'server', // 5xx
  'timeout', // no answer (or no first token) in time
  'network', // connection refused, reset, DNS
  'stream_cut', // a stream that ended or broke before its end
  'auth', // 401, 403: the key is wrong
  'bad_request', // 400, 404, 422: the request itself is wrong for this upstream
  'invalid_response', // an answer the provider's protocol does not allow
] as const;
export type ProviderFailure = (typeof PROVIDER_FAILURES)[number];

/** The failures worth trying the next candidate for (issue 5: 429, 5xx, timeout, early stream cut). */
export const FALLBACK_FAILURES: readonly ProviderFailure[] = [
  'rate_limited',
  'server',
  'timeout',
  'network',
  'stream_cut',
];

export class ProviderError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    message: string,
    readonly details: {
      /** The upstream's HTTP status, when it answered. */
      status?: number;
      /** From `Retry-After` (seconds or a date) or `retry-after-ms`. */
      retryAfterMs?: number;
      /** True when some output already reached the caller (a stream cut after its first token). */
      afterFirstToken?: boolean;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }

  get fallbackAllowed(): boolean {
    return FALLBACK_FAILURES.includes(this.failure) && !this.details.afterFirstToken;
  }
}
