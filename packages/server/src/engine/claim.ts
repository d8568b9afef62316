import type { Queryable } from '../db/index.ts';

/** What a worker holds while it runs a step; `attempt` is the fence token for every write. */
export interface Claim {
  tenantId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  stepType: string;
  /** For an item of a map step, the map step's key. */
  parentKey: string | null;
  attempt: number;
  maxAttempts: number;
  workerId: string;
  leaseExpiresAt: Date;
}

interface ClaimRow {
  tenant_id: string;
  run_id: string;
  step_key: string;
  step_id: string;
  step_type: string;
  parent_key: string | null;
  attempt: number;
  max_attempts: number;
  lease_expires_at: Date;
  [key: string]: unknown;
}

/**
 * Claims the next available step of a pool in one statement (system role, cross-tenant):
 * leases the queue row, starts the next attempt of the step and of the run, records the attempt.
 */
export async function claimStep(
  sys: Queryable,
  options: { pool: string; workerId: string; leaseMs: number },
): Promise<Claim | null> {
  const result = await sys.query<ClaimRow>(
    `with next as (
       select q.tenant_id, q.id from step_queue q
        where q.pool = $1 and q.lease_owner is null and q.available_at <= now()
        order by q.vtime, q.id
        limit 1
        for update skip locked
     ), leased as (
       update step_queue q
          set lease_owner = $2, lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
         from next where q.tenant_id = next.tenant_id and q.id = next.id
       returning q.tenant_id, q.run_id, q.step_key, q.lease_expires_at
     ), stepped as (
       update run_steps s
          set state = 'running', attempt = s.attempt + 1, started_at = coalesce(s.started_at, now())
         from leased l
        where s.tenant_id = l.tenant_id and s.run_id = l.run_id and s.step_key = l.step_key
       returning s.tenant_id, s.run_id, s.step_key, s.step_id, s.step_type, s.parent_key, s.attempt, s.max_attempts, l.lease_expires_at
     ), attempted as (
       insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id)
       select tenant_id, run_id, step_key, attempt, $2 from stepped
     ), started as (
       -- Never wait for a run row here: its lock belongs to completions (ARCHITECTURE.md).
       update runs r set state = 'running', started_at = coalesce(r.started_at, now())
        where (r.tenant_id, r.id) in (
          select q.tenant_id, q.id from runs q join stepped s on q.tenant_id = s.tenant_id and q.id = s.run_id
           where q.state = 'queued' for update of q skip locked)
     )
     select * from stepped`,
    [options.pool, options.workerId, options.leaseMs],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    runId: row.run_id,
    stepKey: row.step_key,
    stepId: row.step_id,
    stepType: row.step_type,
    parentKey: row.parent_key,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    workerId: options.workerId,
    leaseExpiresAt: row.lease_expires_at,
  };
}

/** Extends the lease, only while this attempt still holds the step. */
export async function heartbeat(sys: Queryable, claim: Claim, leaseMs: number): Promise<boolean> {
  const result = await sys.query(
    `update step_queue q
        set lease_expires_at = clock_timestamp() + make_interval(secs => $5::double precision / 1000)
       from run_steps s
      where q.tenant_id = $1 and q.run_id = $2 and q.step_key = $3 and q.lease_owner = $6
        and s.tenant_id = q.tenant_id and s.run_id = q.run_id and s.step_key = q.step_key
        and s.state = 'running' and s.attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt, leaseMs, claim.workerId],
  );
  return result.rowCount === 1;
}
