/** The closed sets and shapes of budget alerts (migration 0012, docs/adr/0009-budget-alerts.md). */
export const ALERT_KINDS = ['threshold', 'forecast'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** An alert as fired: what the budget's period stood at when it did. */
export interface BudgetAlert {
  id: string;
  budgetId: string;
  /** The budget's name when the alert fired. */
  budgetName: string;
  kind: AlertKind;
  /** The percentage of the limit crossed (threshold alerts); null for forecast alerts. */
  threshold: number | null;
  periodStart: string;
  periodEnd: string;
  limitMicroUsd: number;
  spentMicroUsd: number;
  /** The projected end-of-period spend that exceeded the limit (forecast alerts). */
  projectedMicroUsd: number | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** A tenant's alert webhook as shown: never its secret, only the secret's fingerprint. */
export interface AlertWebhook {
  id: string;
  url: string;
  description: string | null;
  secretFingerprint: string;
  createdBy: string;
  createdAt: string;
  deliveries: { pending: number; delivered: number; dead: number };
}
