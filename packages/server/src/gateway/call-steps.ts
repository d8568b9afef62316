import { randomUUID } from 'node:crypto';
import { failedAttempt, finalError, isCallerAbort } from './attempt.ts';
import type { BudgetReservation } from './budget-port.ts';
import type { CallRecord } from './call-log.ts';
import { planRoute, tierBand, type Candidate } from './candidates.ts';
import { costMicroUsd } from './cost.ts';
import { GatewayError } from './errors.ts';
import type { TenantCatalog } from './gateway-catalog.ts';
import type { CallAttempt, CallSummary, GatewayCaller, GatewayChatRequest } from './gateway-types.ts';
import type { LimitTicket, ScopeLimits } from './llm-limiter.ts';
import { ProviderError } from './providers/provider.ts';
import type {
  ChatMessage,
  ChatRequest,
  ChatResponse,
  LlmProvider,
  ProviderConnection,
  ProviderKind,
  Usage,
} from './providers/provider.ts';
import { resolveModel, type ResolvedModel } from './resolve-model.ts';
import { cacheKey } from './response-cache.ts';
import type { GatewayResources } from './gateway-resources.ts';

export const ZERO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/** Everything decided about a call before its first upstream attempt. */
export interface PreparedCall {
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

/** The steps every call goes through (ADR 0006, "The path of one call"), shared by chat, stream and embed. */
export function createCallSteps(resources: GatewayResources) {
  const { deps, options, now, random, sleep, catalog, calls, stats, limiter, cache } = resources;

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
    startedAt: call.started,
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
      // Metering's own BUDGET_EXCEEDED (it cannot import gateway): recorded and answered like ours.
      const coded = error as { code?: unknown; status?: unknown; message?: string; details?: unknown };
      if (error instanceof Error && coded.code === 'BUDGET_EXCEEDED' && coded.status === 402)
        return refuse(
          call,
          new GatewayError(
            'BUDGET_EXCEEDED',
            error.message,
            coded.details as Record<string, unknown> | undefined,
            undefined,
            { cause: error },
          ),
        );
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

  /**
   * The cache side of a chat call (ADR 0006, step 3): its key when the call uses the cache, and
   * the stored answer when there is one — recorded as a hit at no cost, counting one request
   * against the limits and no tokens.
   */
  const cachedAnswer = async (
    call: PreparedCall,
    request: GatewayChatRequest,
    upstream: Omit<ChatRequest, 'model'>,
    streamed: boolean,
  ): Promise<{ key: string | null; hit: { response: ChatResponse; call: CallSummary } | null }> => {
    const useCache = request.cache ?? call.resolved.spec.cache.enabled;
    if (!useCache) return { key: null, hit: null };
    const key = cacheKey('chat', { ...upstream, model: request.model });
    const found = await cache.get(call.caller.tenantId, key);
    if (!found) return { key, hit: null };
    await takeLimits(call, 0);
    const simulated = found.response.system_fingerprint === 'shoal-simulated';
    const hit = await commit(
      record(call, {
        outcome: 'succeeded',
        provider: found.provider,
        model: found.model,
        cacheHit: true,
        simulated,
        streamed,
      }),
      found.response,
      summaryOf(call, {
        provider: found.provider,
        model: found.model,
        costMicroUsd: 0,
        usage: found.response.usage,
        cacheHit: true,
        simulated,
        attempts: [],
      }),
    );
    return { key, hit };
  };

  /**
   * What a failed attempt leads to: the same candidate again after a short `Retry-After`
   * (waited out once), the next candidate, or the end of the call — thrown when the caller went
   * away, the error is not the provider's, or the failure rules fallbacks out (a 400, a stream
   * cut after its first token).
   */
  const attemptFailed = async (
    call: PreparedCall,
    candidate: Candidate,
    failure: {
      error: unknown;
      started: number;
      reservation: BudgetReservation | null;
      attempts: CallAttempt[];
      waited: boolean;
      callerSignal: AbortSignal | undefined;
    },
  ): Promise<{ next: 'retry' | 'next'; error: ProviderError }> => {
    const { error, attempts } = failure;
    if (isCallerAbort(error, failure.callerSignal) || !(error instanceof ProviderError)) {
      await settle(failure.reservation, 0);
      throw error;
    }
    const latencyMs = now() - failure.started;
    stats.observe(candidate.provider, candidate.model, { ok: false, latencyMs, ttftMs: null });
    attempts.push(failedAttempt(candidate.provider, candidate.model, error, latencyMs));
    const wait = error.details.retryAfterMs;
    if (
      error.failure === 'rate_limited' &&
      !failure.waited &&
      wait !== undefined &&
      wait <= options.maxRetryAfterMs
    ) {
      await sleep(wait);
      return { next: 'retry', error };
    }
    await settle(failure.reservation, 0);
    if (!error.fallbackAllowed) return refuse(call, finalError(attempts, error), attempts);
    return { next: 'next', error };
  };

  return {
    attemptFailed,
    cachedAnswer,
    providerFor,
    connection,
    prepare,
    record,
    refuse,
    scopesOf,
    takeLimits,
    route,
    reserve,
    settle,
    usageCost,
    summaryOf,
    upstreamChat,
    replayOf,
    commit,
  };
}

export type CallSteps = ReturnType<typeof createCallSteps>;
