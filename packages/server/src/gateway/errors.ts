/** Errors of gateway/, with stable codes and HTTP status (docs/errors.md). */
export const GATEWAY_ERRORS = {
  MODEL_NOT_FOUND: { status: 404, message: 'No such model in the catalog' },
  MODEL_UNPRICED: {
    status: 422,
    message: 'The model has no price in effect; it is never charged as free, so it cannot be called',
  },
  WRONG_MODEL_KIND: {
    status: 422,
    message: 'The model is of the wrong kind for this call (a chat model for embeddings or the reverse)',
  },
  ALIAS_NOT_FOUND: { status: 404, message: 'No such model alias' },
  ALIAS_UNKNOWN_MODEL: {
    status: 422,
    message: 'An alias candidate names a model that is not in the catalog',
  },
  ALIAS_MIXED_KINDS: {
    status: 422,
    message: 'The candidates of an alias must all be chat models or all embedding models',
  },
  PRICE_OVERRIDE_NOT_FOUND: { status: 404, message: 'The tenant has no price override for this model' },
  PRICE_ALREADY_EXISTS: {
    status: 409,
    message: 'The model already has a price starting at this effectiveFrom',
  },
  PROVIDER_NOT_FOUND: { status: 404, message: 'No such LLM provider' },
  NO_CANDIDATE: {
    status: 422,
    message: 'No candidate of the alias meets the requested tier with a provider key and a price',
  },
  PROVIDER_NOT_CONFIGURED: {
    status: 422,
    message: 'The provider has neither a tenant key nor a platform key',
  },
  UPSTREAM_FAILED: { status: 502, message: 'Every candidate model failed; details list the attempts' },
  UPSTREAM_RATE_LIMITED: {
    status: 429,
    message: 'Every candidate model is rate limited upstream; retry after the time in Retry-After',
  },
  UPSTREAM_REJECTED: {
    status: 400,
    message: 'The upstream model refused the request as invalid; details carry its message',
  },
  UPSTREAM_TIMEOUT: { status: 504, message: 'The upstream model did not answer in time' },
  GATEWAY_REQUESTS_RATE_LIMITED: {
    status: 429,
    message: 'Too many LLM requests this minute; retry after the time in Retry-After',
  },
  GATEWAY_TOKENS_RATE_LIMITED: {
    status: 429,
    message: 'Too many LLM tokens this minute; retry after the time in Retry-After',
  },
  BUDGET_EXCEEDED: { status: 402, message: 'The call could cost more than the budget that remains' },
  INVALID_LLM_REQUEST: { status: 400, message: 'The LLM request is invalid' },
} as const satisfies Record<string, { status: number; message: string }>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly status: number;
  constructor(
    readonly code: GatewayErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message ?? GATEWAY_ERRORS[code].message, options);
    this.name = 'GatewayError';
    this.status = GATEWAY_ERRORS[code].status;
  }
}
