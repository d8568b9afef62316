import { attemptSignal, failedAttempt, finalError, isCallerAbort } from './attempt.ts';
import type { CallAttempt, Gateway } from './gateway-types.ts';
import { type LlmProvider, type Usage, ProviderError } from './providers/provider.ts';
import type { CallSteps } from './call-steps.ts';
import type { GatewayResources } from './gateway-resources.ts';

/** Embeddings: like a chat call, priced by input tokens, never cached. */
export function createEmbedCall(resources: GatewayResources, steps: CallSteps): Gateway['embed'] {
  const { options, now, tokens, stats, limiter } = resources;
  const {
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
    replayOf,
    commit,
  } = steps;
  return async (caller, request, callOptions = {}) => {
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
}
