import type { Queryable } from '../db/index.ts';
import type { Claim } from './claim.ts';
import { EngineError } from './errors.ts';
import { lockRun, markRunRunning } from './run-lock.ts';
import { settleDependants } from './settle-dependants.ts';

export const WAIT_REASONS = ['sleep', 'approval', 'task', 'workflow'] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/**
 * Parks a claimed step: it waits (for a time, a decision, a task or a child run) holding no
 * worker slot and no queue row (invariant I4). Fenced like completion.
 */
export async function parkStep(
  tx: Queryable,
  claim: Claim,
  reason: WaitReason,
  wakeAt: Date | null,
): Promise<void> {
  await lockRun(tx, claim.tenantId, claim.runId);
  const parked = await tx.query(
    `update run_steps set state = 'waiting', wait_reason = $5, wake_at = $6
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running' and attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt, reason, wakeAt],
  );
  if (parked.rowCount === 0)
    throw new EngineError('LEASE_LOST', undefined, { stepKey: claim.stepKey, attempt: claim.attempt });
  await markRunRunning(tx, claim.tenantId, claim.runId);
  await tx.query(
    `update step_attempts set outcome = 'waiting', ended_at = now()
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt],
  );
  await tx.query('delete from step_queue where tenant_id = $1 and run_id = $2 and step_key = $3', [
    claim.tenantId,
    claim.runId,
    claim.stepKey,
  ]);
}

/** System role: sleeping steps whose time has come, oldest first. */
export async function findDueSleeps(
  sys: Queryable,
  limit = 500,
): Promise<{ tenantId: string; runId: string; stepKey: string }[]> {
  const due = await sys.query<{ tenant_id: string; run_id: string; step_key: string }>(
    `select tenant_id, run_id, step_key from run_steps
      where state = 'waiting' and wait_reason = 'sleep' and wake_at <= clock_timestamp()
      order by wake_at limit $1`,
    [limit],
  );
  return due.rows.map((r) => ({ tenantId: r.tenant_id, runId: r.run_id, stepKey: r.step_key }));
}

/** Ends a sleep whose time has come (tenant transaction); a second call for the same step does nothing. */
export async function wakeSleepingStep(
  tx: Queryable,
  step: { tenantId: string; runId: string; stepKey: string },
  options: { pool: string },
): Promise<boolean> {
  await lockRun(tx, step.tenantId, step.runId);
  const woken = await tx.query<{ step_id: string; attempt: number; wake_at: Date }>(
    `update run_steps set state = 'succeeded', finished_at = now(), output = jsonb_build_object('sleptUntil', wake_at)
      where tenant_id = $1 and run_id = $2 and step_key = $3
        and state = 'waiting' and wait_reason = 'sleep' and wake_at <= clock_timestamp()
      returning step_id, attempt, wake_at`,
    [step.tenantId, step.runId, step.stepKey],
  );
  const row = woken.rows[0];
  if (!row) return false;
  await tx.query(
    `update step_attempts set outcome = 'succeeded' where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [step.tenantId, step.runId, step.stepKey, row.attempt],
  );
  await settleDependants(tx, step.tenantId, step.runId, [{ stepId: row.step_id, succeeded: true }], options);
  return true;
}
