import { createCallLog, type CallLog } from './call-log.ts';
import { createGatewayCatalog, type CatalogSources, type GatewayCatalog } from './gateway-catalog.ts';
import { createLlmLimiter, type LlmLimiter } from './llm-limiter.ts';
import { createModelStats, type ModelStats } from './model-stats.ts';
import { createResponseCache, type ResponseCache } from './response-cache.ts';
import { createTokenCounter, type TokenCounter } from './tokens.ts';
import type { Database } from '../db/index.ts';
import type { Logger, Metrics, Tracing } from '../observability/index.ts';
import type { BudgetPort } from './budget-port.ts';
import type { LlmProvider, ProviderKind } from './providers/provider.ts';

export interface GatewayDeps {
  db: Database;
  logger: Logger;
  providers: ReadonlyMap<ProviderKind, LlmProvider>;
  /** Budgets to reserve against (metering); none: no budget applies. */
  budgets?: BudgetPort | null;
  sources: CatalogSources;
  /** Counts every recorded call (shoal_gateway_*), from the records the ledger is fed from. */
  metrics?: Metrics | null;
  /** A span per call, a child of the caller's (ADR 0011); none: no spans. */
  tracing?: Tracing | null;
  tokens?: TokenCounter;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GatewayOptions {
  /** Longest wait for an attempt's answer (the first token when streaming) and between chunks. */
  timeoutMs: number;
  /** A `Retry-After` up to this is waited out and the candidate tried once more. */
  maxRetryAfterMs: number;
  /** `max_tokens` of a call that sets none: the worst case must be bounded to be reserved. */
  defaultMaxTokens: number;
  catalogTtlMs: number;
  flushMs: number;
  maxBatch: number;
  statsWindowMs: number;
  /** Share of a per-minute limit a process leases at a time. */
  limitSliceFraction: number;
}

export const DEFAULT_GATEWAY_OPTIONS: Readonly<GatewayOptions> = Object.freeze({
  timeoutMs: 60_000,
  maxRetryAfterMs: 2_000,
  defaultMaxTokens: 4096,
  catalogTtlMs: 5_000,
  flushMs: 50,
  maxBatch: 200,
  statsWindowMs: 5 * 60_000,
  limitSliceFraction: 0.05,
});

/** The parts every system of the gateway shares, built once by `createGateway`. */
export interface GatewayResources {
  deps: GatewayDeps;
  options: GatewayOptions;
  now: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  tokens: TokenCounter;
  catalog: GatewayCatalog;
  calls: CallLog;
  stats: ModelStats;
  limiter: LlmLimiter;
  cache: ResponseCache;
}

export function createGatewayResources(
  deps: GatewayDeps,
  overrides: Partial<GatewayOptions>,
): GatewayResources {
  const options: GatewayOptions = Object.freeze({ ...DEFAULT_GATEWAY_OPTIONS, ...overrides });
  return {
    deps,
    options,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    tokens: deps.tokens ?? createTokenCounter(),
    catalog: createGatewayCatalog(deps, deps.sources, { ttlMs: options.catalogTtlMs }),
    calls: createCallLog(deps, { flushMs: options.flushMs, maxBatch: options.maxBatch }),
    stats: createModelStats(deps, { flushMs: 1_000, windowMs: options.statsWindowMs }),
    limiter: createLlmLimiter(deps, { sliceFraction: options.limitSliceFraction }),
    cache: createResponseCache(deps),
  };
}
