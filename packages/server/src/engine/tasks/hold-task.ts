import type { Queryable } from '../../db/index.ts';
import { EngineError } from '../errors.ts';
import type { WaitingStep } from './fail-waiting-step.ts';

export interface HeldTask {
  step: WaitingStep;
  taskState: string;
}

interface TaskRow {
  run_id: string;
  step_key: string;
  attempt: number;
  state: string;
  lease_token: string | null;
  step_id: string;
  step_state: string;
  step_attempt: number;
  wait_reason: string | null;
  max_attempts: number;
  [column: string]: unknown;
}

/**
 * Checks that `token` is the task's current delivery and that its step still waits on the task,
 * locking the task row. Refusals are coded: TASK_NOT_FOUND, TASK_LEASE_LOST (another delivery
 * holds it, or it finished), TASK_CANCELLED (its run ended or the step moved on), TASK_TIMED_OUT.
 * A result that arrives after the heartbeat deadline still counts while no other delivery took it.
 */
export async function holdTask(
  tx: Queryable,
  tenantId: string,
  taskId: string,
  token: string,
): Promise<WaitingStep> {
  const found = await tx.query<TaskRow>(
    `select t.run_id, t.step_key, t.attempt, t.state, t.lease_token,
            s.step_id, s.state as step_state, s.attempt as step_attempt, s.wait_reason, s.max_attempts
       from tasks t
       join run_steps s on s.tenant_id = t.tenant_id and s.run_id = t.run_id and s.step_key = t.step_key
      where t.tenant_id = $1 and t.id = $2
        for update of t`,
    [tenantId, taskId],
  );
  const row = found.rows[0];
  if (!row) throw new EngineError('TASK_NOT_FOUND');
  const details = { taskId, state: row.state };
  if (row.state === 'timed_out') throw new EngineError('TASK_TIMED_OUT', undefined, details);
  if (row.state === 'cancelled') throw new EngineError('TASK_CANCELLED', undefined, details);
  if (row.lease_token !== token || row.state !== 'leased')
    throw new EngineError('TASK_LEASE_LOST', undefined, details);
  const current =
    row.step_state === 'waiting' && row.wait_reason === 'task' && row.step_attempt === row.attempt;
  if (!current) {
    await tx.query(
      `update tasks set state = 'cancelled', finished_at = now() where tenant_id = $1 and id = $2`,
      [tenantId, taskId],
    );
    throw new EngineError('TASK_CANCELLED', undefined, {
      taskId,
      state: 'cancelled',
      stepState: row.step_state,
    });
  }
  return {
    tenantId,
    runId: row.run_id,
    stepKey: row.step_key,
    stepId: row.step_id,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
  };
}

/** The run a task belongs to, so callers can take the run lock before the task's (lock order). */
export async function runOfTask(tx: Queryable, tenantId: string, taskId: string): Promise<string> {
  const found = await tx.query<{ run_id: string }>(
    'select run_id from tasks where tenant_id = $1 and id = $2',
    [tenantId, taskId],
  );
  const runId = found.rows[0]?.run_id;
  if (!runId) throw new EngineError('TASK_NOT_FOUND');
  return runId;
}
