export {
  createTask,
  TASK_READY_CHANNEL,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  MAX_TASK_DELIVERIES,
} from './create-task.ts';
export { claimTask } from './claim-task.ts';
export type { TaskDelivery } from './claim-task.ts';
export { heartbeatTask } from './heartbeat-task.ts';
export type { TaskHeartbeat } from './heartbeat-task.ts';
export { completeTask, failTask } from './finish-task.ts';
export { failWaitingStep } from './fail-waiting-step.ts';
export { sweepTasks, timeOutTaskStep, expireSilentTask } from './sweep-tasks.ts';
export { createTaskSignals } from './task-signals.ts';
export type { TaskSignals, TaskSubscription, WakeReason } from './task-signals.ts';
