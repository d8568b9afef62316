import type { Queryable } from '../db/index.ts';
import type { AlertKind, BudgetAlert } from './alert.ts';
import { MeteringError } from './errors.ts';

const COLUMNS = `id, budget_id, budget_name, kind, threshold, period_start, period_end, limit_micro_usd,
  spent_micro_usd, projected_micro_usd, created_at, acknowledged_at, acknowledged_by`;

const iso = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());

export function alertOf(row: Record<string, unknown>): BudgetAlert {
  return {
    id: String(row.id),
    budgetId: String(row.budget_id),
    budgetName: String(row.budget_name),
    kind: row.kind as AlertKind,
    threshold: row.threshold === null ? null : Number(row.threshold),
    periodStart: iso(row.period_start) as string,
    periodEnd: iso(row.period_end) as string,
    limitMicroUsd: Number(row.limit_micro_usd),
    spentMicroUsd: Number(row.spent_micro_usd),
    projectedMicroUsd: row.projected_micro_usd === null ? null : Number(row.projected_micro_usd),
    createdAt: iso(row.created_at) as string,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: (row.acknowledged_by as string | null) ?? null,
  };
}

export interface AlertFilter {
  budgetId?: string | undefined;
  kind?: AlertKind | undefined;
  /** true: only acknowledged ones; false: only those not acknowledged yet. */
  acknowledged?: boolean | undefined;
  limit: number;
  /** The id of the last alert of the previous page. */
  before?: string | undefined;
}

/** The tenant's alerts, newest first (the transaction's tenant). */
export async function listAlerts(tx: Queryable, filter: AlertFilter): Promise<BudgetAlert[]> {
  const result = await tx.query(
    `select ${COLUMNS} from budget_alerts
      where ($1::uuid is null or budget_id = $1)
        and ($2::text is null or kind = $2)
        and ($3::boolean is null or (acknowledged_at is not null) = $3)
        and ($4::uuid is null or seq < (select seq from budget_alerts where id = $4))
      order by seq desc limit $5`,
    [
      filter.budgetId ?? null,
      filter.kind ?? null,
      filter.acknowledged ?? null,
      filter.before ?? null,
      filter.limit,
    ],
  );
  return result.rows.map(alertOf);
}

export async function getAlert(tx: Queryable, id: string): Promise<BudgetAlert> {
  const result = await tx.query(`select ${COLUMNS} from budget_alerts where id = $1`, [id]);
  const row = result.rows[0];
  if (!row) throw new MeteringError('ALERT_NOT_FOUND', `No alert ${id}`, { alertId: id });
  return alertOf(row);
}

/**
 * Marks an alert seen by `by` (an actorRef); acknowledging it again changes nothing and
 * answers `changed: false`, so the first acknowledgement is the one kept.
 */
export async function acknowledgeAlert(
  tx: Queryable,
  id: string,
  by: string,
  at: Date,
): Promise<{ alert: BudgetAlert; changed: boolean }> {
  const updated = await tx.query(
    `update budget_alerts set acknowledged_at = $2, acknowledged_by = $3
      where id = $1 and acknowledged_at is null returning ${COLUMNS}`,
    [id, at.toISOString(), by],
  );
  const row = updated.rows[0];
  if (row) return { alert: alertOf(row), changed: true };
  return { alert: await getAlert(tx, id), changed: false };
}
