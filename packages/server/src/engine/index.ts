export { createRun } from './create-run.ts';
export type { CreatedRun } from './create-run.ts';
export { claimStep, claimSteps, heartbeat } from './claim.ts';
export type { Claim } from './claim.ts';
export { completeStep, skipStep } from './complete-step.ts';
export { parkStep, findDueWaits, wakeDueStep, WAIT_REASONS } from './park-step.ts';
export type { WaitReason } from './park-step.ts';
export { settleDependants } from './settle-dependants.ts';
export { failStep } from './fail-step.ts';
export type { StepFailure } from './fail-step.ts';
export { reapExpiredLeases, LOST_LEASE_ATTEMPTS } from './reap-leases.ts';
export { failRun, endRun, finishRunIfDone, settleStep, resolveWait } from './finish-run.ts';
export type { RunEnd, FinishedStep } from './finish-run.ts';
export { startChildRun, MAX_RUN_DEPTH } from './child-runs.ts';
export { findOverdueRuns, timeOutRun } from './run-deadlines.ts';
export { TRIGGER_KINDS } from './run-plan.ts';
export type { TriggerKind, ParentRef } from './run-plan.ts';
export { enqueueSteps, STEP_READY_CHANNEL, MIN_RUN_PRIORITY, MAX_RUN_PRIORITY } from './enqueue.ts';
export { lockRun } from './run-lock.ts';
export { retryDelayMs, shouldRetry, NO_RETRY } from './retry-schedule.ts';
export type { RetryPolicy } from './retry-schedule.ts';
export type { RunPlan, StepPlan } from './run-plan.ts';
export { EngineError, ENGINE_ERRORS } from './errors.ts';
export type { EngineErrorCode } from './errors.ts';
export { startWorker } from './worker.ts';
export type { Worker, WorkerDeps, WorkerOptions } from './worker.ts';
export { planSteps, retryPolicyOf } from './plan-run.ts';
export { writeRunOutput } from './run-output.ts';
export { loadStep, attemptIdempotencyKey } from './step-context.ts';
export { createDefinitionCache } from './definition-cache.ts';
export type { DefinitionCache } from './definition-cache.ts';
export { startRun, planRun } from './start-run.ts';
export type { StartRunInput } from './start-run.ts';
export { listRuns, getRun, cancelRun, inline, RUN_STATES, MAX_INLINE_BYTES } from './run-queries.ts';
export type {
  RunSummary,
  RunDetail,
  RunStepView,
  StepAttemptView,
  RunFilter,
  RunState,
} from './run-queries.ts';
export {
  runSeries,
  stepLatency,
  topFailingWorkflows,
  assertStatsRange,
  failureRateOf,
  STATS_BUCKETS,
  MAX_STATS_RANGE_MS,
  DEFAULT_STATS_RANGE_MS,
} from './run-stats.ts';
export type {
  StatsBucket,
  StatsRange,
  RunSeries,
  RunBucket,
  RunStateCounts,
  StepLatency,
  FailingWorkflow,
} from './run-stats.ts';
export { decideApproval, DECISIONS } from './decide-approval.ts';
export type { Decision } from './decide-approval.ts';
export { retryRun } from './retry-run.ts';
export {
  claimTask,
  heartbeatTask,
  completeTask,
  failTask,
  sweepTasks,
  createTaskSignals,
  TASK_READY_CHANNEL,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  MAX_TASK_DELIVERIES,
} from './tasks/index.ts';
export type { TaskDelivery, TaskHeartbeat, TaskSignals, TaskSubscription } from './tasks/index.ts';
export * from './triggers/index.ts';
export { readQueueStats, readPoolLiveness } from './queue-stats.ts';
