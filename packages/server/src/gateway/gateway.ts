import { randomUUID } from 'node:crypto';
import type { Database } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';
import { attemptSignal, failedAttempt, finalError, isCallerAbort } from './attempt.ts';
import type { BudgetPort, BudgetReservation } from './budget-port.ts';
import { createCallLog, type CallRecord } from './call-log.ts';
import { planRoute, tierBand, type Candidate } from './candidates.ts';
import { costMicroUsd } from './cost.ts';
import { GatewayError } from './errors.ts';
import { createGatewayCatalog, type CatalogSources, type TenantCatalog } from './gateway-catalog.ts';
import type {
  CallAttempt,
  CallSummary,
  Gateway,
  GatewayCaller,
  GatewayChatRequest,
  GatewayChatStream,
  GatewayEmbeddingRequest,
  ListedModel,
} from './gateway-types.ts';
import { createLlmLimiter, type LimitTicket, type ScopeLimits } from './llm-limiter.ts';
import { createModelStats } from './model-stats.ts';
import type {
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  LlmProvider,
  ProviderConnection,
  ProviderKind,
  Usage,
} from './providers/provider.ts';
import { ProviderError } from './providers/provider.ts';
import { resolveModel, type ResolvedModel } from './resolve-model.ts';
import { cacheKey, createResponseCache } from './response-cache.ts';
import { createChunkAssembler, responseToChunks } from './stream-assembly.ts';
import { createTokenCounter, type TokenCounter } from './tokens.ts';

export interface GatewayDeps {
  db: Database;
  logger: Logger;
  providers: ReadonlyMap<ProviderKind, LlmProvider>;
  /** Budgets to reserve against (metering); none: no budget applies. */
  budgets?: BudgetPort | null;
  sources: CatalogSources;
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

const ZERO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Everything decided about a call before its first upstream attempt. */
interface PreparedCall {
  callId: string;
  started: number;
  caller: GatewayCaller;
  operation: 'chat' | 'embedding';
  resolved: ResolvedModel;
  tenant: TenantCatalog;
  idempotencyKey: string | null;
}

/**
 * The LLM gateway (ADR 0006): resolves a model or alias, routes among its candidates, holds
 * rate limits and budgets, falls back on failure, caches on request and records every call.
 */
export function createGateway(deps: GatewayDeps, overrides: Partial<GatewayOptions> = {}): Gateway {
  const options: GatewayOptions = Object.freeze({ ...DEFAULT_GATEWAY_OPTIONS, ...overrides });
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tokens = deps.tokens ?? createTokenCounter();
  const catalog = createGatewayCatalog(deps, deps.sources, { ttlMs: options.catalogTtlMs });
  const calls = createCallLog(deps, { flushMs: options.flushMs, maxBatch: options.maxBatch });
  const stats = createModelStats(deps, { flushMs: 1_000, windowMs: options.statsWindowMs });
  const limiter = createLlmLimiter(deps, { sliceFraction: options.limitSliceFraction });
  const cache = createResponseCache(deps);

  const providerFor = (kind: ProviderKind): LlmProvider => {
    const provider = deps.providers.get(kind);
    if (!provider) throw new Error(`no provider implementation for kind ${kind}`);
    return provider;
  };

  const connection = async (candidate: Candidate, tenant: TenantCatalog): Promise<ProviderConnection> => {
    const entry = (await catalog.global()).providers.get(candidate.provider);
    if (!entry) throw new GatewayError('PROVIDER_NOT_FOUND', `Provider ${candidate.provider} is not enabled`);
    return {
      name: entry.name,
      kind: entry.kind,
      baseUrl: entry.baseUrl,
      apiKey: tenant.keys.get(entry.name) ?? entry.platformKey,
      options: entry.options,
    };
  };

  const prepare = async (
    caller: GatewayCaller,
    model: string,
    operation: 'chat' | 'embedding',
    idempotencyKey: string | undefined,
  ): Promise<PreparedCall> => {
    const [global, tenant] = await Promise.all([catalog.global(), catalog.tenant(caller.tenantId)]);
    return {
      callId: randomUUID(),
      started: now(),
      caller,
      operation,
      resolved: resolveModel(model, operation, global, tenant),
      tenant,
      idempotencyKey: idempotencyKey ?? null,
    };
  };

  const record = (
    call: PreparedCall,
    fields: Partial<CallRecord> & Pick<CallRecord, 'outcome'>,
  ): CallRecord => ({
    tenantId: call.caller.tenantId,
    id: call.callId,
    idempotencyKey: call.idempotencyKey,
    apiKeyId: call.caller.apiKeyId ?? null,
    runId: call.caller.runId ?? null,
    stepId: call.caller.stepId ?? null,
    operation: call.operation,
    alias: call.resolved.alias,
    provider: null,
    model: null,
    priceId: null,
    priceSource: null,
    tokensIn: 0,
    tokensOut: 0,
    tokensCached: 0,
    costMicroUsd: 0,
    latencyMs: now() - call.started,
    ttftMs: null,
    cacheHit: false,
    simulated: false,
    streamed: false,
    attempts: [],
    errorCode: null,
    response: null,
    ...fields,
  });

  /** A refused or failed call is recorded too (its attempts, no cost); then the error is thrown. */
  const refuse = (call: PreparedCall, error: GatewayError, attempts: CallAttempt[] = []): never => {
    // Only a success holds its idempotency key: a retry of a refused or failed call is a new call.
    calls.append(
      record(call, {
        outcome: attempts.some((a) => a.outcome === 'failed') ? 'failed' : 'refused',
        errorCode: error.code,
        attempts,
        idempotencyKey: null,
      }),
    );
    throw error;
  };

  const scopesOf = (caller: GatewayCaller, tenant: TenantCatalog): ScopeLimits[] => {
    const scopes: ScopeLimits[] = [
      {
        scope: 'tenant',
        requestsPerMinute: tenant.limits.requestsPerMinute,
        tokensPerMinute: tenant.limits.tokensPerMinute,
      },
    ];
    const key = caller.keyLimits;
    if (caller.apiKeyId && key && (key.requestsPerMinute !== null || key.tokensPerMinute !== null))
      scopes.push({
        scope: `key:${caller.apiKeyId}`,
        requestsPerMinute: key.requestsPerMinute ?? Number.MAX_SAFE_INTEGER,
        tokensPerMinute: key.tokensPerMinute ?? Number.MAX_SAFE_INTEGER,
      });
    return scopes;
  };

  const takeLimits = async (call: PreparedCall, worstTokens: number): Promise<LimitTicket> => {
    const taken = await limiter.take(call.caller.tenantId, scopesOf(call.caller, call.tenant), worstTokens);
    if ('windowStart' in taken) return taken;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    const code = taken.limit === 'requests' ? 'GATEWAY_REQUESTS_RATE_LIMITED' : 'GATEWAY_TOKENS_RATE_LIMITED';
    return refuse(
      call,
      new GatewayError(
        code,
        `The ${taken.scope === 'tenant' ? "tenant's" : "API key's"} LLM ${taken.limit} per minute are used up; retry in ${seconds} s`,
        {
          scope: taken.scope === 'tenant' ? 'tenant' : 'api_key',
          limit: taken.limit,
          retryAfterSeconds: seconds,
        },
        { 'retry-after': String(seconds) },
      ),
    );
  };

  /** The candidates in the order to try them, or the error saying why there are none. */
  const route = async (
    call: PreparedCall,
    request: GatewayChatRequest | null,
    inputTokens: number,
    maxOut: number,
  ) => {
    const { spec, candidates, alias } = call.resolved;
    const remainingMicro =
      spec.budgetRules.length > 0 && deps.budgets
        ? await deps.budgets.remainingMicroUsd(call.caller.tenantId)
        : null;
    const band = alias
      ? tierBand(spec, request?.tier, remainingMicro === null ? null : remainingMicro / 1_000_000)
      : { minTier: 1, maxTier: null };
    const plan = planRoute({
      strategy: spec.strategy,
      candidates,
      minTier: band.minTier,
      maxTier: band.maxTier,
      estimatedInputTokens: inputTokens,
      maxOutputTokens: maxOut,
      health: stats.health,
      random,
    });
    if (plan.order.length > 0) return plan;
    const only = candidates.length === 1 && !alias ? candidates[0] : undefined;
    const error = only
      ? !only.price
        ? new GatewayError(
            'MODEL_UNPRICED',
            `${only.provider}/${only.model} has no price in effect, so it is refused rather than charged as free`,
            { model: `${only.provider}/${only.model}` },
          )
        : new GatewayError(
            'PROVIDER_NOT_CONFIGURED',
            `Provider ${only.provider} has no key: add one with PUT /v1/provider-keys/${only.provider}`,
            { provider: only.provider },
          )
      : new GatewayError(
          'NO_CANDIDATE',
          `No candidate of ${JSON.stringify(alias ?? request?.model)} is usable: ${plan.skipped.map((s) => `${s.provider}/${s.model} (${s.message})`).join(', ')}`,
          { skipped: plan.skipped, minTier: band.minTier, maxTier: band.maxTier },
        );
    return refuse(call, error, plan.skipped);
  };

  const reserve = async (call: PreparedCall, candidate: Candidate, inputTokens: number, maxOut: number) => {
    if (!deps.budgets || !candidate.price) return null;
    const amount = costMicroUsd(candidate.price, {
      tokensIn: inputTokens,
      tokensOut: maxOut,
      tokensCached: 0,
    });
    try {
      return await deps.budgets.reserve({
        tenantId: call.caller.tenantId,
        apiKeyId: call.caller.apiKeyId ?? null,
        runId: call.caller.runId ?? null,
        callId: call.callId,
        amountMicroUsd: amount,
      });
    } catch (error) {
      if (error instanceof GatewayError) return refuse(call, error);
      throw error;
    }
  };

  const settle = async (reservation: BudgetReservation | null, actual: number) => {
    if (reservation && deps.budgets) await deps.budgets.settle(reservation, actual);
  };

  const usageCost = (candidate: Candidate, usage: Usage) => {
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const counts = {
      tokensIn: usage.prompt_tokens,
      tokensOut: usage.completion_tokens,
      tokensCached: cached,
    };
    return { counts, cost: candidate.price ? costMicroUsd(candidate.price, counts) : 0 };
  };

  const summaryOf = (
    call: PreparedCall,
    fields: Omit<CallSummary, 'callId' | 'alias' | 'replayed'> & { replayed?: boolean },
  ): CallSummary => ({ callId: call.callId, alias: call.resolved.alias, replayed: false, ...fields });

  /** The chat request sent upstream: the alias's defaults filled in, `max_tokens` always bounded. */
  const upstreamChat = (request: GatewayChatRequest, call: PreparedCall): Omit<ChatRequest, 'model'> => {
    const defaults = call.resolved.spec.defaults;
    const {
      model: _model,
      tier: _tier,
      cache: _cache,
      cacheTtlSeconds: _ttl,
      idempotencyKey: _key,
      ...rest
    } = request;
    const hasSystem = rest.messages.some((m) => m.role === 'system' || m.role === 'developer');
    const messages: ChatMessage[] =
      defaults.system && !hasSystem
        ? [{ role: 'system', content: defaults.system }, ...rest.messages]
        : rest.messages;
    return {
      ...rest,
      messages,
      max_tokens: rest.max_tokens ?? defaults.maxTokens ?? options.defaultMaxTokens,
      ...(rest.temperature === undefined && defaults.temperature !== undefined
        ? { temperature: defaults.temperature }
        : {}),
    };
  };

  const replayOf = async (call: PreparedCall) => {
    if (!call.idempotencyKey) return null;
    const found = await calls.findByKey(call.caller.tenantId, call.idempotencyKey);
    if (!found) return null;
    const row = found.record;
    return {
      response: found.response,
      call: {
        callId: found.id,
        alias: (row.alias as string | null) ?? null,
        provider: String(row.provider),
        model: String(row.model),
        costMicroUsd: Number(row.cost_micro_usd),
        usage: (found.response as { usage?: Usage } | null)?.usage ?? ZERO_USAGE,
        cacheHit: Boolean(row.cache_hit),
        simulated: Boolean(row.simulated),
        replayed: true,
        attempts: (row.attempts as CallAttempt[]) ?? [],
      } satisfies CallSummary,
    };
  };

  /**
   * Stores a successful call. With an idempotency key it is written now, and if a concurrent
   * call with the same key was recorded first, that call's answer is the one returned.
   */
  const commit = async <R>(rec: CallRecord, response: R, summary: CallSummary) => {
    if (!rec.idempotencyKey) {
      calls.append(rec);
      return { response, call: summary };
    }
    if (await calls.writeNow({ ...rec, response })) return { response, call: summary };
    const winner = await calls.findByKey(rec.tenantId, rec.idempotencyKey);
    if (!winner) throw new Error('an idempotent call was neither written nor found');
    return { response: winner.response as R, call: { ...summary, callId: winner.id, replayed: true } };
  };

  const chat: Gateway['chat'] = async (caller, request, callOptions = {}) => {
    const call = await prepare(caller, request.model, 'chat', request.idempotencyKey);
    const replay = await replayOf(call);
    if (replay) return { response: replay.response as ChatResponse, call: replay.call };
    const upstream = upstreamChat(request, call);
    const useCache = request.cache ?? call.resolved.spec.cache.enabled;
    const key = useCache ? cacheKey('chat', { ...upstream, model: request.model }) : null;
    if (key) {
      const hit = await cache.get(caller.tenantId, key);
      if (hit) {
        await takeLimits(call, 0);
        const summary = summaryOf(call, {
          provider: hit.provider,
          model: hit.model,
          costMicroUsd: 0,
          usage: hit.response.usage,
          cacheHit: true,
          simulated: hit.response.system_fingerprint === 'shoal-simulated',
          attempts: [],
        });
        return commit(
          record(call, {
            outcome: 'succeeded',
            provider: hit.provider,
            model: hit.model,
            cacheHit: true,
            simulated: summary.simulated,
          }),
          hit.response,
          summary,
        );
      }
    }
    const inputTokens = tokens.estimateChatTokens(upstream.messages, upstream.tools);
    const maxOut = upstream.max_tokens ?? options.defaultMaxTokens;
    const ticket = await takeLimits(call, inputTokens + maxOut);
    const plan = await route(call, request, inputTokens, maxOut);
    const attempts: CallAttempt[] = [...plan.skipped];
    let lastError: ProviderError | null = null;
    try {
      for (const candidate of plan.order) {
        const conn = await connection(candidate, call.tenant);
        const reservation = await reserve(call, candidate, inputTokens, maxOut);
        let waited = false;
        for (;;) {
          const attemptStarted = now();
          const signal = attemptSignal(
            callOptions.signal,
            options.timeoutMs,
            `${candidate.provider}/${candidate.model}`,
          );
          let result: Awaited<ReturnType<LlmProvider['chat']>>;
          try {
            result = await providerFor(conn.kind).chat(
              conn,
              { ...upstream, model: candidate.model },
              {
                signal: signal.signal,
                ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
              },
            );
          } catch (error) {
            if (isCallerAbort(error, callOptions.signal) || !(error instanceof ProviderError)) {
              await settle(reservation, 0);
              throw error;
            }
            stats.observe(candidate.provider, candidate.model, {
              ok: false,
              latencyMs: now() - attemptStarted,
              ttftMs: null,
            });
            attempts.push(failedAttempt(candidate.provider, candidate.model, error, now() - attemptStarted));
            lastError = error;
            const wait = error.details.retryAfterMs;
            if (
              error.failure === 'rate_limited' &&
              !waited &&
              wait !== undefined &&
              wait <= options.maxRetryAfterMs
            ) {
              waited = true;
              await sleep(wait);
              continue;
            }
            await settle(reservation, 0);
            if (!error.fallbackAllowed) return refuse(call, finalError(attempts, error), attempts);
            break;
          } finally {
            signal.done();
          }
          const latency = now() - attemptStarted;
          stats.observe(candidate.provider, candidate.model, { ok: true, latencyMs: latency, ttftMs: null });
          const { counts, cost } = usageCost(candidate, result.response.usage);
          await settle(reservation, cost);
          limiter.giveBack(ticket, inputTokens + maxOut - counts.tokensIn - counts.tokensOut);
          attempts.push({
            provider: candidate.provider,
            model: candidate.model,
            outcome: 'succeeded',
            latencyMs: Math.round(latency),
          });
          const simulated = conn.kind === 'simulated';
          if (key)
            cache.put(
              caller.tenantId,
              key,
              { response: result.response, provider: candidate.provider, model: candidate.model },
              request.cacheTtlSeconds ?? call.resolved.spec.cache.ttlSeconds,
            );
          return await commit(
            record(call, {
              outcome: 'succeeded',
              provider: candidate.provider,
              model: candidate.model,
              priceId: candidate.price?.priceId ?? null,
              priceSource: candidate.price?.source ?? null,
              ...counts,
              costMicroUsd: cost,
              simulated,
              attempts,
            }),
            result.response,
            summaryOf(call, {
              provider: candidate.provider,
              model: candidate.model,
              costMicroUsd: cost,
              usage: result.response.usage,
              cacheHit: false,
              simulated,
              attempts,
            }),
          );
        }
      }
    } catch (error) {
      limiter.giveBack(ticket, inputTokens + maxOut);
      throw error;
    }
    limiter.giveBack(ticket, inputTokens + maxOut);
    return refuse(call, finalError(attempts, lastError), attempts);
  };

  const chatStream: Gateway['chatStream'] = async (caller, request, callOptions = {}) => {
    const call = await prepare(caller, request.model, 'chat', request.idempotencyKey);
    const stored = async (response: ChatResponse, summary: CallSummary): Promise<GatewayChatStream> => {
      const chunks = responseToChunks(response);
      return {
        provider: summary.provider,
        model: summary.model,
        simulated: summary.simulated,
        cacheHit: summary.cacheHit,
        summary: () => summary,
        async *[Symbol.asyncIterator]() {
          yield* chunks;
        },
      };
    };
    const replay = await replayOf(call);
    if (replay) return stored(replay.response as ChatResponse, replay.call);
    const upstream = upstreamChat(request, call);
    const useCache = request.cache ?? call.resolved.spec.cache.enabled;
    const key = useCache ? cacheKey('chat', { ...upstream, model: request.model }) : null;
    if (key) {
      const hit = await cache.get(caller.tenantId, key);
      if (hit) {
        await takeLimits(call, 0);
        const simulated = hit.response.system_fingerprint === 'shoal-simulated';
        const result = await commit(
          record(call, {
            outcome: 'succeeded',
            provider: hit.provider,
            model: hit.model,
            cacheHit: true,
            simulated,
            streamed: true,
          }),
          hit.response,
          summaryOf(call, {
            provider: hit.provider,
            model: hit.model,
            costMicroUsd: 0,
            usage: hit.response.usage,
            cacheHit: true,
            simulated,
            attempts: [],
          }),
        );
        return stored(result.response, result.call);
      }
    }
    const inputTokens = tokens.estimateChatTokens(upstream.messages, upstream.tools);
    const maxOut = upstream.max_tokens ?? options.defaultMaxTokens;
    const ticket = await takeLimits(call, inputTokens + maxOut);
    const plan = await route(call, request, inputTokens, maxOut);
    const attempts: CallAttempt[] = [...plan.skipped];
    let lastError: ProviderError | null = null;
    try {
      for (const candidate of plan.order) {
        const conn = await connection(candidate, call.tenant);
        const reservation = await reserve(call, candidate, inputTokens, maxOut);
        let waited = false;
        for (;;) {
          const attemptStarted = now();
          const signal = attemptSignal(
            callOptions.signal,
            options.timeoutMs,
            `${candidate.provider}/${candidate.model}`,
          );
          const stream = providerFor(conn.kind).chatStream(
            conn,
            { ...upstream, model: candidate.model },
            {
              signal: signal.signal,
              ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
            },
          );
          const iterator = stream[Symbol.asyncIterator]();
          let first: IteratorResult<ChatChunk, void>;
          try {
            first = await iterator.next();
            if (first.done)
              throw new ProviderError('stream_cut', `${conn.name} ended the stream before its first chunk`);
          } catch (error) {
            signal.done();
            if (isCallerAbort(error, callOptions.signal) || !(error instanceof ProviderError)) {
              await settle(reservation, 0);
              throw error;
            }
            stats.observe(candidate.provider, candidate.model, {
              ok: false,
              latencyMs: now() - attemptStarted,
              ttftMs: null,
            });
            attempts.push(failedAttempt(candidate.provider, candidate.model, error, now() - attemptStarted));
            lastError = error;
            const wait = error.details.retryAfterMs;
            if (
              error.failure === 'rate_limited' &&
              !waited &&
              wait !== undefined &&
              wait <= options.maxRetryAfterMs
            ) {
              waited = true;
              await sleep(wait);
              continue;
            }
            await settle(reservation, 0);
            if (!error.fallbackAllowed) return refuse(call, finalError(attempts, error), attempts);
            break;
          }
          return streamFrom({
            call,
            candidate,
            conn,
            iterator,
            stream,
            first: first.value,
            ttftMs: now() - attemptStarted,
            attemptStarted,
            signal,
            reservation,
            ticket,
            worstTokens: inputTokens + maxOut,
            inputTokens,
            attempts,
            cacheKey: key,
            cacheTtlSeconds: request.cacheTtlSeconds ?? call.resolved.spec.cache.ttlSeconds,
          });
        }
      }
    } catch (error) {
      limiter.giveBack(ticket, inputTokens + maxOut);
      throw error;
    }
    limiter.giveBack(ticket, inputTokens + maxOut);
    return refuse(call, finalError(attempts, lastError), attempts);
  };

  /** The stream handed to the caller once a candidate sent its first chunk. */
  const streamFrom = (s: {
    call: PreparedCall;
    candidate: Candidate;
    conn: ProviderConnection;
    iterator: AsyncIterator<ChatChunk, void>;
    stream: { usage(): Usage | null };
    first: ChatChunk;
    ttftMs: number;
    attemptStarted: number;
    signal: ReturnType<typeof attemptSignal>;
    reservation: BudgetReservation | null;
    ticket: LimitTicket;
    worstTokens: number;
    inputTokens: number;
    attempts: CallAttempt[];
    cacheKey: string | null;
    cacheTtlSeconds: number;
  }): GatewayChatStream => {
    const simulated = s.conn.kind === 'simulated';
    const assembler = createChunkAssembler();
    let summary: CallSummary | null = null;
    const finish = async (outcome: 'succeeded' | 'failed', error: ProviderError | null) => {
      s.signal.done();
      const latency = now() - s.attemptStarted;
      // A stream that broke has no usage from the provider: its input estimate and the output
      // tokens the caller received are charged, since the upstream charges for them too.
      const usage = s.stream.usage() ??
        assembler.usage() ?? {
          prompt_tokens: s.inputTokens,
          completion_tokens: tokens.countTokens(assembler.response().choices[0]?.message.content ?? ''),
          total_tokens: 0,
        };
      const { counts, cost } = usageCost(s.candidate, usage);
      await settle(s.reservation, cost);
      limiter.giveBack(s.ticket, s.worstTokens - counts.tokensIn - counts.tokensOut);
      stats.observe(s.candidate.provider, s.candidate.model, {
        ok: outcome === 'succeeded',
        latencyMs: latency,
        ttftMs: s.ttftMs,
      });
      s.attempts.push(
        error
          ? failedAttempt(s.candidate.provider, s.candidate.model, error, latency)
          : {
              provider: s.candidate.provider,
              model: s.candidate.model,
              outcome: 'succeeded',
              latencyMs: Math.round(latency),
            },
      );
      const response = assembler.response();
      summary = summaryOf(s.call, {
        provider: s.candidate.provider,
        model: s.candidate.model,
        costMicroUsd: cost,
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        cacheHit: false,
        simulated,
        attempts: s.attempts,
      });
      const rec = record(s.call, {
        outcome,
        provider: s.candidate.provider,
        model: s.candidate.model,
        priceId: s.candidate.price?.priceId ?? null,
        priceSource: s.candidate.price?.source ?? null,
        ...counts,
        costMicroUsd: cost,
        ttftMs: s.ttftMs,
        simulated,
        streamed: true,
        attempts: s.attempts,
        errorCode: error ? 'UPSTREAM_FAILED' : null,
      });
      if (outcome === 'succeeded') {
        if (s.cacheKey)
          cache.put(
            s.call.caller.tenantId,
            s.cacheKey,
            { response, provider: s.candidate.provider, model: s.candidate.model },
            s.cacheTtlSeconds,
          );
        await commit(rec, response, summary);
      } else calls.append({ ...rec, idempotencyKey: null });
    };
    return {
      provider: s.candidate.provider,
      model: s.candidate.model,
      simulated,
      cacheHit: false,
      summary() {
        if (!summary) throw new Error('the stream has not ended yet');
        return summary;
      },
      [Symbol.asyncIterator]: () => {
        let started = false;
        let ended = false;
        return {
          async next(): Promise<IteratorResult<ChatChunk, void>> {
            if (ended) return { done: true, value: undefined };
            if (!started) {
              started = true;
              assembler.add(s.first);
              s.signal.restart();
              return { done: false, value: s.first };
            }
            try {
              const next = await s.iterator.next();
              if (next.done) {
                ended = true;
                await finish('succeeded', null);
                return next;
              }
              s.signal.restart();
              assembler.add(next.value);
              return next;
            } catch (error) {
              ended = true;
              const failure =
                error instanceof ProviderError
                  ? error
                  : new ProviderError('stream_cut', error instanceof Error ? error.message : String(error), {
                      afterFirstToken: true,
                    });
              await finish('failed', failure);
              throw new GatewayError(
                'UPSTREAM_FAILED',
                `${s.candidate.provider}/${s.candidate.model} broke the stream after its first token: ${failure.message}`,
                { attempts: s.attempts },
                undefined,
                { cause: error },
              );
            }
          },
          async return(): Promise<IteratorResult<ChatChunk, void>> {
            // The caller stopped reading (a client that went away): stop the upstream, charge what was sent.
            if (!ended) {
              ended = true;
              await s.iterator.return?.();
              await finish(
                'failed',
                new ProviderError('stream_cut', 'the caller stopped reading', { afterFirstToken: true }),
              );
            }
            return { done: true, value: undefined };
          },
        };
      },
    };
  };

  const embed: Gateway['embed'] = async (caller, request, callOptions = {}) => {
    const call = await prepare(caller, request.model, 'embedding', request.idempotencyKey);
    const replay = await replayOf(call);
    if (replay) return { response: replay.response as never, call: replay.call };
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    const inputTokens = inputs.reduce((sum, text) => sum + tokens.countTokens(text), 0);
    const ticket = await takeLimits(call, inputTokens);
    const plan = await route(call, null, inputTokens, 0);
    const attempts: CallAttempt[] = [...plan.skipped];
    let lastError: ProviderError | null = null;
    for (const candidate of plan.order) {
      const conn = await connection(candidate, call.tenant);
      const reservation = await reserve(call, candidate, inputTokens, 0);
      const attemptStarted = now();
      const signal = attemptSignal(
        callOptions.signal,
        options.timeoutMs,
        `${candidate.provider}/${candidate.model}`,
      );
      let response: Awaited<ReturnType<LlmProvider['embed']>>;
      try {
        response = await providerFor(conn.kind).embed(
          conn,
          {
            model: candidate.model,
            input: request.input,
            ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
          },
          { signal: signal.signal, ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}) },
        );
      } catch (error) {
        await settle(reservation, 0);
        if (isCallerAbort(error, callOptions.signal) || !(error instanceof ProviderError)) {
          limiter.giveBack(ticket, inputTokens);
          throw error;
        }
        stats.observe(candidate.provider, candidate.model, {
          ok: false,
          latencyMs: now() - attemptStarted,
          ttftMs: null,
        });
        attempts.push(failedAttempt(candidate.provider, candidate.model, error, now() - attemptStarted));
        lastError = error;
        if (!error.fallbackAllowed) {
          limiter.giveBack(ticket, inputTokens);
          return refuse(call, finalError(attempts, error), attempts);
        }
        continue;
      } finally {
        signal.done();
      }
      const latency = now() - attemptStarted;
      stats.observe(candidate.provider, candidate.model, { ok: true, latencyMs: latency, ttftMs: null });
      const usage: Usage = {
        prompt_tokens: response.usage.prompt_tokens,
        completion_tokens: 0,
        total_tokens: response.usage.total_tokens,
      };
      const { counts, cost } = usageCost(candidate, usage);
      await settle(reservation, cost);
      limiter.giveBack(ticket, inputTokens - counts.tokensIn);
      attempts.push({
        provider: candidate.provider,
        model: candidate.model,
        outcome: 'succeeded',
        latencyMs: Math.round(latency),
      });
      const simulated = conn.kind === 'simulated';
      return await commit(
        record(call, {
          outcome: 'succeeded',
          provider: candidate.provider,
          model: candidate.model,
          priceId: candidate.price?.priceId ?? null,
          priceSource: candidate.price?.source ?? null,
          ...counts,
          costMicroUsd: cost,
          simulated,
          attempts,
        }),
        response,
        summaryOf(call, {
          provider: candidate.provider,
          model: candidate.model,
          costMicroUsd: cost,
          usage,
          cacheHit: false,
          simulated,
          attempts,
        }),
      );
    }
    limiter.giveBack(ticket, inputTokens);
    return refuse(call, finalError(attempts, lastError), attempts);
  };

  const listModels = async (tenantId: string): Promise<ListedModel[]> => {
    const [global, tenant] = await Promise.all([catalog.global(), catalog.tenant(tenantId)]);
    const listed: ListedModel[] = [...tenant.aliases.keys()]
      .sort()
      .map((id) => ({ id, kind: 'alias', provider: null }));
    for (const [ref, model] of global.models) {
      const provider = global.providers.get(model.provider);
      const keyed =
        provider && (provider.keyless || provider.platformKey !== null || tenant.keys.has(model.provider));
      if (keyed && tenant.prices.has(ref))
        listed.push({ id: ref, kind: model.kind, provider: model.provider });
    }
    return listed;
  };

  return {
    chat,
    chatStream,
    embed,
    listModels,
    invalidate: catalog.invalidate,
    async flush() {
      await calls.flush();
      await cache.flush();
      await stats.flush();
    },
    async close() {
      await calls.close();
      await cache.flush();
      await stats.close();
    },
  };
}
