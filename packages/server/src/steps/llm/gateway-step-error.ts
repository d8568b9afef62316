import { GatewayError, type GatewayErrorCode } from '../../gateway/index.ts';
import { StepError } from '../step-executor.ts';

/**
 * Whether another attempt of the step may help, per gateway error: limits and upstream
 * outages pass, while a missing model, price, key or budget, or a refused request, stays.
 */
export const GATEWAY_ERROR_RETRYABLE = {
  GATEWAY_REQUESTS_RATE_LIMITED: true,
  GATEWAY_TOKENS_RATE_LIMITED: true,
  UPSTREAM_RATE_LIMITED: true,
  UPSTREAM_FAILED: true,
  UPSTREAM_TIMEOUT: true,
  MODEL_NOT_FOUND: false,
  MODEL_UNPRICED: false,
  WRONG_MODEL_KIND: false,
  ALIAS_NOT_FOUND: false,
  ALIAS_UNKNOWN_MODEL: false,
  ALIAS_MIXED_KINDS: false,
  PRICE_OVERRIDE_NOT_FOUND: false,
  PRICE_ALREADY_EXISTS: false,
  PROVIDER_NOT_FOUND: false,
  NO_CANDIDATE: false,
  PROVIDER_NOT_CONFIGURED: false,
  UPSTREAM_REJECTED: false,
  BUDGET_EXCEEDED: false,
  INVALID_LLM_REQUEST: false,
} as const satisfies Record<GatewayErrorCode, boolean>;

/** A gateway error as the step's error, with the gateway's code; anything else as it was. */
export function gatewayStepError(error: unknown): unknown {
  if (!(error instanceof GatewayError)) return error;
  return new StepError(error.code, error.message, GATEWAY_ERROR_RETRYABLE[error.code], { cause: error });
}
