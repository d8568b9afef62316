import type { SpanParent } from '../observability/index.ts';
import type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  EmbeddingResponse,
  ProviderFailure,
  Usage,
} from './providers/provider.ts';

/** Who a call is for: the tenant, and the API key or the run and step that made it. */
export interface GatewayCaller {
  tenantId: string;
  apiKeyId?: string | null;
  /** Per-key limits of that API key (null: only the tenant's apply). */
  keyLimits?: { requestsPerMinute: number | null; tokensPerMinute: number | null } | null;
  runId?: string | null;
  stepId?: string | null;
}

/** A chat request to the gateway: `model` is an alias, `provider/model`, or a model name. */
export interface GatewayChatRequest extends Omit<ChatRequest, 'model'> {
  model: string;
  /** Lowest quality tier acceptable (aliases only; default: the alias's `minTier`). */
  tier?: number;
  /** Use the tenant's response cache for this call (default: the alias's setting). */
  cache?: boolean;
  cacheTtlSeconds?: number;
  /** A retried call with the same key gets the first answer back, without a second send or charge. */
  idempotencyKey?: string;
}

export interface GatewayEmbeddingRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  idempotencyKey?: string;
}

/** One upstream attempt of a call, as recorded and as reported in the final error. */
export interface CallAttempt {
  provider: string;
  model: string;
  outcome: 'succeeded' | 'failed' | 'skipped';
  failure?: ProviderFailure | 'rate_limited_local' | 'unpriced' | 'no_key' | 'slow';
  status?: number;
  message?: string;
  latencyMs?: number;
}

/** What the gateway says about a call besides the answer; also sent as `x-shoal-*` headers. */
export interface CallSummary {
  callId: string;
  alias: string | null;
  provider: string;
  model: string;
  costMicroUsd: number;
  usage: Usage;
  cacheHit: boolean;
  simulated: boolean;
  /** True when the answer is the stored one of an earlier call with the same idempotency key. */
  replayed: boolean;
  attempts: CallAttempt[];
}

export interface GatewayChatResult {
  response: ChatResponse;
  call: CallSummary;
}

export interface GatewayEmbeddingResult {
  response: EmbeddingResponse;
  call: CallSummary;
}

/** A streamed answer: iterate the chunks; `summary()` is final once the iteration ended. */
export interface GatewayChatStream extends AsyncIterable<ChatChunk> {
  /** Known before the first chunk: which candidate is streaming. */
  readonly provider: string;
  readonly model: string;
  readonly simulated: boolean;
  readonly cacheHit: boolean;
  summary(): CallSummary;
}

/** A model a tenant may call, as `GET /v1/models` lists it. */
export interface ListedModel {
  id: string;
  kind: 'alias' | 'chat' | 'embedding';
  provider: string | null;
}

/** Per call: abort it, and the span its own span is a child of (the step attempt's or HTTP's). */
export interface GatewayCallOptions {
  signal?: AbortSignal;
  trace?: SpanParent;
}

export interface Gateway {
  chat(
    caller: GatewayCaller,
    request: GatewayChatRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayChatResult>;
  /** Resolves once the first chunk arrived (falling back until one does) or throws. */
  chatStream(
    caller: GatewayCaller,
    request: GatewayChatRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayChatStream>;
  embed(
    caller: GatewayCaller,
    request: GatewayEmbeddingRequest,
    options?: GatewayCallOptions,
  ): Promise<GatewayEmbeddingResult>;
  listModels(tenantId: string): Promise<ListedModel[]>;
  /** Drops what this process cached of a tenant's aliases, keys and prices (after a change). */
  invalidate(tenantId: string | null): void;
  /** Writes buffered call records and statistics. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type { ChatMessage };
