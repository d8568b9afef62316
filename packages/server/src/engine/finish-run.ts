import type { Queryable } from '../db/index.ts';

const OPEN_STEP_STATES = `('pending', 'ready', 'running', 'waiting')`;

/**
 * Ends a run as failed: open steps and running attempts are cancelled (a running attempt's
 * next write is then refused) and queued work is dropped. A run already terminal is left alone (invariant I5).
 */
/** The caller holds the run lock (`lockRun`). */
export async function failRun(
  tx: Queryable,
  tenantId: string,
  runId: string,
  error: { code: string; message: string },
): Promise<boolean> {
  return endRun(tx, tenantId, runId, { state: 'failed', ...error });
}

/** Ends a run as failed or cancelled (the caller holds the run lock); false if it had already ended. */
export async function endRun(
  tx: Queryable,
  tenantId: string,
  runId: string,
  end: { state: 'failed' | 'cancelled'; code: string; message: string },
): Promise<boolean> {
  const updated = await tx.query(
    `update runs set state = $5, error_code = $3, error_message = $4, finished_at = now(),
            cancel_requested_at = case when $5 = 'cancelled' then now() else cancel_requested_at end
      where tenant_id = $1 and id = $2 and state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`,
    [tenantId, runId, end.code, end.message.slice(0, 2000), end.state],
  );
  if (updated.rowCount === 0) return false;
  // Queue rows before steps: a concurrent claim holds a queue row and then wants its step.
  await tx.query('delete from step_queue where tenant_id = $1 and run_id = $2', [tenantId, runId]);
  await tx.query(
    `update run_steps set state = 'cancelled', finished_at = now()
      where tenant_id = $1 and run_id = $2 and state in ${OPEN_STEP_STATES}`,
    [tenantId, runId],
  );
  await tx.query(
    `update step_attempts set outcome = 'cancelled', ended_at = now(), error_code = $3
      where tenant_id = $1 and run_id = $2 and outcome = 'running'`,
    [tenantId, runId, end.state === 'failed' ? 'RUN_FAILED' : 'RUN_CANCELLED'],
  );
  return true;
}

/** Marks the run succeeded when no step is open any more; returns whether it did. */
export async function succeedRunIfDone(tx: Queryable, tenantId: string, runId: string): Promise<boolean> {
  const updated = await tx.query(
    `update runs set state = 'succeeded', finished_at = now()
      where tenant_id = $1 and id = $2 and state in ('queued', 'running', 'waiting')
        and not exists (select 1 from run_steps s
                         where s.tenant_id = $1 and s.run_id = $2 and s.state in ${OPEN_STEP_STATES})`,
    [tenantId, runId],
  );
  return updated.rowCount === 1;
}
