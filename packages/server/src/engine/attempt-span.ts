import {
  contextFromTraceparent,
  SpanKind,
  SpanStatusCode,
  type Span,
  type Tracing,
} from '../observability/index.ts';
import type { Claim } from './claim.ts';

/** How an attempt ended, as its span's `shoal.step.outcome` says. */
export const ATTEMPT_OUTCOMES = [
  'succeeded',
  'skipped',
  'waiting',
  'retrying',
  'failed',
  'lease_lost',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * The span of one step attempt, a child of the run's span through the traceparent stored on
 * the run (ADR 0011): ids and names only, never the step's input or output.
 */
export function startAttemptSpan(tracing: Tracing, claim: Claim): Span {
  return tracing.tracer.startSpan(
    'shoal.step',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'shoal.tenant_id': claim.tenantId,
        'shoal.workflow_id': claim.workflowId,
        'shoal.workflow_version': claim.workflowVersion,
        'shoal.run_id': claim.runId,
        'shoal.step_key': claim.stepKey,
        'shoal.step_id': claim.stepId,
        'shoal.step_type': claim.stepType,
        'shoal.attempt': claim.attempt,
        'shoal.worker_id': claim.workerId,
      },
    },
    contextFromTraceparent(claim.traceContext),
  );
}

/** Ends an attempt's span with its outcome; a failure carries its code, not its message. */
export function endAttemptSpan(span: Span, outcome: AttemptOutcome, errorCode: string | null): void {
  span.setAttribute('shoal.step.outcome', outcome);
  if (errorCode) {
    span.setAttribute('shoal.error.code', errorCode);
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
  }
  span.end();
}
