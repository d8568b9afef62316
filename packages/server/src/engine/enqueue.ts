import type { Queryable } from '../db/index.ts';

export const STEP_READY_CHANNEL = 'shoal_step_ready';

/** How far ahead of the queue one level of run priority moves a step: 10 s of waiting. */
export const PRIORITY_STEP_MS = 10_000;
/** Run priorities, lowest to highest; 0 is the default. */
export const MIN_RUN_PRIORITY = 0;
export const MAX_RUN_PRIORITY = 9;

/**
 * The one statement that queues steps, for use inside a CTE: `$1` is the tenant, `$2` the run,
 * `keys` a relation with a `key` column, `availableAt` an SQL expression, and `lease` (owner,
 * expiry) for rows inserted already claimed. Rows go to the run's pool. `vtime` orders a
 * tenant's rows: the enqueue time in ms, moved earlier by the run's priority
 * (`PRIORITY_STEP_MS` per level), so a higher priority goes first and a lower one still goes
 * ahead of anything queued long enough after it (ageing; ADR 0005).
 */
export function queueInsertSql(
  keys: string,
  availableAt: string,
  lease?: { owner: string; expiresAt: string },
): string {
  return `insert into step_queue (tenant_id, run_id, step_key, pool, vtime, available_at${lease ? ', lease_owner, lease_expires_at' : ''})
          select $1, $2, key, r.pool,
                 extract(epoch from clock_timestamp()) * 1000 - ${PRIORITY_STEP_MS} * r.priority,
                 ${availableAt}${lease ? `, ${lease.owner}, ${lease.expiresAt}` : ''}
            from ${keys} cross join (select pool, priority from runs where tenant_id = $1 and id = $2) r`;
}

/** Makes steps ready and queues them, in the caller's transaction, and wakes the run pool's workers. */
export async function enqueueSteps(
  tx: Queryable,
  tenantId: string,
  runId: string,
  stepKeys: readonly string[],
  options: { availableAt?: Date } = {},
): Promise<void> {
  if (stepKeys.length === 0) return;
  await tx.query(
    `with readied as (
       update run_steps set state = 'ready' where tenant_id = $1 and run_id = $2 and step_key = any($3::text[])
     ), queued as (
       ${queueInsertSql('unnest($3::text[]) as key', 'coalesce($4::timestamptz, now())')}
       returning pool
     )
     select pg_notify($5, pool) from (select distinct pool from queued) p`,
    [tenantId, runId, stepKeys, options.availableAt ?? null, STEP_READY_CHANNEL],
  );
}
