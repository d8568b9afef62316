import { attemptSignal, finalError } from './attempt.ts';
import type { CallAttempt, Gateway } from './gateway-types.ts';
import type { ProviderError } from './providers/provider.ts';
import { type ChatResponse, type LlmProvider } from './providers/provider.ts';
import type { CallSteps } from './call-steps.ts';
import type { GatewayResources } from './gateway-resources.ts';

/** A plain chat completion: replay, cache, limits, route, then each candidate until one answers. */
export function createChatCall(resources: GatewayResources, steps: CallSteps): Gateway['chat'] {
  const { options, now, tokens, stats, limiter, cache } = resources;
  const {
    attemptFailed,
    cachedAnswer,
    providerFor,
    connection,
    prepare,
    record,
    refuse,
    takeLimits,
    route,
    reserve,
    settle,
    usageCost,
    summaryOf,
    upstreamChat,
    replayOf,
    commit,
  } = steps;
  return async (caller, request, callOptions = {}) => {
    const call = await prepare(caller, request.model, 'chat', request.idempotencyKey);
    const replay = await replayOf(call);
    if (replay) return { response: replay.response as ChatResponse, call: replay.call };
    const upstream = upstreamChat(request, call);
    const { key, hit } = await cachedAnswer(call, request, upstream, false);
    if (hit) return hit;
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
            const failed = await attemptFailed(call, candidate, {
              error,
              started: attemptStarted,
              reservation,
              attempts,
              waited,
              callerSignal: callOptions.signal,
            });
            lastError = failed.error;
            if (failed.next === 'retry') {
              waited = true;
              continue;
            }
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
}
