import type { Queryable } from '../db/index.ts';
import { MeteringError } from './errors.ts';

/** What usage can be grouped by: the tenant's day, `provider/model`, workflow, API key, worker pool. */
export const USAGE_GROUP_BYS = ['day', 'model', 'workflow', 'key', 'pool'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

/** The longest range a report covers, and the default when `from` is absent. */
export const MAX_USAGE_RANGE_DAYS = 366;
export const DEFAULT_USAGE_RANGE_DAYS = 30;

/** A bound of the range: a day (its midnight in the tenant's time zone) or an instant. */
export type UsageBound = { date: string } | { at: string };

export interface UsageTotals {
  calls: number;
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costMicroUsd: number;
  runs: number;
  steps: number;
  /** Executor time of the step attempts, whole milliseconds. */
  workerMs: number;
  /** The newest daily storage snapshot in the group (null: none, or not a day group). */
  storedBytes: number | null;
}

export interface UsageGroup extends UsageTotals {
  /** The day, `provider/model`, workflow id, API key id or pool; null for events without one. */
  group: string | null;
  /** The workflow's or API key's name, for those groups. */
  name: string | null;
}

export interface UsageReport {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: UsageGroupBy;
  groups: UsageGroup[];
  total: UsageTotals;
}

/** `[from, to)` in the tenant's time zone: defaults are the 30 days up to the end of today. */
const RANGE_SQL = `
with t as (select time_zone as tz from tenants where id = $1),
upper_bound as (
  select tz, coalesce($4::timestamptz, $5::date::timestamp at time zone tz,
                      (date_trunc('day', $6::timestamptz at time zone tz) + interval '1 day') at time zone tz) as to_at
    from t),
bounds as (
  select tz, to_at, coalesce($2::timestamptz, $3::date::timestamp at time zone tz,
                             ((to_at at time zone tz) - interval '${DEFAULT_USAGE_RANGE_DAYS} days') at time zone tz) as from_at
    from upper_bound)
select tz, from_at, to_at, to_at > ((from_at at time zone tz) + interval '${MAX_USAGE_RANGE_DAYS} days') at time zone tz as too_long
  from bounds`;

const SUMS = `
  count(*) filter (where e.kind = 'llm_call') as calls,
  count(*) filter (where e.kind = 'cache_hit') as cache_hits,
  coalesce(sum(e.tokens_in), 0) as tokens_in,
  coalesce(sum(e.tokens_out), 0) as tokens_out,
  coalesce(sum(e.tokens_cached), 0) as tokens_cached,
  coalesce(sum(e.cost_micro_usd), 0) as cost_micro_usd,
  count(*) filter (where e.kind = 'run_started') as runs,
  count(*) filter (where e.kind = 'step_executed') as steps,
  coalesce(sum(e.quantity) filter (where e.kind = 'worker_seconds'), 0) as worker_ms,
  (array_agg(e.quantity order by e.occurred_at desc) filter (where e.kind = 'stored_bytes'))[1] as stored_bytes`;

/** One range scan of the (tenant_id, occurred_at) index; day groups read `$4`, the time zone. */
const IN_RANGE = `from usage_events e where e.tenant_id = $1 and e.occurred_at >= $2 and e.occurred_at < $3`;

function groupSql(groupBy: UsageGroupBy): { key: string; name: string; join: string } {
  switch (groupBy) {
    case 'day':
      return { key: `to_char(e.occurred_at at time zone $4, 'YYYY-MM-DD')`, name: 'null', join: '' };
    case 'model':
      return {
        key: `case when e.model is not null then coalesce(e.provider || '/', '') || e.model end`,
        name: 'null',
        join: '',
      };
    case 'workflow':
      return {
        key: 'e.workflow_id::text',
        name: 'w.name',
        join: 'left join workflows w on w.tenant_id = $1 and w.id = g.grp::uuid',
      };
    case 'key':
      return {
        key: 'e.api_key_id::text',
        name: 'k.name',
        join: 'left join api_keys k on k.tenant_id = $1 and k.id = g.grp::uuid',
      };
    case 'pool':
      return { key: 'e.pool', name: 'null', join: '' };
    default:
      return assertNever(groupBy);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected group ${String(value)}`);
}

/**
 * The grouped report. Storage snapshots belong to a day, not to a model, workflow, key or pool:
 * outside day groups they count only in the total. Days sort in order, other groups by cost.
 */
export function usageReportSql(groupBy: UsageGroupBy): string {
  const g = groupSql(groupBy);
  const order = groupBy === 'day' ? 'g.grp' : 'g.cost_micro_usd desc, g.grp nulls last';
  const storage = groupBy === 'day' ? '' : ` and e.kind <> 'stored_bytes'`;
  return `
with g as (
  select ${g.key} as grp, ${SUMS}
    ${IN_RANGE}${storage}
   group by 1)
select g.*, ${g.name} as name from g ${g.join} order by ${order}`;
}

const TOTAL_SQL = `select ${SUMS} ${IN_RANGE}`;

const num = (value: unknown) => Number(value ?? 0);

function totalsOf(row: Record<string, unknown>): UsageTotals {
  return {
    calls: num(row.calls),
    cacheHits: num(row.cache_hits),
    tokensIn: num(row.tokens_in),
    tokensOut: num(row.tokens_out),
    tokensCached: num(row.tokens_cached),
    costMicroUsd: num(row.cost_micro_usd),
    runs: num(row.runs),
    steps: num(row.steps),
    workerMs: num(row.worker_ms),
    storedBytes: row.stored_bytes === null || row.stored_bytes === undefined ? null : num(row.stored_bytes),
  };
}

const toSql = (bound: UsageBound | undefined) =>
  bound === undefined ? [null, null] : 'date' in bound ? [null, bound.date] : [bound.at, null];

/**
 * The tenant's usage from the ledger over `[from, to)`, grouped. Throws USAGE_RANGE_INVALID
 * when `to` is not after `from` and USAGE_RANGE_TOO_LONG past MAX_USAGE_RANGE_DAYS.
 */
export async function queryUsage(
  tx: Queryable,
  tenantId: string,
  request: { from?: UsageBound; to?: UsageBound; groupBy: UsageGroupBy; now: Date },
): Promise<UsageReport> {
  const range = await tx.query<{ tz: string; from_at: Date; to_at: Date; too_long: boolean }>(RANGE_SQL, [
    tenantId,
    ...toSql(request.from),
    ...toSql(request.to),
    request.now.toISOString(),
  ]);
  const bounds = range.rows[0];
  if (!bounds) throw new Error('the tenant of the transaction does not exist');
  const from = new Date(bounds.from_at);
  const to = new Date(bounds.to_at);
  if (to <= from)
    throw new MeteringError('USAGE_RANGE_INVALID', undefined, {
      from: from.toISOString(),
      to: to.toISOString(),
    });
  if (bounds.too_long)
    throw new MeteringError('USAGE_RANGE_TOO_LONG', undefined, {
      from: from.toISOString(),
      to: to.toISOString(),
      maxDays: MAX_USAGE_RANGE_DAYS,
    });
  const params = [tenantId, from.toISOString(), to.toISOString()];
  const byDay = request.groupBy === 'day';
  const groups = await tx.query(usageReportSql(request.groupBy), byDay ? [...params, bounds.tz] : params);
  const total = await tx.query(TOTAL_SQL, params);
  return {
    from,
    to,
    timeZone: bounds.tz,
    groupBy: request.groupBy,
    groups: groups.rows.map((row) => ({
      group: row.grp === null ? null : String(row.grp),
      name: row.name === null || row.name === undefined ? null : String(row.name),
      ...totalsOf(row),
      storedBytes: request.groupBy === 'day' ? totalsOf(row).storedBytes : null,
    })),
    total: totalsOf(total.rows[0] ?? {}),
  };
}
