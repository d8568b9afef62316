import type { Queryable } from '../db/index.ts';

/** Steps queued (not leased, due or in backoff) and leased, per tenant and pool (system role). */
export async function readQueueStats(
  sys: Queryable,
): Promise<{ tenantId: string; pool: string; queued: number; running: number }[]> {
  const found = await sys.query<{ tenant_id: string; pool: string; queued: number; running: number }>(
    `select tenant_id, pool,
            count(*) filter (where lease_owner is null)::int as queued,
            count(*) filter (where lease_owner is not null)::int as running
       from step_queue group by tenant_id, pool`,
  );
  return found.rows.map((r) => ({
    tenantId: r.tenant_id,
    pool: r.pool,
    queued: r.queued,
    running: r.running,
  }));
}

/**
 * Workers of each pool seen within `liveWithinMs` (system role); a pool whose workers all went
 * quiet shows 0 until their rows age out (worker-registry.ts), so an alert can fire on it.
 */
export async function readPoolLiveness(
  sys: Queryable,
  liveWithinMs: number,
): Promise<{ pool: string; liveWorkers: number }[]> {
  const found = await sys.query<{ pool: string; live: number }>(
    `select pool,
            count(*) filter (where last_seen_at >= now() - make_interval(secs => $1::double precision / 1000))::int as live
       from workers group by pool`,
    [liveWithinMs],
  );
  return found.rows.map((r) => ({ pool: r.pool, liveWorkers: r.live }));
}
