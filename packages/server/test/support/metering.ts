import type { Database } from '../../src/db/index.ts';
import { createBudgetEscrow, DEFAULT_ESCROW_OPTIONS, type EscrowOptions } from '../../src/metering/index.ts';
import { createLogger } from '../../src/observability/index.ts';

/** A process's escrow on the test database, with a clock the test moves. */
export function createTestEscrow(
  db: Database,
  processId: string,
  options: Partial<EscrowOptions> & { now?: () => number } = {},
) {
  const { now, ...rest } = options;
  return createBudgetEscrow(
    { db, logger: createLogger({ level: 'silent' }), ...(now ? { now } : {}) },
    { ...DEFAULT_ESCROW_OPTIONS, processId, ...rest },
  );
}

/** A hard or soft budget written straight to the database; returns its id. */
export async function insertBudget(
  db: Database,
  tenantId: string,
  budget: {
    limitMicroUsd: number;
    kind?: 'hard' | 'soft';
    scope?: 'tenant' | 'workflow' | 'api_key';
    scopeId?: string | null;
    period?: 'daily' | 'monthly';
    name?: string;
  },
): Promise<string> {
  const id = crypto.randomUUID();
  await db.ownerTx((tx) =>
    tx.query(
      `insert into budgets (tenant_id, id, name, scope, scope_id, period, limit_micro_usd, kind)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tenantId,
        id,
        budget.name ?? `b-${id.slice(0, 8)}`,
        budget.scope ?? 'tenant',
        budget.scopeId ?? null,
        budget.period ?? 'daily',
        budget.limitMicroUsd,
        budget.kind ?? 'hard',
      ],
    ),
  );
  return id;
}

/** spent and leased of every period of a budget, summed, as the database holds them. */
export async function budgetTotals(db: Database, budgetId: string) {
  return db.ownerTx(async (tx) => {
    const periods = await tx.query<{ spent: string; leased: string }>(
      `select coalesce(sum(spent_micro_usd), 0) as spent, coalesce(sum(leased_micro_usd), 0) as leased
         from budget_periods where budget_id = $1`,
      [budgetId],
    );
    const leases = await tx.query<{ amount: string; n: string }>(
      `select coalesce(sum(amount_micro_usd), 0) as amount, count(*) as n from budget_leases where budget_id = $1`,
      [budgetId],
    );
    return {
      spent: Number(periods.rows[0]?.spent),
      leased: Number(periods.rows[0]?.leased),
      leaseSum: Number(leases.rows[0]?.amount),
      leaseRows: Number(leases.rows[0]?.n),
    };
  });
}
