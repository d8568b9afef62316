export { METERING_ERRORS, MeteringError } from './errors.ts';
export type { MeteringErrorCode } from './errors.ts';
export { BUDGET_SCOPES, BUDGET_PERIODS, BUDGET_KINDS, DEFAULT_ALERT_THRESHOLDS } from './budget.ts';
export type { Budget, BudgetScope, BudgetPeriod, BudgetKind } from './budget.ts';
export {
  listBudgets,
  getBudget,
  createBudget,
  updateBudget,
  deleteBudget,
  assertTimeZoneChangeable,
} from './budget-store.ts';
export type { NewBudget, BudgetChange } from './budget-store.ts';
export { createUsageLedger, usageEventColumns, USAGE_KINDS } from './usage-ledger.ts';
export type { UsageLedger, UsageEvent, UsageKind } from './usage-ledger.ts';
export { createBudgetEscrow, DEFAULT_ESCROW_OPTIONS } from './escrow.ts';
export type { BudgetEscrow, EscrowOptions, EscrowReservation, ReserveRequest } from './escrow.ts';
export { spendByModelAndDay } from './spend-series.ts';
export type { DailyModelSpend } from './spend-series.ts';
export {
  queryUsage,
  usageReportSql,
  USAGE_GROUP_BYS,
  MAX_USAGE_RANGE_DAYS,
  DEFAULT_USAGE_RANGE_DAYS,
} from './usage-query.ts';
export type { UsageBound, UsageGroup, UsageGroupBy, UsageReport, UsageTotals } from './usage-query.ts';
export { snapshotStoredBytes } from './storage-snapshot.ts';
export { ALERT_KINDS, DELIVERY_STATES } from './alert.ts';
export type { AlertKind, DeliveryState, BudgetAlert, AlertWebhook } from './alert.ts';
export { listAlerts, getAlert, acknowledgeAlert } from './alert-store.ts';
export type { AlertFilter } from './alert-store.ts';
export {
  MAX_ALERT_WEBHOOKS,
  listAlertWebhooks,
  getAlertWebhook,
  createAlertWebhook,
  deleteAlertWebhook,
} from './alert-webhooks.ts';
export type { NewAlertWebhook } from './alert-webhooks.ts';
export { createAlertOutbox, DEFAULT_ALERT_OUTBOX_OPTIONS } from './alert-outbox.ts';
export type {
  AlertOutbox,
  AlertOutboxOptions,
  AlertOutboxResources,
  AlertPost,
  AlertSecretOpener,
  AlertSigner,
  AlertDeliveryBody,
  DeliveryPass,
} from './alert-outbox.ts';
export { computeForecast, FORECAST_DECAY } from './forecast.ts';
export type { Forecast, ForecastInput } from './forecast.ts';
export { forecastBudgets, recordForecastAlerts, evaluateForecastAlerts } from './forecast-store.ts';
export type { BudgetForecast } from './forecast-store.ts';
export { readBudgetUtilisation } from './budget-utilisation.ts';
export { METERS, METER_UNITS, assertPricing, pricingMonthOpen } from './plan-pricing.ts';
export type {
  Meter,
  PlanPricing,
  PricingInput,
  MeterPricing,
  TieredPricing,
  PassThroughPricing,
  PriceTier,
} from './plan-pricing.ts';
export { listPlanPricing, pricingForMonth, setPlanPricing } from './pricing-store.ts';
export {
  STATEMENT_STATUSES,
  buildStatement,
  priceMeter,
  renderStatementJson,
  tierAmount,
  usdString,
} from './statement.ts';
export type { StatementDocument, StatementStatus, MeterLine, StatementTier } from './statement.ts';
export { renderStatementCsv, statementFileName, STATEMENT_CSV_COLUMNS } from './statement-csv.ts';
export {
  closeDueStatements,
  generateStatement,
  listStatements,
  STATEMENT_CLOSE_GRACE_MS,
  STATEMENT_LIST_MONTHS,
} from './statements.ts';
export type { GeneratedStatement, StatementSummary } from './statements.ts';
export { readMeterQuantities } from './statement-store.ts';
