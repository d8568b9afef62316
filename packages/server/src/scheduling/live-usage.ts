import type { Queryable } from '../db/index.ts';
import { LIMIT_SELECT, limitsFromRow, type Limits } from './limits.ts';
import { slidingCount, WINDOW_MS } from './sliding-window.ts';

/** Wait-time percentiles cover the attempts started in this window. */
export const WAIT_WINDOW = '5 minutes';

export interface TenantLiveUsage {
  tenantId: string;
  plan: string;
  pool: string;
  /** Whether a worker of the tenant's pool was seen within the liveness window. */
  poolLive: boolean;
  liveWorkers: number;
  /** Unleased step_queue rows: claimable now, and waiting for their time (backoff, delays). */
  queue: { available: number; delayed: number };
  /** Leased rows: steps running now. */
  running: number;
  /** Of step_attempts.wait_ms over the attempts started in the last 5 minutes (null: none). */
  waitMs: { p50: number | null; p95: number | null; p99: number | null; samples: number };
  openRuns: { used: number; limit: number };
  /** `sliding` is what admission compares with the limit; `currentWindow` the starts this minute. */
  runStarts: { sliding: number; currentWindow: number; limit: number };
  limits: Limits;
}

type UsageRow = Record<string, unknown> & {
  tenant_id: string;
  plan: string;
  pool: string;
  live_workers: string | number;
  available: string | number;
  delayed: string | number;
  running: string | number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  samples: string | number;
  open_runs: string | number | null;
  window_start_ms: string | number | null;
  window_starts: number | null;
  previous_window_starts: number | null;
  now_ms: string | number;
};

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
const pct = (v: number | null) => (v === null ? null : Math.round(Number(v)));

/**
 * Live usage of one tenant (`tenantId`) or of every tenant the role sees (null): as the app
 * role RLS narrows it to the caller's tenant whatever is asked. Workers count as live when seen
 * within `liveWithinMs`.
 */
export async function readLiveUsage(
  q: Queryable,
  options: { tenantId: string | null; liveWithinMs: number },
): Promise<TenantLiveUsage[]> {
  const found = await q.query<UsageRow>(
    `with queue as (
       select tenant_id,
              count(*) filter (where lease_owner is null and available_at <= now()) as available,
              count(*) filter (where lease_owner is null and available_at > now()) as delayed,
              count(*) filter (where lease_owner is not null) as running
         from step_queue where ($1::uuid is null or tenant_id = $1) group by tenant_id
     ), waits as (
       select tenant_id, count(*) as samples,
              percentile_disc(0.5) within group (order by wait_ms) as p50,
              percentile_disc(0.95) within group (order by wait_ms) as p95,
              percentile_disc(0.99) within group (order by wait_ms) as p99
         from step_attempts
        where started_at >= now() - interval '${WAIT_WINDOW}' and wait_ms is not null
          and ($1::uuid is null or tenant_id = $1)
        group by tenant_id
     ), live as (
       select pool, count(*) as n from workers
        where last_seen_at >= now() - make_interval(secs => $2::double precision / 1000) group by pool
     )
     select e.tenant_id, e.plan, e.pool, ${LIMIT_SELECT.split(', ')
       .map((c) => `e.${c}`)
       .join(', ')},
            coalesce(l.n, 0) as live_workers,
            coalesce(q.available, 0) as available, coalesce(q.delayed, 0) as delayed,
            coalesce(q.running, 0) as running,
            w.p50, w.p95, w.p99, coalesce(w.samples, 0) as samples,
            o.open_runs, extract(epoch from c.window_start) * 1000 as window_start_ms, c.window_starts,
            c.previous_window_starts, extract(epoch from clock_timestamp()) * 1000 as now_ms
       from tenant_effective_limits e
       left join tenant_counters c on c.tenant_id = e.tenant_id
       left join tenant_open_runs o on o.tenant_id = e.tenant_id
       left join queue q on q.tenant_id = e.tenant_id
       left join waits w on w.tenant_id = e.tenant_id
       left join live l on l.pool = e.pool
      where ($1::uuid is null or e.tenant_id = $1)
      order by e.tenant_id`,
    [options.tenantId, options.liveWithinMs],
  );
  return found.rows.map((row) => {
    const limits = limitsFromRow(row);
    const now = Number(row.now_ms);
    const window = {
      windowStart: num(row.window_start_ms) || Math.floor(now / WINDOW_MS) * WINDOW_MS,
      current: num(row.window_starts),
      previous: num(row.previous_window_starts),
    };
    const thisMinute = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    return {
      tenantId: row.tenant_id,
      plan: row.plan,
      pool: row.pool,
      poolLive: num(row.live_workers) > 0,
      liveWorkers: num(row.live_workers),
      queue: { available: num(row.available), delayed: num(row.delayed) },
      running: num(row.running),
      waitMs: { p50: pct(row.p50), p95: pct(row.p95), p99: pct(row.p99), samples: num(row.samples) },
      openRuns: { used: num(row.open_runs), limit: limits.queuedRunsMax },
      runStarts: {
        sliding: Math.round(slidingCount(window, now) * 100) / 100,
        currentWindow: window.windowStart === thisMinute ? window.current : 0,
        limit: limits.runStartsPerMinute,
      },
      limits,
    };
  });
}

export interface PoolHealth {
  pool: string;
  /** Tenants whose runs go to this pool. */
  tenants: number;
  /** Unleased steps waiting in this pool. */
  queued: number;
  liveWorkers: number;
  /** In use (tenants or queued steps) with no live worker: its steps wait until one starts. */
  unserved: boolean;
}

/** Pools in use (`shared`, every tenant's pool, every pool with queued steps or workers), system role. */
export async function readPoolHealth(sys: Queryable, liveWithinMs: number): Promise<PoolHealth[]> {
  const found = await sys.query<{ pool: string; tenants: string; queued: string; live_workers: string }>(
    `with pools as (
       select 'shared' as pool
       union select pool from tenant_effective_limits
       union select distinct pool from step_queue where lease_owner is null
       union select pool from workers where last_seen_at >= now() - make_interval(secs => $1::double precision / 1000)
     )
     select p.pool,
            (select count(*) from tenant_effective_limits e where e.pool = p.pool) as tenants,
            (select count(*) from step_queue s where s.pool = p.pool and s.lease_owner is null) as queued,
            (select count(*) from workers w where w.pool = p.pool
                and w.last_seen_at >= now() - make_interval(secs => $1::double precision / 1000)) as live_workers
       from pools p order by p.pool`,
    [liveWithinMs],
  );
  return found.rows.map((row) => {
    const tenants = Number(row.tenants);
    const queued = Number(row.queued);
    const liveWorkers = Number(row.live_workers);
    return {
      pool: row.pool,
      tenants,
      queued,
      liveWorkers,
      unserved: liveWorkers === 0 && (tenants > 0 || queued > 0),
    };
  });
}
