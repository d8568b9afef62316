import { attemptSignal, failedAttempt, finalError } from './attempt.ts';
import type { BudgetReservation } from './budget-port.ts';
import type { Candidate } from './candidates.ts';
import { GatewayError } from './errors.ts';
import type { CallAttempt, CallSummary, Gateway, GatewayChatStream } from './gateway-types.ts';
import type { LimitTicket } from './llm-limiter.ts';
import {
  type ChatChunk,
  type ChatResponse,
  type ProviderConnection,
  type Usage,
  ProviderError,
} from './providers/provider.ts';
import { createChunkAssembler, responseToChunks } from './stream-assembly.ts';
import type { CallSteps, PreparedCall } from './call-steps.ts';
import type { GatewayResources } from './gateway-resources.ts';

/** A streamed chat completion: falls back until a candidate sends its first chunk, then hands the stream over. */
export function createChatStreamCall(resources: GatewayResources, steps: CallSteps): Gateway['chatStream'] {
  const { options, now, tokens, calls, stats, limiter, cache } = resources;
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
    const { key, hit } = await cachedAnswer(call, request, upstream, true);
    if (hit) return stored(hit.response, hit.call);
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

  return chatStream;
}
