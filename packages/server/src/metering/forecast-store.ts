import type { Database, Queryable } from '../db/index.ts';
import type { BudgetKind } from './budget.ts';
import { MeteringError } from './errors.ts';
import { computeForecast, DAY_MS, type Forecast } from './forecast.ts';

/** A budget's current period and where its spend is heading. */
export interface BudgetForecast extends Forecast {
  tenantId: string;
  budgetId: string;
  budgetName: string;
  kind: BudgetKind;
  limitMicroUsd: number;
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  spentMicroUsd: number;
  /** Spend of each 24-hour slice of the period so far, from its start. */
  daily: { start: string; spentMicroUsd: number }[];
  /** A forecast alert already fired this period. */
  alerted: boolean;
}

/**
 * Each budget with a period open at $1: its spend (the period row) and the ledger's cost per
 * 24-hour slice of the period, counted as the budget counts (events recorded since it exists,
 * in its scope). Under the app role RLS keeps it to the tenant; the system role sees them all.
 */
const SELECT = `
select b.tenant_id, b.id, b.name, b.kind, b.limit_micro_usd, t.time_zone, pb.period_start, pb.period_end,
       coalesce(p.spent_micro_usd, 0) as spent, d.slices, d.costs,
       exists (select 1 from budget_alerts a
                where a.tenant_id = b.tenant_id and a.budget_id = b.id
                  and a.period_start = pb.period_start and a.kind = 'forecast') as alerted
  from budgets b
  join tenants t on t.id = b.tenant_id
  cross join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, $1::timestamptz) pb
  left join budget_periods p
    on p.tenant_id = b.tenant_id and p.budget_id = b.id and p.period_start = pb.period_start
  left join lateral (
    select array_agg(s.slice order by s.slice) as slices, array_agg(s.cost order by s.slice) as costs
      from (select floor(extract(epoch from (u.occurred_at - pb.period_start)) * 1000 / ${DAY_MS})::int as slice,
                   sum(u.cost_micro_usd) as cost
              from usage_events u
             where u.tenant_id = b.tenant_id and u.cost_micro_usd > 0
               and u.occurred_at >= pb.period_start and u.occurred_at < least($1::timestamptz, pb.period_end)
               and u.recorded_at >= b.created_at
               and (b.scope = 'tenant'
                    or (b.scope = 'api_key' and u.api_key_id = b.scope_id)
                    or (b.scope = 'workflow' and u.workflow_id = b.scope_id))
             group by 1) s) d on true
 where ($2::uuid is null or b.id = $2)
   and ($3::boolean is false or (coalesce(p.spent_micro_usd, 0) > 0 and not exists (
          select 1 from budget_alerts a
           where a.tenant_id = b.tenant_id and a.budget_id = b.id
             and a.period_start = pb.period_start and a.kind = 'forecast')))
 order by b.tenant_id, b.name`;

function forecastOf(row: Record<string, unknown>, at: Date): BudgetForecast {
  const periodStart = new Date(row.period_start as string);
  const periodEnd = new Date(row.period_end as string);
  const slices = ((row.slices as unknown[] | null) ?? []).map(Number);
  const costs = ((row.costs as unknown[] | null) ?? []).map(Number);
  const daily = new Map(slices.map((slice, i) => [slice, costs[i] ?? 0]));
  const limit = Number(row.limit_micro_usd);
  const spent = Number(row.spent);
  const elapsedSlices = Math.ceil(
    (Math.min(at.getTime(), periodEnd.getTime()) - periodStart.getTime()) / DAY_MS,
  );
  return {
    tenantId: String(row.tenant_id),
    budgetId: String(row.id),
    budgetName: String(row.name),
    kind: row.kind as BudgetKind,
    limitMicroUsd: limit,
    periodStart: periodStart.toISOString(),
    periodEnd: periodEnd.toISOString(),
    timeZone: String(row.time_zone),
    spentMicroUsd: spent,
    daily: Array.from({ length: Math.max(0, elapsedSlices) }, (_, k) => ({
      start: new Date(periodStart.getTime() + k * DAY_MS).toISOString(),
      spentMicroUsd: daily.get(k) ?? 0,
    })),
    alerted: Boolean(row.alerted),
    ...computeForecast({ periodStart, periodEnd, at, limitMicroUsd: limit, spentMicroUsd: spent, daily }),
  };
}

/** The forecast of every budget of the tenant with a period open at `at`, or of one budget. */
export async function forecastBudgets(
  tx: Queryable,
  at: Date,
  filter: { budgetId?: string | undefined } = {},
): Promise<BudgetForecast[]> {
  const result = await tx.query(SELECT, [at.toISOString(), filter.budgetId ?? null, false]);
  if (filter.budgetId !== undefined && result.rows.length === 0) {
    const exists = await tx.query('select 1 from budgets where id = $1', [filter.budgetId]);
    if (exists.rows.length === 0)
      throw new MeteringError('BUDGET_NOT_FOUND', `No budget ${filter.budgetId}`, {
        budgetId: filter.budgetId,
      });
  }
  return result.rows.map((row) => forecastOf(row, at));
}

/**
 * Fires the forecast alert of each forecast over its limit with enough history, once per
 * budget and period (the unique index); the alerts fired now. Any transaction that sees them.
 */
export async function recordForecastAlerts(
  tx: Queryable,
  forecasts: readonly BudgetForecast[],
): Promise<number> {
  const due = forecasts.filter((f) => f.exceedsLimit && f.enoughHistory && !f.alerted);
  if (due.length === 0) return 0;
  const inserted = await tx.query(
    `insert into budget_alerts (tenant_id, budget_id, budget_name, kind, period_start, period_end,
                                limit_micro_usd, spent_micro_usd, projected_micro_usd)
     select f.tenant_id, f.budget_id, f.name, 'forecast', f.period_start, f.period_end, f.limit_micro_usd,
            f.spent, f.projected
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[],
                   $7::bigint[], $8::bigint[])
            as f(tenant_id, budget_id, name, period_start, period_end, limit_micro_usd, spent, projected)
     on conflict do nothing
     returning id`,
    [
      due.map((f) => f.tenantId),
      due.map((f) => f.budgetId),
      due.map((f) => f.budgetName),
      due.map((f) => f.periodStart),
      due.map((f) => f.periodEnd),
      due.map((f) => f.limitMicroUsd),
      due.map((f) => f.spentMicroUsd),
      due.map((f) => f.projectedMicroUsd),
    ],
  );
  return inserted.rows.length;
}

/**
 * The maintenance loop's pass over every tenant: forecasts the budgets that spent this period
 * and have no forecast alert yet, and fires the ones over their limit. Alerts fired.
 */
export async function evaluateForecastAlerts(db: Database, at: Date): Promise<number> {
  return db.systemTx(async (sys) => {
    const result = await sys.query(SELECT, [at.toISOString(), null, true]);
    return recordForecastAlerts(
      sys,
      result.rows.map((row) => forecastOf(row, at)),
    );
  });
}
