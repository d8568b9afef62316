import type { Queryable } from '../db/index.ts';

/** Rows of workers not seen for this long are removed; a pool's liveness uses a far shorter bound. */
const FORGET_WORKERS_AFTER = '1 hour';

/**
 * A worker process announces itself (and its pool) every maintenance tick, so health and the
 * live usage view can tell a pool nobody serves (system role).
 */
export async function announceWorker(
  sys: Queryable,
  worker: { workerId: string; pool: string; concurrency: number },
): Promise<void> {
  await sys.query(
    `with seen as (
       insert into workers (id, pool, concurrency) values ($1, $2, $3)
       on conflict (id) do update set pool = excluded.pool, concurrency = excluded.concurrency, last_seen_at = now()
     )
     delete from workers where last_seen_at < now() - interval '${FORGET_WORKERS_AFTER}'`,
    [worker.workerId, worker.pool, worker.concurrency],
  );
}

/** A stopping worker leaves at once instead of looking alive until its row ages out. */
export async function retireWorker(sys: Queryable, workerId: string): Promise<void> {
  await sys.query('delete from workers where id = $1', [workerId]);
}
