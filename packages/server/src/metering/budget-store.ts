import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import {
  DEFAULT_ALERT_THRESHOLDS,
  type Budget,
  type BudgetKind,
  type BudgetPeriod,
  type BudgetScope,
} from './budget.ts';
import { MeteringError } from './errors.ts';

export interface NewBudget {
  name: string;
  scope: BudgetScope;
  scopeId?: string | null;
  period: BudgetPeriod;
  startsAt?: string | null;
  endsAt?: string | null;
  limitMicroUsd: number;
  kind: BudgetKind;
  alertThresholds?: readonly number[];
}

export interface BudgetChange {
  name?: string;
  limitMicroUsd?: number;
  kind?: BudgetKind;
  alertThresholds?: readonly number[];
}

/** Each budget with its period at `at` (the tenant's time zone) and that period's row, if any. */
const SELECT = `
select b.id, b.name, b.scope, b.scope_id, b.period, b.starts_at, b.ends_at, b.limit_micro_usd, b.kind,
       b.alert_thresholds, b.created_at, b.updated_at, t.time_zone, pb.period_start, pb.period_end,
       coalesce(p.spent_micro_usd, 0) as spent, coalesce(p.leased_micro_usd, 0) as leased
  from budgets b
  join tenants t on t.id = b.tenant_id
  left join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, $1::timestamptz) pb
    on true
  left join budget_periods p
    on p.tenant_id = b.tenant_id and p.budget_id = b.id and p.period_start = pb.period_start`;

const iso = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());

function budgetOf(row: Record<string, unknown>): Budget {
  const limit = Number(row.limit_micro_usd);
  const spent = Number(row.spent);
  const leased = Number(row.leased);
  return {
    id: String(row.id),
    name: String(row.name),
    scope: row.scope as BudgetScope,
    scopeId: (row.scope_id as string | null) ?? null,
    period: row.period as BudgetPeriod,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    limitMicroUsd: limit,
    kind: row.kind as BudgetKind,
    alertThresholds: (row.alert_thresholds as number[]).map(Number),
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    current:
      row.period_start === null
        ? null
        : {
            periodStart: iso(row.period_start) as string,
            periodEnd: iso(row.period_end) as string,
            timeZone: String(row.time_zone),
            spentMicroUsd: spent,
            leasedMicroUsd: leased,
            remainingMicroUsd: Math.max(0, limit - spent - leased),
          },
  };
}

const thresholdsOf = (values: readonly number[]) => [...new Set(values)].sort((a, b) => a - b);

/** The tenant's budgets (the transaction's tenant), by name, each with its current period. */
export async function listBudgets(tx: Queryable, at: Date): Promise<Budget[]> {
  const result = await tx.query(`${SELECT} order by b.name`, [at.toISOString()]);
  return result.rows.map(budgetOf);
}

export async function getBudget(tx: Queryable, id: string, at: Date): Promise<Budget> {
  const result = await tx.query(`${SELECT} where b.id = $2`, [at.toISOString(), id]);
  const row = result.rows[0];
  if (!row) throw new MeteringError('BUDGET_NOT_FOUND', `No budget ${id}`, { budgetId: id });
  return budgetOf(row);
}

async function assertScopeExists(tx: Queryable, scope: BudgetScope, scopeId: string | null) {
  if (scope === 'tenant') return;
  const table = scope === 'workflow' ? 'workflows' : 'api_keys';
  const found = await tx.query(`select 1 from ${table} where id = $1`, [scopeId]);
  // rows, not rowCount: PGlite reports no affected rows for a select.
  if (found.rows.length === 0)
    throw new MeteringError(
      'BUDGET_SCOPE_NOT_FOUND',
      `No ${scope === 'workflow' ? 'workflow' : 'API key'} ${scopeId} in this tenant`,
      { scope, scopeId },
    );
}

export async function createBudget(tx: Queryable, tenantId: string, input: NewBudget, at: Date) {
  const scopeId = input.scope === 'tenant' ? null : (input.scopeId ?? null);
  await assertScopeExists(tx, input.scope, scopeId);
  const id = randomUUID();
  const inserted = await tx.query(
    `insert into budgets (tenant_id, id, name, scope, scope_id, period, starts_at, ends_at, limit_micro_usd,
                          kind, alert_thresholds)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (tenant_id, name) do nothing returning id`,
    [
      tenantId,
      id,
      input.name,
      input.scope,
      scopeId,
      input.period,
      input.period === 'fixed' ? input.startsAt : null,
      input.period === 'fixed' ? input.endsAt : null,
      input.limitMicroUsd,
      input.kind,
      thresholdsOf(input.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS),
    ],
  );
  if (inserted.rowCount === 0)
    throw new MeteringError('BUDGET_NAME_TAKEN', `A budget named ${JSON.stringify(input.name)} exists`, {
      name: input.name,
    });
  return getBudget(tx, id, at);
}

/** Changes what may change of a budget; its scope and period are what it is, so they stay. */
export async function updateBudget(tx: Queryable, id: string, change: BudgetChange, at: Date) {
  const current = await getBudget(tx, id, at);
  if (change.name !== undefined && change.name !== current.name) {
    const taken = await tx.query(`select 1 from budgets where name = $1 and id <> $2`, [change.name, id]);
    if (taken.rows.length > 0)
      throw new MeteringError('BUDGET_NAME_TAKEN', `A budget named ${JSON.stringify(change.name)} exists`, {
        name: change.name,
      });
  }
  await tx.query(
    `update budgets set name = $2, limit_micro_usd = $3, kind = $4, alert_thresholds = $5, updated_at = now()
      where id = $1`,
    [
      id,
      change.name ?? current.name,
      change.limitMicroUsd ?? current.limitMicroUsd,
      change.kind ?? current.kind,
      thresholdsOf(change.alertThresholds ?? current.alertThresholds),
    ],
  );
  return { before: current, after: await getBudget(tx, id, at) };
}

export async function deleteBudget(tx: Queryable, id: string, at: Date): Promise<Budget> {
  const current = await getBudget(tx, id, at);
  await tx.query(`delete from budgets where id = $1`, [id]);
  return current;
}

/**
 * A time zone change would cut the current day or month anew, so spend and leases already held
 * in the old period would not count against the new one: refused while such budgets exist.
 */
export async function assertTimeZoneChangeable(tx: Queryable): Promise<void> {
  const result = await tx.query<{ names: string[] }>(
    "select coalesce(array_agg(name order by name), '{}') as names from budgets where period in ('daily', 'monthly')",
  );
  const names = result.rows[0]?.names ?? [];
  if (names.length > 0) throw new MeteringError('TIME_ZONE_LOCKED', undefined, { budgets: names });
}
