import type { Database, Queryable } from '../../db/index.ts';
import { lockRun } from '../run-lock.ts';
import { MAX_TASK_DELIVERIES } from './create-task.ts';
import { failWaitingStep, type WaitingStep } from './fail-waiting-step.ts';

interface StepRef {
  tenantId: string;
  runId: string;
  stepKey: string;
}

/** The step as it waits on its current task, under the run lock; null when it moved on. */
async function waitingOnTask(tx: Queryable, ref: StepRef, condition: string) {
  const found = await tx.query<{
    step_id: string;
    attempt: number;
    max_attempts: number;
    task_id: string | null;
  }>(
    `select s.step_id, s.attempt, s.max_attempts, t.id as task_id
       from run_steps s
       left join tasks t on t.tenant_id = s.tenant_id and t.run_id = s.run_id and t.step_key = s.step_key
                        and t.attempt = s.attempt
      where s.tenant_id = $1 and s.run_id = $2 and s.step_key = $3
        and s.state = 'waiting' and s.wait_reason = 'task' and ${condition}
        for update of s`,
    [ref.tenantId, ref.runId, ref.stepKey],
  );
  const row = found.rows[0];
  if (!row) return null;
  const step: WaitingStep = {
    ...ref,
    stepId: row.step_id,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
  };
  return { step, taskId: row.task_id };
}

/**
 * A task step whose `timeout` passed (tenant transaction): its task times out, and the attempt
 * fails with STEP_TIMEOUT under the retry policy; out of attempts, the step is `timed_out`.
 */
export async function timeOutTaskStep(
  tx: Queryable,
  ref: StepRef,
  options: { pool: string },
): Promise<boolean> {
  await lockRun(tx, ref.tenantId, ref.runId);
  const waiting = await waitingOnTask(tx, ref, 's.wake_at <= clock_timestamp()');
  if (!waiting) return false;
  await tx.query(
    `update tasks set state = 'timed_out', finished_at = now()
      where tenant_id = $1 and id = $2 and state in ('queued', 'leased')`,
    [ref.tenantId, waiting.taskId],
  );
  await failWaitingStep(
    tx,
    waiting.step,
    {
      code: 'STEP_TIMEOUT',
      message: 'No worker completed the task before the step timed out',
      retryable: true,
    },
    { pool: options.pool, finalState: 'timed_out' },
  );
  return true;
}

/**
 * A task whose last allowed delivery went silent past its heartbeat deadline (tenant
 * transaction): the attempt fails with TASK_HEARTBEAT_TIMEOUT under the retry policy.
 */
export async function expireSilentTask(
  tx: Queryable,
  ref: StepRef,
  options: { pool: string },
): Promise<boolean> {
  await lockRun(tx, ref.tenantId, ref.runId);
  const waiting = await waitingOnTask(
    tx,
    ref,
    `t.state = 'leased' and t.lease_expires_at <= clock_timestamp() and t.deliveries >= ${MAX_TASK_DELIVERIES}`,
  );
  if (!waiting) return false;
  const message = `The task's worker stopped heartbeating on each of ${MAX_TASK_DELIVERIES} deliveries`;
  await tx.query(
    `update tasks set state = 'failed', error_code = 'TASK_HEARTBEAT_TIMEOUT', error_message = $3, finished_at = now()
      where tenant_id = $1 and id = $2`,
    [ref.tenantId, waiting.taskId, message],
  );
  await failWaitingStep(
    tx,
    waiting.step,
    { code: 'TASK_HEARTBEAT_TIMEOUT', message, retryable: true },
    { pool: options.pool, finalState: 'failed' },
  );
  return true;
}

const toRef = (r: { tenant_id: string; run_id: string; step_key: string }): StepRef => ({
  tenantId: r.tenant_id,
  runId: r.run_id,
  stepKey: r.step_key,
});

/**
 * Worker maintenance for tasks: times out task steps past their `timeout`, fails attempts whose
 * task went silent on every delivery, and closes open tasks whose step no longer waits on them
 * (their run was cancelled or failed), so they are never delivered. Reads cross-tenant as the
 * system role, then changes each run in its tenant's transaction under the run lock.
 */
export async function sweepTasks(db: Database, options: { pool: string; limit?: number }): Promise<void> {
  const limit = options.limit ?? 200;
  const { due, silent } = await db.systemTx(async (sys) => {
    const dueRows = await sys.query<{ tenant_id: string; run_id: string; step_key: string }>(
      `select tenant_id, run_id, step_key from run_steps
        where state = 'waiting' and wait_reason = 'task' and wake_at <= clock_timestamp()
        order by wake_at limit $1`,
      [limit],
    );
    const silentRows = await sys.query<{ tenant_id: string; run_id: string; step_key: string }>(
      `select tenant_id, run_id, step_key from tasks
        where state = 'leased' and lease_expires_at <= clock_timestamp() and deliveries >= $2
        order by lease_expires_at limit $1`,
      [limit, MAX_TASK_DELIVERIES],
    );
    await sys.query(
      `update tasks t set state = 'cancelled', finished_at = now()
        where t.state in ('queued', 'leased')
          and not exists (select 1 from run_steps s
                           where s.tenant_id = t.tenant_id and s.run_id = t.run_id and s.step_key = t.step_key
                             and s.state = 'waiting' and s.wait_reason = 'task' and s.attempt = t.attempt)`,
    );
    return { due: dueRows.rows.map(toRef), silent: silentRows.rows.map(toRef) };
  });
  for (const ref of due) await db.tenantTx(ref.tenantId, (tx) => timeOutTaskStep(tx, ref, options));
  for (const ref of silent) await db.tenantTx(ref.tenantId, (tx) => expireSilentTask(tx, ref, options));
}
