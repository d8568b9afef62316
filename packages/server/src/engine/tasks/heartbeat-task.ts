import type { Queryable } from '../../db/index.ts';
import { EngineError } from '../errors.ts';

export type TaskHeartbeat =
  | { cancelled: false; leaseExpiresAt: string }
  /** The step no longer waits on this task (run cancelled or failed, step timed out): stop. */
  | { cancelled: true; reason: string };

/**
 * Extends the delivery's heartbeat deadline, only while `token` is its current delivery and its
 * step still waits on it. A stale token is refused with TASK_LEASE_LOST.
 */
export async function heartbeatTask(
  tx: Queryable,
  tenantId: string,
  taskId: string,
  token: string,
): Promise<TaskHeartbeat> {
  const found = await tx.query<{
    state: string;
    lease_token: string | null;
    live: boolean;
    step_state: string;
  }>(
    `select t.state, t.lease_token, s.state as step_state,
            (s.state = 'waiting' and s.wait_reason = 'task' and s.attempt = t.attempt) as live
       from tasks t
       join run_steps s on s.tenant_id = t.tenant_id and s.run_id = t.run_id and s.step_key = t.step_key
      where t.tenant_id = $1 and t.id = $2`,
    [tenantId, taskId],
  );
  const row = found.rows[0];
  if (!row) throw new EngineError('TASK_NOT_FOUND');
  if (row.lease_token !== token)
    throw new EngineError('TASK_LEASE_LOST', undefined, { taskId, state: row.state });
  if (row.state === 'cancelled' || row.state === 'timed_out')
    return { cancelled: true, reason: row.state === 'timed_out' ? 'TASK_TIMED_OUT' : 'TASK_CANCELLED' };
  if (row.state !== 'leased')
    throw new EngineError('TASK_LEASE_LOST', undefined, { taskId, state: row.state });
  if (!row.live)
    return { cancelled: true, reason: row.step_state === 'timed_out' ? 'TASK_TIMED_OUT' : 'TASK_CANCELLED' };
  const extended = await tx.query<{ lease_expires_at: Date }>(
    `update tasks set heartbeat_at = now(),
            lease_expires_at = clock_timestamp() + make_interval(secs => heartbeat_timeout_ms / 1000.0)
      where tenant_id = $1 and id = $2 and lease_token = $3 and state = 'leased'
      returning lease_expires_at`,
    [tenantId, taskId, token],
  );
  const extendedRow = extended.rows[0];
  if (!extendedRow) throw new EngineError('TASK_LEASE_LOST', undefined, { taskId });
  return { cancelled: false, leaseExpiresAt: extendedRow.lease_expires_at.toISOString() };
}
