export { SCHEDULING_ERRORS, SchedulingError, quotaError } from './errors.ts';
export type { SchedulingErrorCode } from './errors.ts';
export {
  LIMIT_NAMES,
  LIMIT_RANGES,
  LIMIT_COLUMNS,
  PLAN_NAME_PATTERN,
  POOL_NAME_PATTERN,
  SHARED_POOL,
} from './limits.ts';
export type { LimitName, Limits } from './limits.ts';
export { listPlans, getPlan, createPlan, updatePlan, deletePlan } from './plans.ts';
export type { Plan } from './plans.ts';
export {
  readEffectiveLimits,
  getTenantLimits,
  changeTenantPlan,
  updateTenantOverrides,
} from './tenant-limits.ts';
export type { EffectiveLimits, TenantLimits, LimitOverrides, OverridesPatch } from './tenant-limits.ts';
export { OPERATOR_API_ACTOR, OPERATOR_CLI_ACTOR } from './operator-change.ts';
export type { OperatorChange } from './operator-change.ts';
export { assertRunShape, admitRunStart, payloadBytes, QUEUE_FULL_RETRY_AFTER_SECONDS } from './quotas.ts';
export {
  WINDOW_MS,
  rollWindow,
  slidingCount,
  admits,
  msUntilAdmitted,
  countStart,
} from './sliding-window.ts';
export type { WindowState } from './sliding-window.ts';
export { readLiveUsage, readPoolHealth, WAIT_WINDOW } from './live-usage.ts';
export type { TenantLiveUsage, PoolHealth } from './live-usage.ts';
