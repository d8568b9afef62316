/** Codes the SDK itself raises, next to the server's (which callers switch on the same way). */
export const SDK_ERROR_CODES = ['UNEXPECTED_RESPONSE'] as const;
export type SdkErrorCode = (typeof SDK_ERROR_CODES)[number];

export interface ShoalApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
  requestId: string | null;
  retryAfterSeconds?: number | undefined;
  cause?: unknown;
}

/**
 * A non-2xx answer from the Shoal API, with the server's stable `code` (docs/errors.md), or
 * `UNEXPECTED_RESPONSE` when the answer is not the API's JSON (a proxy's error page, say).
 */
export class ShoalApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  /** The server's request id: quote it when reporting a problem; audit events carry it too. */
  readonly requestId: string | null;
  /** From the Retry-After header, when the server sent one (429 RATE_LIMITED, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ShoalApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ShoalApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** Whether the same request may succeed later unchanged: rate limited or temporarily unavailable. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 503;
  }
}

interface ErrorShape {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

function isErrorShape(value: unknown): value is ErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, details } = error as Record<string, unknown>;
  return (
    typeof code === 'string' &&
    typeof message === 'string' &&
    (details === undefined || (typeof details === 'object' && details !== null))
  );
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Turns a non-2xx response (its body already read as text) into one ShoalApiError. */
export function errorFromResponse(response: Response, text: string): ShoalApiError {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const headerRequestId = response.headers.get('x-request-id');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    body = error;
  }
  if (isErrorShape(body)) {
    const { code, message, details, requestId } = body.error;
    return new ShoalApiError({
      status: response.status,
      code,
      message,
      details,
      requestId: typeof requestId === 'string' ? requestId : headerRequestId,
      retryAfterSeconds,
    });
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new ShoalApiError({
    status: response.status,
    code: 'UNEXPECTED_RESPONSE' satisfies SdkErrorCode,
    message: `HTTP ${response.status} ${response.statusText} without a Shoal error body${snippet ? `: ${snippet}` : ''}`,
    requestId: headerRequestId,
    retryAfterSeconds,
    cause: body instanceof Error ? body : undefined,
  });
}
