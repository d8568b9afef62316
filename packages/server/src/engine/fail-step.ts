import type { Queryable } from '../db/index.ts';
import type { Claim } from './claim.ts';
import { EngineError } from './errors.ts';
import { failRun } from './finish-run.ts';
import { lockRun, markRunRunning } from './run-lock.ts';
import { retryDelayMs, shouldRetry, type RetryPolicy } from './retry-schedule.ts';

export interface StepFailure {
  code: string;
  message: string;
  /** False for errors that retrying cannot fix (the error type decides, STYLE.md). */
  retryable?: boolean;
  /** How long the executor ran, ms: the tenant's measured cost (ADR 0005). */
  workMs?: number;
}

/**
 * Records a failed attempt, fenced like completion. The step is queued again after its
 * backoff, or, out of attempts or with a non-retryable error, fails and fails its run.
 */
export async function failStep(
  tx: Queryable,
  claim: Claim,
  failure: StepFailure,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Promise<{ outcome: 'retrying'; delayMs: number } | { outcome: 'failed' }> {
  await lockRun(tx, claim.tenantId, claim.runId);
  const current = await tx.query(
    `select 1 from run_steps
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running' and attempt = $4
      for update`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt],
  );
  if (current.rows.length === 0)
    throw new EngineError('LEASE_LOST', undefined, { stepKey: claim.stepKey, attempt: claim.attempt });
  await markRunRunning(tx, claim.tenantId, claim.runId);
  const message = failure.message.slice(0, 2000);
  await tx.query(
    `update step_attempts set outcome = 'failed', ended_at = now(), error_code = $5, error_message = $6, work_ms = $7
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [
      claim.tenantId,
      claim.runId,
      claim.stepKey,
      claim.attempt,
      failure.code,
      message,
      failure.workMs ?? null,
    ],
  );
  const retry = shouldRetry(
    { ...policy, maxAttempts: Math.min(policy.maxAttempts, claim.maxAttempts) },
    claim.attempt,
    failure.code,
    failure.retryable,
  );
  if (retry) {
    const delayMs = retryDelayMs(policy, claim.attempt, random());
    await tx.query(
      `update run_steps set state = 'ready', error_code = $4, error_message = $5
        where tenant_id = $1 and run_id = $2 and step_key = $3`,
      [claim.tenantId, claim.runId, claim.stepKey, failure.code, message],
    );
    await tx.query(
      `update step_queue set lease_owner = null, lease_expires_at = null,
              available_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
        where tenant_id = $1 and run_id = $2 and step_key = $3`,
      [claim.tenantId, claim.runId, claim.stepKey, delayMs],
    );
    return { outcome: 'retrying', delayMs };
  }
  await tx.query(
    `update run_steps set state = 'failed', finished_at = now(), error_code = $4, error_message = $5
      where tenant_id = $1 and run_id = $2 and step_key = $3`,
    [claim.tenantId, claim.runId, claim.stepKey, failure.code, message],
  );
  await failRun(tx, claim.tenantId, claim.runId, {
    code: failure.code,
    message: `Step ${claim.stepKey} failed: ${message}`,
  });
  return { outcome: 'failed' };
}
