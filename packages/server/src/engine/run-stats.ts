import type { Queryable } from '../db/index.ts';
import { EngineError } from './errors.ts';
import { RUN_STATES, type RunState } from './run-queries.ts';

/** The sizes of the time buckets runs are counted in, in the tenant's time zone. */
export const STATS_BUCKETS = ['hour', 'day'] as const;
export type StatsBucket = (typeof STATS_BUCKETS)[number];

/** The longest range each bucket size may span (31 days of hours, a leap year of days). */
export const MAX_STATS_RANGE_MS: Readonly<Record<StatsBucket, number>> = {
  hour: 31 * 86_400_000,
  day: 366 * 86_400_000,
};

/** The range a request asks for when it names no `from`: the last day by hour, 30 days by day. */
export const DEFAULT_STATS_RANGE_MS: Readonly<Record<StatsBucket, number>> = {
  hour: 86_400_000,
  day: 30 * 86_400_000,
};

/** A half-open time range [from, to) cut into buckets. */
export interface StatsRange {
  from: Date;
  to: Date;
  bucket: StatsBucket;
}

/** Throws STATS_RANGE_INVALID or STATS_RANGE_TOO_LONG unless the range can be answered. */
export function assertStatsRange(range: StatsRange): void {
  const span = range.to.getTime() - range.from.getTime();
  if (!(span > 0))
    throw new EngineError('STATS_RANGE_INVALID', undefined, {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    });
  if (span > MAX_STATS_RANGE_MS[range.bucket])
    throw new EngineError('STATS_RANGE_TOO_LONG', undefined, {
      bucket: range.bucket,
      maxDays: MAX_STATS_RANGE_MS[range.bucket] / 86_400_000,
    });
}

/** Runs that failed, for failure rates: a cancelled run is the caller's choice, not a failure. */
const FAILED_STATES = ['failed', 'timed_out'] as const;
const RATED_STATES = ['succeeded', ...FAILED_STATES] as const;

export type RunStateCounts = Record<RunState, number>;

export interface RunBucket {
  /** The bucket's first instant (midnight or the hour in the tenant's time zone). */
  start: string;
  counts: RunStateCounts;
  total: number;
}

export interface RunSeries {
  timeZone: string;
  /** Every bucket the range touches, oldest first, empty ones included. */
  buckets: RunBucket[];
  totals: RunStateCounts;
  total: number;
  /** (failed + timed_out) / (succeeded + failed + timed_out); null when none of those. */
  failureRate: number | null;
}

const zeroCounts = (): RunStateCounts =>
  Object.fromEntries(RUN_STATES.map((state) => [state, 0])) as RunStateCounts;

export const failureRateOf = (counts: Pick<RunStateCounts, (typeof RATED_STATES)[number]>) => {
  const failed = FAILED_STATES.reduce((sum, state) => sum + counts[state], 0);
  const rated = failed + counts.succeeded;
  return rated === 0 ? null : failed / rated;
};

const TZ = `tz as (select time_zone as name from tenants where id = shoal_current_tenant())`;
const iso = (value: unknown) => new Date(value as string).toISOString();

/**
 * The tenant's runs created in the range, by current state, per bucket of the tenant's time
 * zone. Buckets are counted in local time (no DST gaps); a spring-forward hour that maps onto
 * the next instant is merged into it.
 */
export async function runSeries(tx: Queryable, range: StatsRange): Promise<RunSeries> {
  assertStatsRange(range);
  const result = await tx.query<{ time_zone: string; start: unknown; state: RunState | null; n: number }>(
    `with ${TZ},
     counted as (
       select date_trunc($3::text, r.created_at at time zone tz.name) as local, r.state, count(*)::int as n
         from runs r cross join tz
        where r.created_at >= $1::timestamptz and r.created_at < $2::timestamptz
        group by 1, 2)
     select tz.name as time_zone, g.local at time zone tz.name as start, c.state, c.n
       from tz
      cross join generate_series(date_trunc($3::text, $1::timestamptz at time zone tz.name),
                                 $2::timestamptz at time zone tz.name, ('1 ' || $3::text)::interval) g(local)
       left join counted c on c.local = g.local
      where g.local at time zone tz.name < $2::timestamptz
      order by g.local, c.state`,
    [range.from.toISOString(), range.to.toISOString(), range.bucket],
  );
  const buckets = new Map<string, RunBucket>();
  const totals = zeroCounts();
  for (const row of result.rows) {
    const start = iso(row.start);
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = { start, counts: zeroCounts(), total: 0 }));
    if (row.state === null) continue;
    bucket.counts[row.state] += row.n;
    bucket.total += row.n;
    totals[row.state] += row.n;
  }
  const timeZone = result.rows[0]?.time_zone ?? 'UTC';
  const total = Object.values(totals).reduce((sum, n) => sum + n, 0);
  return { timeZone, buckets: [...buckets.values()], totals, total, failureRate: failureRateOf(totals) };
}

export interface StepLatency {
  stepType: string;
  /** Attempts that started in the range and ran to an end (succeeded or failed). */
  attempts: number;
  succeeded: number;
  failed: number;
  /** Of each attempt's start to end, in milliseconds to the microsecond (percentile_cont: interpolated). */
  p50Ms: number;
  p95Ms: number;
}

/**
 * Step attempt latency by step type over the attempts started in the range that succeeded or
 * failed: claim to completion (`ended_at − started_at`); a step that waits (sleep, approval,
 * task, child run) ends its attempt when it parks, so only its time on a worker counts.
 * Lost and cancelled attempts did not end on their own and would blur the figures.
 */
export async function stepLatency(tx: Queryable, range: StatsRange): Promise<StepLatency[]> {
  assertStatsRange(range);
  const result = await tx.query<{
    step_type: string;
    attempts: number;
    succeeded: number;
    failed: number;
    p50: string | number;
    p95: string | number;
  }>(
    `with durations as (
       select s.step_type, a.outcome, extract(epoch from a.ended_at - a.started_at)::float8 * 1000 as ms
         from step_attempts a
         join run_steps s on s.tenant_id = a.tenant_id and s.run_id = a.run_id and s.step_key = a.step_key
        where a.started_at >= $1::timestamptz and a.started_at < $2::timestamptz
          and a.ended_at is not null and a.outcome in ('succeeded', 'failed'))
     select step_type, count(*)::int as attempts,
            count(*) filter (where outcome = 'succeeded')::int as succeeded,
            count(*) filter (where outcome = 'failed')::int as failed,
            round((percentile_cont(0.5) within group (order by ms))::numeric, 3) as p50,
            round((percentile_cont(0.95) within group (order by ms))::numeric, 3) as p95
       from durations
      group by step_type
      order by step_type`,
    [range.from.toISOString(), range.to.toISOString()],
  );
  return result.rows.map((row) => ({
    stepType: row.step_type,
    attempts: row.attempts,
    succeeded: row.succeeded,
    failed: row.failed,
    p50Ms: Number(row.p50),
    p95Ms: Number(row.p95),
  }));
}

export interface FailingWorkflow {
  workflowId: string;
  name: string;
  /** Runs created in the range, in any state. */
  runs: number;
  /** Of those, failed or timed out. */
  failed: number;
  failureRate: number;
}

/**
 * The workflows with the most failed runs created in the range (at least one), most failures
 * first, then the higher rate, then by name; `limit` of them.
 */
export async function topFailingWorkflows(
  tx: Queryable,
  range: StatsRange,
  limit: number,
): Promise<FailingWorkflow[]> {
  assertStatsRange(range);
  const result = await tx.query<{ id: string; name: string; runs: number; failed: number; rated: number }>(
    `select w.id, w.name, count(*)::int as runs,
            count(*) filter (where r.state = any($3::text[]))::int as failed,
            count(*) filter (where r.state = any($4::text[]))::int as rated
       from runs r
       join workflows w on w.tenant_id = r.tenant_id and w.id = r.workflow_id
      where r.created_at >= $1::timestamptz and r.created_at < $2::timestamptz
      group by w.id, w.name
     having count(*) filter (where r.state = any($3::text[])) > 0
      order by 4 desc,
               (count(*) filter (where r.state = any($3::text[])))::float8
                 / count(*) filter (where r.state = any($4::text[])) desc,
               w.name
      limit $5`,
    [range.from.toISOString(), range.to.toISOString(), FAILED_STATES, RATED_STATES, limit],
  );
  return result.rows.map((row) => ({
    workflowId: row.id,
    name: row.name,
    runs: row.runs,
    failed: row.failed,
    failureRate: row.failed / row.rated,
  }));
}
