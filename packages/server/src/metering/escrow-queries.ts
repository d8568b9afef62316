import type { Database, Queryable } from '../db/index.ts';

/** The escrow's statements (ADR 0007), each one round trip as the system role. */

export interface GrantRow {
  granted: number;
  periodStart: string;
  periodEnd: number;
  limit: number;
  spent: number;
  leased: number;
}

export interface LeaseKey {
  tenantId: string;
  budgetId: string;
  periodStart: string;
}

export interface PendingCharge extends LeaseKey {
  key: string;
  amount: number;
}

export interface HardBudgetRow {
  id: string;
  scope: 'tenant' | 'workflow' | 'api_key';
  scopeId: string | null;
}

/**
 * Locks budget period rows before their leases, in one order (tenant, budget, period start):
 * the order of metering_grant and of the ledger trigger, so the three never deadlock.
 */
async function lockPeriods(tx: Queryable, leases: readonly LeaseKey[]) {
  await tx.query(
    `select 1 from budget_periods bp
       join unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) as k(tenant_id, budget_id, period_start)
         on bp.tenant_id = k.tenant_id and bp.budget_id = k.budget_id and bp.period_start = k.period_start
      order by bp.tenant_id, bp.budget_id, bp.period_start
        for update of bp`,
    [leases.map((l) => l.tenantId), leases.map((l) => l.budgetId), leases.map((l) => l.periodStart)],
  );
}

export function createEscrowQueries(db: Database, processId: string) {
  return {
    async hardBudgets(tenantId: string): Promise<HardBudgetRow[]> {
      const result = await db.systemQuery<{
        id: string;
        scope: HardBudgetRow['scope'];
        scope_id: string | null;
      }>(`select id, scope, scope_id from budgets where tenant_id = $1 and kind = 'hard'`, [tenantId]);
      return result.rows.map((r) => ({ id: r.id, scope: r.scope, scopeId: r.scope_id }));
    },

    async workflowOf(tenantId: string, runId: string): Promise<string | null> {
      const result = await db.systemQuery<{ workflow_id: string }>(
        `select workflow_id from runs where tenant_id = $1 and id = $2`,
        [tenantId, runId],
      );
      return result.rows[0]?.workflow_id ?? null;
    },

    /** A slice of the budget's current period; null when the budget does not apply at `now`. */
    async grant(
      tenantId: string,
      budgetId: string,
      need: number,
      slice: number,
      now: number,
      expiresAt: number,
    ): Promise<GrantRow | null> {
      const result = await db.systemQuery<Record<string, unknown>>(
        `select * from metering_grant($1, $2, $3, $4, $5, $6, $7)`,
        [
          tenantId,
          budgetId,
          processId,
          need,
          slice,
          new Date(now).toISOString(),
          new Date(expiresAt).toISOString(),
        ],
      );
      const row = result.rows[0];
      if (!row) return null;
      return {
        granted: Number(row.granted),
        periodStart: new Date(row.period_start as string).toISOString(),
        periodEnd: new Date(row.period_end as string).getTime(),
        limit: Number(row.limit_micro_usd),
        spent: Number(row.spent_micro_usd),
        leased: Number(row.leased_micro_usd),
      };
    },

    /**
     * Moves the cost of pending charges whose ledger row exists out of this process's leases
     * (the trigger already added it to spent); returns the keys it moved.
     */
    async confirm(charges: readonly PendingCharge[]): Promise<Set<string>> {
      if (charges.length === 0) return new Set();
      const seen = await db.systemQuery<{
        key: string;
        budget_id: string;
        period_start: string;
        amount: string;
      }>(
        `select s.key, s.budget_id, s.period_start, s.amount
           from unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::bigint[])
                  as s(tenant_id, key, budget_id, period_start, amount)
           join usage_events u on u.tenant_id = s.tenant_id and u.key = s.key`,
        [
          charges.map((c) => c.tenantId),
          charges.map((c) => c.key),
          charges.map((c) => c.budgetId),
          charges.map((c) => c.periodStart),
          charges.map((c) => c.amount),
        ],
      );
      if (seen.rows.length === 0) return new Set();
      const tenantOf = new Map(charges.map((c) => [c.budgetId, c.tenantId]));
      const sums = new Map<string, LeaseKey & { amount: number }>();
      for (const row of seen.rows) {
        const periodStart = new Date(row.period_start).toISOString();
        const id = `${row.budget_id}|${periodStart}`;
        const entry = sums.get(id) ?? {
          tenantId: tenantOf.get(row.budget_id) as string,
          budgetId: row.budget_id,
          periodStart,
          amount: 0,
        };
        entry.amount += Number(row.amount);
        sums.set(id, entry);
      }
      const leases = [...sums.values()];
      await db.systemTx(async (tx) => {
        await lockPeriods(tx, leases);
        await tx.query(
          `with k as (
             select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[])
               as k(tenant_id, budget_id, period_start, amount)),
           l as (
             update budget_leases bl set amount_micro_usd = bl.amount_micro_usd - k.amount
               from k
              where bl.tenant_id = k.tenant_id and bl.budget_id = k.budget_id
                and bl.period_start = k.period_start and bl.process_id = $5
             returning bl.tenant_id, bl.budget_id, bl.period_start, k.amount)
           update budget_periods bp set leased_micro_usd = bp.leased_micro_usd - l.amount
             from l
            where bp.tenant_id = l.tenant_id and bp.budget_id = l.budget_id
              and bp.period_start = l.period_start`,
          [
            leases.map((l) => l.tenantId),
            leases.map((l) => l.budgetId),
            leases.map((l) => l.periodStart),
            leases.map((l) => l.amount),
            processId,
          ],
        );
      });
      return new Set(
        seen.rows.map((r) => `${r.budget_id}|${new Date(r.period_start).toISOString()}|${r.key}`),
      );
    },

    /** Gives `amount` of this process's lease back to the period; false when the lease is gone. */
    async release(lease: LeaseKey, amount: number): Promise<boolean> {
      return db.systemTx(async (tx) => {
        await lockPeriods(tx, [lease]);
        const result = await tx.query(
          `with l as (
             update budget_leases set amount_micro_usd = amount_micro_usd - $5
              where tenant_id = $1 and budget_id = $2 and period_start = $3 and process_id = $4
                and amount_micro_usd >= $5
             returning 1)
           update budget_periods set leased_micro_usd = leased_micro_usd - $5
            where tenant_id = $1 and budget_id = $2 and period_start = $3 and exists (select 1 from l)
           returning 1`,
          [lease.tenantId, lease.budgetId, lease.periodStart, processId, amount],
        );
        return result.rowCount > 0;
      });
    },

    /** Deletes this process's lease row once nothing is left on it (a concurrent grant keeps it). */
    async dropIfEmpty(lease: LeaseKey): Promise<void> {
      await db.systemQuery(
        `delete from budget_leases
          where tenant_id = $1 and budget_id = $2 and period_start = $3 and process_id = $4
            and amount_micro_usd = 0`,
        [lease.tenantId, lease.budgetId, lease.periodStart, processId],
      );
    },

    /** Extends this process's leases; returns the ones that no longer exist (expired and reaped). */
    async renew(leases: readonly LeaseKey[], expiresAt: number): Promise<LeaseKey[]> {
      if (leases.length === 0) return [];
      const result = await db.systemQuery<{ budget_id: string; period_start: string }>(
        `update budget_leases bl set expires_at = $5
           from unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) as k(tenant_id, budget_id, period_start)
          where bl.tenant_id = k.tenant_id and bl.budget_id = k.budget_id
            and bl.period_start = k.period_start and bl.process_id = $4
         returning bl.budget_id, bl.period_start`,
        [
          leases.map((l) => l.tenantId),
          leases.map((l) => l.budgetId),
          leases.map((l) => l.periodStart),
          processId,
          new Date(expiresAt).toISOString(),
        ],
      );
      const alive = new Set(
        result.rows.map((r) => `${r.budget_id}|${new Date(r.period_start).toISOString()}`),
      );
      return leases.filter((l) => !alive.has(`${l.budgetId}|${l.periodStart}`));
    },

    /** The least that remains over the tenant's budgets in their current periods. */
    async remaining(tenantId: string, now: number): Promise<number | null> {
      const result = await db.systemQuery<{ remaining: string | null }>(
        `select min(b.limit_micro_usd - coalesce(p.spent_micro_usd, 0) - coalesce(p.leased_micro_usd, 0))
                  as remaining
           from budgets b
           join tenants t on t.id = b.tenant_id
           join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, $2) pb on true
           left join budget_periods p
             on p.tenant_id = b.tenant_id and p.budget_id = b.id and p.period_start = pb.period_start
          where b.tenant_id = $1`,
        [tenantId, new Date(now).toISOString()],
      );
      const value = result.rows[0]?.remaining;
      return value === null || value === undefined ? null : Math.max(0, Number(value));
    },
  };
}

export type EscrowQueries = ReturnType<typeof createEscrowQueries>;
