import { noteCommitEvent, type Queryable } from '../db/index.ts';
import { enqueueSteps } from './enqueue.ts';
import { EngineError } from './errors.ts';
import { finishRunIfDone } from './finish-run.ts';
import { lockRun } from './run-lock.ts';

const RETRYABLE_RUN_STATES: readonly string[] = ['failed', 'cancelled', 'timed_out'];

/**
 * Runs a finished-but-unsuccessful run again from the steps that did not succeed, keeping the
 * outputs of those that did. Attempt numbers keep counting up, so a worker still holding an
 * attempt from before cannot write into the new execution (invariant I1). Skipped steps stay
 * skipped: the outputs that decided it are kept. A map's items are reset by the map itself.
 */
export async function retryRun(
  tx: Queryable,
  tenantId: string,
  runId: string,
): Promise<{ resetSteps: string[] }> {
  const state = await lockRun(tx, tenantId, runId);
  if (!state) throw new EngineError('RUN_NOT_FOUND');
  if (!RETRYABLE_RUN_STATES.includes(state))
    throw new EngineError('RUN_NOT_RETRYABLE', `A ${state} run cannot be retried`);
  const reset = await tx.query<{ step_key: string }>(
    `update run_steps set state = 'pending', output = null, error_code = null, error_message = null,
            wait_reason = null, wake_at = null, finished_at = null
      where tenant_id = $1 and run_id = $2 and state not in ('succeeded', 'skipped') and parent_key is null
      returning step_key`,
    [tenantId, runId],
  );
  const counted = await tx.query<{ step_key: string; needs_remaining: number }>(
    `update run_steps s set
            needs_remaining = (select count(*)::int from run_steps d
                                where d.tenant_id = s.tenant_id and d.run_id = s.run_id
                                  and d.step_id = any(s.needs) and d.parent_key is null
                                  and d.state not in ('succeeded', 'skipped')),
            needs_succeeded = (select count(*)::int from run_steps d
                                where d.tenant_id = s.tenant_id and d.run_id = s.run_id
                                  and d.step_id = any(s.needs) and d.parent_key is null and d.state = 'succeeded')
      where s.tenant_id = $1 and s.run_id = $2 and s.state = 'pending' and s.parent_key is null
      returning s.step_key, s.needs_remaining`,
    [tenantId, runId],
  );
  const reopened = await tx.query<{ workflow_id: string }>(
    `update runs set state = 'running', error_code = null, error_message = null, finished_at = null,
            cancel_requested_at = null, output = null
      where tenant_id = $1 and id = $2
      returning workflow_id`,
    [tenantId, runId],
  );
  // It will finish again: counted as started again, so started minus finished stays what is open.
  const workflow = reopened.rows[0]?.workflow_id;
  if (workflow) noteCommitEvent(tx, { type: 'run.started', tenantId, workflow });
  const ready = counted.rows.filter((r) => r.needs_remaining === 0).map((r) => r.step_key);
  await enqueueSteps(tx, tenantId, runId, ready);
  // A run that failed only in its output expression has nothing to redo: evaluate it again.
  if (ready.length === 0) await finishRunIfDone(tx, tenantId, runId);
  return { resetSteps: reset.rows.map((r) => r.step_key) };
}
