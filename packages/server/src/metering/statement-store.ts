import type { Queryable } from '../db/index.ts';
import { METERS, monthStartOf, type Meter } from './plan-pricing.ts';

/** Queries of statements: the tenant's clock, a month's bounds, the ledger sums, stored rows. */

export interface TenantBilling {
  id: string;
  name: string;
  plan: string;
  timeZone: string;
  /** YYYY-MM in the tenant's zone: when it was created, and at `now`. */
  createdMonth: string;
  currentMonth: string;
}

export async function readTenantBilling(tx: Queryable, tenantId: string, now: Date): Promise<TenantBilling> {
  const found = await tx.query<{
    id: string;
    name: string;
    plan: string;
    time_zone: string;
    created_month: string;
    current_month: string;
  }>(
    `select id, name, plan, time_zone, to_char(created_at at time zone time_zone, 'YYYY-MM') as created_month,
            to_char($2::timestamptz at time zone time_zone, 'YYYY-MM') as current_month
       from tenants where id = $1`,
    [tenantId, now.toISOString()],
  );
  const row = found.rows[0];
  if (!row) throw new Error(`tenant ${tenantId} is not visible to this transaction`);
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    timeZone: row.time_zone,
    createdMonth: row.created_month,
    currentMonth: row.current_month,
  };
}

export interface MonthBounds {
  start: Date;
  end: Date;
  /** ISO 8601 with the zone's offset, e.g. 2026-03-01T00:00:00-05:00. */
  startLocal: string;
  endLocal: string;
}

const offsetOf = (seconds: number): string => {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
};

/** [start, end) of a calendar month in a time zone, computed by the database's zone rules. */
export async function monthBounds(tx: Queryable, month: string, timeZone: string): Promise<MonthBounds> {
  const found = await tx.query<Record<string, unknown>>(
    `select s, e, to_char(s at time zone $2, 'YYYY-MM-DD"T"HH24:MI:SS') as s_local,
            to_char(e at time zone $2, 'YYYY-MM-DD"T"HH24:MI:SS') as e_local,
            extract(epoch from (s at time zone $2) - (s at time zone 'UTC'))::integer as s_offset,
            extract(epoch from (e at time zone $2) - (e at time zone 'UTC'))::integer as e_offset
       from (select $1::date::timestamp at time zone $2 as s,
                    ($1::date + interval '1 month') at time zone $2 as e) b`,
    [monthStartOf(month), timeZone],
  );
  const row = found.rows[0];
  if (!row) throw new Error('month bounds returned no row');
  return {
    start: new Date(row.s as string),
    end: new Date(row.e as string),
    startLocal: `${String(row.s_local)}${offsetOf(Number(row.s_offset))}`,
    endLocal: `${String(row.e_local)}${offsetOf(Number(row.e_offset))}`,
  };
}

/**
 * Each meter's quantity over the ledger rows that occurred in [start, end) and were recorded by
 * `cutoff` (all rows when null). A worker_seconds row's quantity is milliseconds (migration 0013).
 */
export async function readMeterQuantities(
  tx: Queryable,
  tenantId: string,
  bounds: { start: Date; end: Date },
  cutoff: Date | null,
): Promise<Record<Meter, bigint>> {
  const found = await tx.query<Record<string, string | number>>(
    `select coalesce(sum(tokens_in + tokens_out) filter (where kind = 'llm_call'), 0)::text as llm_tokens,
            coalesce(sum(cost_micro_usd) filter (where kind in ('llm_call', 'cache_hit')), 0)::text as llm_cost,
            coalesce(sum(quantity) filter (where kind = 'run_started'), 0)::text as runs_started,
            coalesce(sum(quantity) filter (where kind = 'step_executed'), 0)::text as steps_executed,
            coalesce(sum(quantity) filter (where kind = 'worker_seconds'), 0)::text as worker_ms
       from usage_events
      where tenant_id = $1 and occurred_at >= $2 and occurred_at < $3
        and ($4::timestamptz is null or recorded_at <= $4::timestamptz)`,
    [tenantId, bounds.start.toISOString(), bounds.end.toISOString(), cutoff?.toISOString() ?? null],
  );
  const row = found.rows[0] ?? {};
  const sum = (name: string) => BigInt(String(row[name] ?? '0'));
  const workerMs = sum('worker_ms');
  const quantities = {
    llm_tokens: sum('llm_tokens'),
    llm_cost: sum('llm_cost'),
    runs_started: sum('runs_started'),
    steps_executed: sum('steps_executed'),
    // Whole seconds, rounded up once for the month.
    worker_seconds: (workerMs + 999n) / 1000n,
  } satisfies Record<Meter, bigint>;
  return Object.fromEntries(METERS.map((m) => [m, quantities[m]])) as Record<Meter, bigint>;
}

/** The month of the tenant's first ledger row, in its zone; null without any. */
export async function firstUsageMonth(
  tx: Queryable,
  tenantId: string,
  timeZone: string,
): Promise<string | null> {
  const found = await tx.query<{ month: string | null }>(
    `select to_char(min(occurred_at) at time zone $2, 'YYYY-MM') as month from usage_events where tenant_id = $1`,
    [tenantId, timeZone],
  );
  return found.rows[0]?.month ?? null;
}

export interface StoredStatement {
  month: string;
  closedAt: Date;
  plan: string;
  pricingId: number;
  totalMicroUsd: number;
  sha256: string;
  body: string;
  /** Ledger rows of the month recorded after it closed (ADR 0008: excluded, shown). */
  lateEvents: number;
}

const STORED_SELECT = `select to_char(s.month, 'YYYY-MM') as month, s.closed_at, s.plan, s.pricing_id,
       s.total_micro_usd, s.sha256, s.body,
       (select count(*) from usage_events u
         where u.tenant_id = s.tenant_id and u.occurred_at >= s.period_start and u.occurred_at < s.period_end
           and u.recorded_at > s.closed_at) as late_events
  from statements s`;

const toStored = (row: Record<string, unknown>): StoredStatement => ({
  month: String(row.month),
  closedAt: new Date(row.closed_at as string),
  plan: String(row.plan),
  pricingId: Number(row.pricing_id),
  totalMicroUsd: Number(row.total_micro_usd),
  sha256: String(row.sha256),
  body: String(row.body),
  lateEvents: Number(row.late_events),
});

export async function readStoredStatements(tx: Queryable, tenantId: string): Promise<StoredStatement[]> {
  const found = await tx.query(`${STORED_SELECT} where s.tenant_id = $1 order by s.month desc`, [tenantId]);
  return found.rows.map(toStored);
}

export async function readStoredStatement(
  tx: Queryable,
  tenantId: string,
  month: string,
): Promise<StoredStatement | null> {
  const found = await tx.query(`${STORED_SELECT} where s.tenant_id = $1 and s.month = $2::date`, [
    tenantId,
    monthStartOf(month),
  ]);
  const row = found.rows[0];
  return row ? toStored(row) : null;
}

export interface NewStatement {
  tenantId: string;
  month: string;
  bounds: { start: Date; end: Date };
  closedAt: Date;
  plan: string;
  pricingId: number;
  totalMicroUsd: number;
  sha256: string;
  body: string;
}

/**
 * Stores a closed statement unless one is stored already; returns the stored one either way.
 * Of two concurrent first generations, the second waits for the first and then reads its row.
 */
export async function storeStatement(tx: Queryable, statement: NewStatement): Promise<StoredStatement> {
  await tx.query(
    `insert into statements (tenant_id, month, period_start, period_end, closed_at, plan, pricing_id,
                             total_micro_usd, sha256, body)
     values ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing`,
    [
      statement.tenantId,
      monthStartOf(statement.month),
      statement.bounds.start.toISOString(),
      statement.bounds.end.toISOString(),
      statement.closedAt.toISOString(),
      statement.plan,
      statement.pricingId,
      statement.totalMicroUsd,
      statement.sha256,
      statement.body,
    ],
  );
  const stored = await readStoredStatement(tx, statement.tenantId, statement.month);
  if (!stored) throw new Error(`statement ${statement.month} was neither stored nor found`);
  return stored;
}
