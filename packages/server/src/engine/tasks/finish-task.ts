import type { Queryable } from '../../db/index.ts';
import { resolveWait } from '../finish-run.ts';
import { lockRun } from '../run-lock.ts';
import { failWaitingStep } from './fail-waiting-step.ts';
import { holdTask, runOfTask } from './hold-task.ts';

/**
 * An external worker's result for the delivery `token` (tenant transaction): the waiting step
 * succeeds with `output`, its dependants are released and, when that ends the run, the run's
 * output is written. Run lock first, then the task row (ARCHITECTURE.md, "Lock order").
 */
export async function completeTask(
  tx: Queryable,
  tenantId: string,
  taskId: string,
  result: { token: string; output: unknown },
  options: { pool: string },
): Promise<{ runId: string; runSucceeded: boolean }> {
  const runId = await runOfTask(tx, tenantId, taskId);
  await lockRun(tx, tenantId, runId);
  const step = await holdTask(tx, tenantId, taskId, result.token);
  const output = result.output ?? null;
  await tx.query(
    `update tasks set state = 'completed', output = $3, finished_at = now() where tenant_id = $1 and id = $2`,
    [tenantId, taskId, JSON.stringify(output)],
  );
  const attempt = { step_id: step.stepId, attempt: step.attempt };
  const { runSucceeded } = await resolveWait(tx, step, attempt, output, options);
  return { runId, runSucceeded };
}

/**
 * An external worker's failure for the delivery `token`: the step's retry policy decides whether
 * a new attempt (with a new task) follows, or the step and its run fail. `retryable: false`
 * fails the step at once, as does an error code its `retry.nonRetryableErrors` lists.
 */
export async function failTask(
  tx: Queryable,
  tenantId: string,
  taskId: string,
  failure: { token: string; code: string; message: string; retryable: boolean },
  options: { pool: string },
): Promise<{ runId: string; outcome: 'retrying' | 'failed' }> {
  const runId = await runOfTask(tx, tenantId, taskId);
  await lockRun(tx, tenantId, runId);
  const step = await holdTask(tx, tenantId, taskId, failure.token);
  const message = failure.message.slice(0, 2000);
  await tx.query(
    `update tasks set state = 'failed', error_code = $3, error_message = $4, finished_at = now()
      where tenant_id = $1 and id = $2`,
    [tenantId, taskId, failure.code, message],
  );
  const failed = await failWaitingStep(
    tx,
    step,
    { code: failure.code, message, retryable: failure.retryable },
    { pool: options.pool, finalState: 'failed' },
  );
  return { runId, outcome: failed.outcome };
}
