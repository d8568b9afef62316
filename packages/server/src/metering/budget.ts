/** The closed sets of a budget (migration 0010, docs/adr/0007-metering.md). */
export const BUDGET_SCOPES = ['tenant', 'workflow', 'api_key'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export const BUDGET_PERIODS = ['daily', 'monthly', 'fixed'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const BUDGET_KINDS = ['hard', 'soft'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [50, 80, 100];

/** A budget with its current period: what it spent, what processes hold leased, what remains. */
export interface Budget {
  id: string;
  name: string;
  scope: BudgetScope;
  scopeId: string | null;
  period: BudgetPeriod;
  startsAt: string | null;
  endsAt: string | null;
  limitMicroUsd: number;
  kind: BudgetKind;
  alertThresholds: number[];
  createdAt: string;
  updatedAt: string;
  /** null: a fixed window that has not begun or has ended. */
  current: {
    periodStart: string;
    periodEnd: string;
    /** The tenant's time zone, the clock the daily and monthly bounds are computed in. */
    timeZone: string;
    spentMicroUsd: number;
    /** Held by processes' leases (escrow): reserved for calls in flight or about to be. */
    leasedMicroUsd: number;
    remainingMicroUsd: number;
  } | null;
}
