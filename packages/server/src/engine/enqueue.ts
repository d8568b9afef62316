import type { Queryable } from '../db/index.ts';

export const STEP_READY_CHANNEL = 'shoal_step_ready';

/**
 * Makes steps ready and queues them, in the caller's transaction. `vtime` is the enqueue time
 * in ms for now (FIFO per pool); the fair scheduler replaces it (ARCHITECTURE.md).
 */
export async function enqueueSteps(
  tx: Queryable,
  tenantId: string,
  runId: string,
  stepKeys: readonly string[],
  options: { pool: string; availableAt?: Date },
): Promise<void> {
  if (stepKeys.length === 0) return;
  await tx.query(
    `update run_steps set state = 'ready' where tenant_id = $1 and run_id = $2 and step_key = any($3::text[])`,
    [tenantId, runId, stepKeys],
  );
  await tx.query(
    `insert into step_queue (tenant_id, run_id, step_key, pool, vtime, available_at)
     select $1, $2, key, $4, extract(epoch from clock_timestamp()) * 1000, coalesce($5::timestamptz, now())
       from unnest($3::text[]) as key`,
    [tenantId, runId, stepKeys, options.pool, options.availableAt ?? null],
  );
  await tx.query(`select pg_notify($1, $2)`, [STEP_READY_CHANNEL, options.pool]);
}
