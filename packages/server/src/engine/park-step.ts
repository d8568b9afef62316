import type { Queryable } from '../db/index.ts';
import type { RunTrace } from '../observability/index.ts';
import type { Claim } from './claim.ts';
import { EngineError } from './errors.ts';
import { lockRun, markRunRunning, syncRunWaiting } from './run-lock.ts';
import { failRun, resolveWait, settleMapItems } from './finish-run.ts';
import { startChildRun } from './child-runs.ts';
import { fanOutMap } from './map-items.ts';
import { createTask } from './tasks/create-task.ts';

export const WAIT_REASONS = ['sleep', 'approval', 'task', 'workflow', 'map'] as const;

/** Waits that end when `wake_at` passes here: a sleep wakes, the others time out. */
const TIMED_WAITS = `('sleep', 'approval', 'workflow', 'map')`;
export type WaitReason = (typeof WAIT_REASONS)[number];

/**
 * Parks a claimed step: it waits (for a time, a decision, a task or a child run) holding no
 * worker slot and no queue row (invariant I4). Fenced like completion.
 */
export async function parkStep(
  tx: Queryable,
  claim: Claim,
  wait: { reason: WaitReason; wakeAt: Date | null; input: unknown; trace?: RunTrace | null },
  options: { pool: string } = { pool: 'shared' },
): Promise<void> {
  await lockRun(tx, claim.tenantId, claim.runId);
  const parked = await tx.query(
    `update run_steps set state = 'waiting', wait_reason = $5, wake_at = $6, input = $7
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running' and attempt = $4`,
    [
      claim.tenantId,
      claim.runId,
      claim.stepKey,
      claim.attempt,
      wait.reason,
      wait.wakeAt,
      JSON.stringify(wait.input ?? null),
    ],
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
  // What the step waits for is created in the same transaction: a wait is never left without it (I2).
  if (wait.reason === 'workflow') await startChildRun(tx, claim, wait.input, wait.trace ?? null);
  if (wait.reason === 'task') await createTask(tx, claim, wait.input);
  if (wait.reason === 'map') {
    await fanOutMap(tx, claim, wait.input);
    await settleMapItems(tx, claim.tenantId, claim.runId, claim.stepKey, options);
  }
  await syncRunWaiting(tx, claim.tenantId, claim.runId);
}

/** System role: sleeps, approvals and waits with a timeout whose time has come, oldest first. */
export async function findDueWaits(
  sys: Queryable,
  limit = 500,
): Promise<{ tenantId: string; runId: string; stepKey: string }[]> {
  const due = await sys.query<{ tenant_id: string; run_id: string; step_key: string }>(
    `select tenant_id, run_id, step_key from run_steps
      where state = 'waiting' and wait_reason in ${TIMED_WAITS} and wake_at <= clock_timestamp()
      order by wake_at limit $1`,
    [limit],
  );
  return due.rows.map((r) => ({ tenantId: r.tenant_id, runId: r.run_id, stepKey: r.step_key }));
}

/**
 * Ends a wait whose time has come (tenant transaction): a sleep succeeds; an approval takes its
 * default decision, or times out and fails the run. A second call for the same step does nothing.
 */
export async function wakeDueStep(
  tx: Queryable,
  step: { tenantId: string; runId: string; stepKey: string },
  options: { pool: string },
): Promise<boolean> {
  await lockRun(tx, step.tenantId, step.runId);
  const due = await tx.query<{
    step_id: string;
    attempt: number;
    wait_reason: WaitReason;
    wake_at: Date;
    input: unknown;
  }>(
    `select step_id, attempt, wait_reason, wake_at, input from run_steps
      where tenant_id = $1 and run_id = $2 and step_key = $3
        and state = 'waiting' and wait_reason in ${TIMED_WAITS} and wake_at <= clock_timestamp()`,
    [step.tenantId, step.runId, step.stepKey],
  );
  const row = due.rows[0];
  if (!row) return false;
  if (row.wait_reason === 'sleep') {
    await resolveWait(tx, step, row, { sleptUntil: row.wake_at.toISOString() }, options);
    return true;
  }
  if (row.wait_reason === 'workflow' || row.wait_reason === 'map') {
    // The step's `timeout` covers its wait: the run fails, which cancels the child run or items.
    await endWait(tx, step, row.attempt, {
      code: 'STEP_TIMEOUT',
      message: `Step ${step.stepKey} waited longer than its timeout for its ${row.wait_reason === 'map' ? 'items' : 'child run'}`,
    });
    return true;
  }
  const fallback = (row.input as { default?: unknown } | null)?.default;
  if (fallback === 'approve' || fallback === 'reject') {
    await resolveWait(
      tx,
      step,
      row,
      { decision: fallback, decidedBy: 'timeout', decidedAt: new Date().toISOString(), comment: null },
      options,
    );
    return true;
  }
  await endWait(tx, step, row.attempt, {
    code: 'APPROVAL_TIMED_OUT',
    message: `Approval ${step.stepKey} timed out: nobody decided`,
  });
  return true;
}

/** Times a waiting step out and fails its run with the same code. */
async function endWait(
  tx: Queryable,
  step: { tenantId: string; runId: string; stepKey: string },
  attempt: number,
  error: { code: string; message: string },
): Promise<void> {
  await tx.query(
    `update run_steps set state = 'timed_out', finished_at = now(), error_code = $4, error_message = $5
      where tenant_id = $1 and run_id = $2 and step_key = $3`,
    [step.tenantId, step.runId, step.stepKey, error.code, error.message],
  );
  await tx.query(
    `update step_attempts set outcome = 'timed_out', error_code = $5, error_message = $6
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [step.tenantId, step.runId, step.stepKey, attempt, error.code, error.message],
  );
  await failRun(tx, step.tenantId, step.runId, error);
}
