import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import { MAX_TASK_DELIVERIES } from './create-task.ts';

/** One delivery of a task to an external worker; `token` fences its heartbeats and result. */
export interface TaskDelivery {
  id: string;
  token: string;
  queue: string;
  runId: string;
  stepKey: string;
  attempt: number;
  /** 1 for the first delivery; more when earlier workers went silent. */
  delivery: number;
  input: unknown;
  heartbeatTimeoutMs: number;
  /** Heartbeat before this, or the task is delivered to another worker. */
  leaseExpiresAt: string;
  /** When the step times out (its `timeout`), if it has one. */
  deadline: string | null;
}

/**
 * Leases the oldest deliverable task of a tenant's queue to `workerId` (tenant transaction, one
 * statement): a queued task, or a leased one whose worker missed its heartbeat deadline, whose
 * step still waits on the attempt that created it. `SKIP LOCKED`: two pollers never get the same task.
 */
export async function claimTask(
  tx: Queryable,
  tenantId: string,
  options: { queue: string; workerId: string },
): Promise<TaskDelivery | null> {
  const token = randomBytes(24).toString('base64url');
  const result = await tx.query<{
    id: string;
    queue: string;
    run_id: string;
    step_key: string;
    attempt: number;
    deliveries: number;
    input: unknown;
    heartbeat_timeout_ms: number;
    lease_expires_at: Date;
    deadline: Date | null;
  }>(
    `with next as (
       select t.tenant_id, t.id, s.wake_at from tasks t
         join run_steps s on s.tenant_id = t.tenant_id and s.run_id = t.run_id and s.step_key = t.step_key
        where t.tenant_id = $1 and t.queue = $2
          and (t.state = 'queued'
               or (t.state = 'leased' and t.lease_expires_at <= clock_timestamp() and t.deliveries < $5))
          and s.state = 'waiting' and s.wait_reason = 'task' and s.attempt = t.attempt
        order by t.created_at, t.id
        limit 1
        for update of t skip locked
     )
     update tasks t
        set state = 'leased', lease_token = $3, worker_id = $4, deliveries = t.deliveries + 1,
            delivered_at = now(), heartbeat_at = now(),
            lease_expires_at = clock_timestamp() + make_interval(secs => t.heartbeat_timeout_ms / 1000.0)
       from next
      where t.tenant_id = next.tenant_id and t.id = next.id
     returning t.id, t.queue, t.run_id, t.step_key, t.attempt, t.deliveries, t.input, t.heartbeat_timeout_ms,
               t.lease_expires_at, next.wake_at as deadline`,
    [tenantId, options.queue, token, options.workerId, MAX_TASK_DELIVERIES],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    token,
    queue: row.queue,
    runId: row.run_id,
    stepKey: row.step_key,
    attempt: row.attempt,
    delivery: row.deliveries,
    input: row.input,
    heartbeatTimeoutMs: row.heartbeat_timeout_ms,
    leaseExpiresAt: row.lease_expires_at.toISOString(),
    deadline: row.deadline ? row.deadline.toISOString() : null,
  };
}
