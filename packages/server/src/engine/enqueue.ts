import type { Queryable } from '../db/index.ts';

export const STEP_READY_CHANNEL = 'shoal_step_ready';

/**
 * The one statement that queues steps, for use inside a CTE: `$1` is the tenant, `$2` the run,
 * `keys` a relation with a `key` column, `pool` and `availableAt` SQL expressions, and `lease`
 * (owner, expiry) for rows inserted already claimed. `vtime` is the enqueue time in ms for now
 * (FIFO per pool); the fair scheduler replaces it (ARCHITECTURE.md).
 */
export function queueInsertSql(
  keys: string,
  pool: string,
  availableAt: string,
  lease?: { owner: string; expiresAt: string },
): string {
  return `insert into step_queue (tenant_id, run_id, step_key, pool, vtime, available_at${lease ? ', lease_owner, lease_expires_at' : ''})
          select $1, $2, key, ${pool}, extract(epoch from clock_timestamp()) * 1000, ${availableAt}${lease ? `, ${lease.owner}, ${lease.expiresAt}` : ''}
            from ${keys}`;
}

/** Makes steps ready and queues them, in the caller's transaction, and wakes the pool's workers. */
export async function enqueueSteps(
  tx: Queryable,
  tenantId: string,
  runId: string,
  stepKeys: readonly string[],
  options: { pool: string; availableAt?: Date },
): Promise<void> {
  if (stepKeys.length === 0) return;
  await tx.query(
    `with readied as (
       update run_steps set state = 'ready' where tenant_id = $1 and run_id = $2 and step_key = any($3::text[])
     ), queued as (
       ${queueInsertSql('unnest($3::text[]) as key', '$4', 'coalesce($5::timestamptz, now())')}
     )
     select pg_notify($6, $4)`,
    [tenantId, runId, stepKeys, options.pool, options.availableAt ?? null, STEP_READY_CHANNEL],
  );
}
