import { GatewayError } from './errors.ts';
import type { CallAttempt } from './gateway-types.ts';
import { ProviderError } from './providers/provider.ts';

/**
 * A signal for one upstream attempt: aborted with a `ProviderError('timeout')` after `timeoutMs`
 * (the provider rethrows that reason, so a timeout is told apart from the caller leaving), or
 * with the caller's own reason when the caller's signal aborts.
 */
export function attemptSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number,
  upstream: string,
): { signal: AbortSignal; restart(): void; done(): void } {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () =>
        controller.abort(new ProviderError('timeout', `${upstream} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  };
  arm();
  return {
    signal: controller.signal,
    /** A stream's next chunk gets a fresh `timeoutMs`: the limit is on silence, not on length. */
    restart: arm,
    done() {
      if (timer) clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** What an attempt's failure means for the call: another candidate, a wait, or the end. */
export function failedAttempt(
  provider: string,
  model: string,
  error: ProviderError,
  latencyMs: number,
): CallAttempt {
  return {
    provider,
    model,
    outcome: 'failed',
    failure: error.failure,
    ...(error.details.status === undefined ? {} : { status: error.details.status }),
    message: error.message.slice(0, 300),
    latencyMs: Math.round(latencyMs),
  };
}

/** The error a call ends with when no candidate answered (ADR 0006, step 6). */
export function finalError(attempts: readonly CallAttempt[], lastError: ProviderError | null): GatewayError {
  const failed = attempts.filter((a) => a.outcome === 'failed');
  const details = { attempts };
  if (lastError && !lastError.fallbackAllowed) {
    if (lastError.failure === 'bad_request')
      return new GatewayError(
        'UPSTREAM_REJECTED',
        `The upstream refused the request: ${lastError.message}`,
        details,
      );
    return new GatewayError(
      'UPSTREAM_FAILED',
      `${failed.at(-1)?.provider ?? 'The upstream'} failed (${lastError.failure}): ${lastError.message}`,
      details,
    );
  }
  const tried = failed
    .map((a) => `${a.provider}/${a.model} (${a.failure}${a.status ? ` ${a.status}` : ''})`)
    .join(', ');
  if (failed.length > 0 && failed.every((a) => a.failure === 'rate_limited')) {
    const wait = lastError?.details.retryAfterMs;
    return new GatewayError(
      'UPSTREAM_RATE_LIMITED',
      `Every candidate is rate limited upstream: ${tried}`,
      details,
      wait === undefined ? undefined : { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
    );
  }
  if (failed.length > 0 && failed.every((a) => a.failure === 'timeout'))
    return new GatewayError('UPSTREAM_TIMEOUT', `Every candidate timed out: ${tried}`, details);
  return new GatewayError('UPSTREAM_FAILED', `Every candidate failed: ${tried}`, details);
}

/** A caller that went away (its signal aborted): not a provider's failure. */
export const isCallerAbort = (error: unknown, caller: AbortSignal | undefined): boolean =>
  caller?.aborted === true && !(error instanceof ProviderError);
