import { StepError } from '../step-executor.ts';
import { HttpStepError } from './errors.ts';

/** Certificate problems: the same certificate will fail the same way on the next attempt. */
const CERTIFICATE_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/**
 * Normalises whatever an attempt threw, once: the step's own abort wins (the engine cancelled
 * it), then the timeout, then our own codes; system errors of the transport become codes here.
 */
export function coerceHttpError(error: unknown, stepSignal: AbortSignal, deadline: AbortSignal): StepError {
  if (stepSignal.aborted) {
    // The engine may abort with its own StepError as the reason; keep it, else the interface's code.
    return stepSignal.reason instanceof StepError
      ? stepSignal.reason
      : new StepError('STEP_ABORTED', 'The step was aborted', false, { cause: stepSignal.reason });
  }
  if (error instanceof StepError) return error;
  if (deadline.aborted)
    return deadline.reason instanceof HttpStepError ? deadline.reason : new HttpStepError('HTTP_TIMEOUT');
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return new StepError('STEP_FAILED', message, true, { cause: error });
  if (CERTIFICATE_ERRORS.has(code))
    return new HttpStepError('HTTP_TLS_FAILED', `TLS failed: ${message}`, { cause: error });
  if (code.startsWith('HPE_') || code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return new HttpStepError('HTTP_RESPONSE_INVALID', `The response could not be read: ${message}`, {
      cause: error,
    });
  }
  return new HttpStepError('HTTP_CONNECTION_FAILED', `The connection failed: ${message}`, { cause: error });
}
