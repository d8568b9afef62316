import { REDACTED, redactText } from '../../observability/index.ts';
import { ProviderError } from './provider.ts';
import type { ProviderFailure } from './provider.ts';

/** How much of an upstream's error message a ProviderError keeps. */
const MAX_UPSTREAM_MESSAGE = 300;

/** The failure an HTTP status means (ADR 0006: 429, 5xx, timeouts fall back; the rest do not). */
export function failureForStatus(status: number): ProviderFailure {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** `retry-after-ms` (OpenAI), else `Retry-After` in seconds or as an HTTP date; undefined when neither. */
export function retryAfterMs(headers: Pick<Headers, 'get'>, now: () => number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

/** The message an upstream put in its error body (`{error: {message}}` in both protocols), cut short. */
export function upstreamMessage(bodyText: string): string {
  let message = bodyText.trim();
  try {
    const body: unknown = JSON.parse(bodyText);
    const found = findMessage(body);
    if (found !== undefined) message = found;
  } catch {
    // Not JSON: the raw text is the message.
  }
  return truncate(message.replace(/\s+/g, ' '), MAX_UPSTREAM_MESSAGE);
}

function findMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.error === 'string') return record.error;
  if (typeof record.error === 'object' && record.error !== null) {
    const inner = (record.error as Record<string, unknown>).message;
    if (typeof inner === 'string') return inner;
  }
  if (typeof record.message === 'string') return record.message;
  if (typeof record.detail === 'string') return record.detail;
  return undefined;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `text` without any of the request's credentials (those long enough to be one). */
function withoutCredentials(text: string, credentials: readonly string[]): string {
  let safe = text;
  for (const credential of credentials)
    if (credential.length >= 8) safe = safe.split(credential).join(REDACTED);
  return safe;
}

/** A non-2xx answer as a ProviderError with its status and, for 429 and 5xx, its Retry-After. */
export async function errorFromResponse(
  upstream: string,
  response: Response,
  now: () => number,
  credentials: readonly string[] = [],
): Promise<ProviderError> {
  let bodyText = '';
  try {
    bodyText = await response.text();
  } catch {
    // The body broke off; the status alone decides.
  }
  return errorFromAnswer(upstream, response.status, response.headers, bodyText, now, credentials);
}

/** `errorFromResponse` of an answer already read whole: its status, headers and body text. */
export function errorFromAnswer(
  upstream: string,
  status: number,
  headers: Pick<Headers, 'get'>,
  bodyText: string,
  now: () => number,
  credentials: readonly string[] = [],
): ProviderError {
  const failure = failureForStatus(status);
  // The request's own credentials go before the message is cut short, so no part of one is kept.
  const detail = redactText(upstreamMessage(withoutCredentials(bodyText, credentials)));
  const retryAfter = retryAfterMs(headers, now);
  return new ProviderError(failure, `${upstream} answered ${status}${detail ? `: ${detail}` : ''}`, {
    status,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}

/**
 * What to throw once the caller's signal aborted: the gateway's own timeout (a ProviderError
 * `timeout` set as the reason) as itself, anything else as the caller's cancellation, an
 * AbortError, which the gateway must not treat as an upstream failure.
 */
export function abortError(signal: AbortSignal, afterFirstToken = false): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof ProviderError) {
    if (!afterFirstToken || reason.details.afterFirstToken) return reason;
    return new ProviderError(
      reason.failure,
      reason.message,
      { ...reason.details, afterFirstToken },
      { cause: reason },
    );
  }
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The caller cancelled the upstream request', 'AbortError');
}

/** Throws `abortError(signal)` when the signal has already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/** A failure of fetch itself (no HTTP answer): an abort as above, else the network. */
export function errorFromFetch(upstream: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return abortError(signal);
  if (error instanceof ProviderError) return error;
  return new ProviderError(
    'network',
    `${upstream} could not be reached: ${describe(error)}`,
    {},
    { cause: error },
  );
}

/** A read of a stream that broke: an abort as above, else a cut stream. */
export function errorFromBrokenStream(
  upstream: string,
  error: unknown,
  signal: AbortSignal,
  afterFirstToken: boolean,
): unknown {
  if (signal.aborted) return abortError(signal, afterFirstToken);
  if (error instanceof ProviderError) return error;
  return new ProviderError(
    'stream_cut',
    `${upstream} broke off the stream${afterFirstToken ? ' after its first token' : ' before its first token'}: ${describe(error)}`,
    { afterFirstToken },
    { cause: error },
  );
}

/** An error's message with its cause's (undici puts `ECONNREFUSED` in the cause). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error && cause.message && cause.message !== error.message) {
    return `${error.message} (${cause.message})`;
  }
  return error.message;
}
