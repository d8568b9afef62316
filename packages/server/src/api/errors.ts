import { sqlState, SQLSTATE } from '../db/index.ts';

/** Errors the HTTP edge itself raises, with stable codes (docs/errors.md). */
export const API_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'Request is invalid' },
  UNKNOWN_FIELD: { status: 400, message: 'Request has fields this endpoint does not accept' },
  MALFORMED_JSON: { status: 400, message: 'Request body is not valid JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send request bodies as application/json' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint' },
  OPERATOR_API_DISABLED: {
    status: 404,
    message: 'The operator API is disabled on this deployment (SHOAL_OPERATOR_TOKEN is unset)',
  },
  OPERATOR_UNAUTHENTICATED: {
    status: 401,
    message: 'The operator API needs "Authorization: Bearer <SHOAL_OPERATOR_TOKEN>"',
  },
  METRICS_UNAUTHENTICATED: {
    status: 401,
    message: '/metrics needs "Authorization: Bearer <SHOAL_METRICS_TOKEN>"',
  },
  SIGNUP_DISABLED: { status: 403, message: 'Sign-up is disabled on this deployment' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry after the time in Retry-After' },
  CONFLICT: { status: 409, message: 'The request conflicts with existing data' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A dependency is unavailable' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message ?? API_ERRORS[code].message, options);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

/** Any error from another layer that carries a stable code and an HTTP status. */
interface CodedError {
  code: string;
  status: number;
  message: string;
  details?: Record<string, unknown> | undefined;
  headers?: Record<string, string> | undefined;
}

function isCodedError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: unknown; status?: unknown };
  return typeof e.code === 'string' && /^[A-Z][A-Z_]+$/.test(e.code) && typeof e.status === 'number';
}

/** Fastify's own errors (body parsing, limits), by their `FST_ERR_*` code. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
};

/** Catches `unknown` once: every failure becomes one coded error, keeping the cause for logs. */
export function normaliseError(error: unknown): CodedError & { internal: boolean } {
  if (isCodedError(error))
    return { ...error, message: error.message, details: error.details, internal: false };
  const e = error as { code?: unknown; statusCode?: unknown; name?: unknown };
  const fastifyCode = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
  if (fastifyCode)
    return { ...new ApiError(fastifyCode), message: API_ERRORS[fastifyCode].message, internal: false };
  if (error instanceof SyntaxError && e.statusCode === 400) {
    return { ...new ApiError('MALFORMED_JSON'), message: API_ERRORS.MALFORMED_JSON.message, internal: false };
  }
  if (sqlState(error) === SQLSTATE.uniqueViolation) {
    return { code: 'CONFLICT', status: 409, message: API_ERRORS.CONFLICT.message, internal: false };
  }
  return { code: 'INTERNAL', status: 500, message: API_ERRORS.INTERNAL.message, internal: true };
}
