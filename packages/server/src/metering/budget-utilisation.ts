import type { Queryable } from '../db/index.ts';

/** Every budget's current period, spent and limit, across tenants (system role; for metrics). */
export async function readBudgetUtilisation(
  sys: Queryable,
): Promise<{ tenantId: string; budgetId: string; spentMicroUsd: number; limitMicroUsd: number }[]> {
  const found = await sys.query<{ tenant_id: string; budget_id: string; spent: string; limit: string }>(
    `select p.tenant_id, p.budget_id, p.spent_micro_usd::text as spent, b.limit_micro_usd::text as limit
       from budget_periods p join budgets b on b.tenant_id = p.tenant_id and b.id = p.budget_id
      where p.period_start <= now() and now() < p.period_end`,
  );
  return found.rows.map((r) => ({
    tenantId: r.tenant_id,
    budgetId: r.budget_id,
    spentMicroUsd: Number(r.spent),
    limitMicroUsd: Number(r.limit),
  }));
}
