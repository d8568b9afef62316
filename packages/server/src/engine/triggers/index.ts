export {
  SIGNATURE_HEADER,
  DELIVERY_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  WEBHOOK_SECRET_PREFIX,
  generateWebhookSecret,
  signWebhookPayload,
  webhookSignatureHeader,
  parseSignatureHeader,
  assertFreshTimestamp,
  matchingSignature,
} from './webhook-signature.ts';
export type { ParsedSignature } from './webhook-signature.ts';
export {
  createWebhook,
  getWebhookOfWorkflow,
  rotateWebhookSecret,
  disableWebhook,
  findWebhookTenant,
  loadWebhookForDelivery,
} from './webhooks.ts';
export type { WebhookView, WebhookForDelivery } from './webhooks.ts';
export { startTriggeredRun, withSavepoint } from './triggered-run.ts';
export type { TriggeredRunInput } from './triggered-run.ts';
export { compileCron, isTimeZone, MAX_CRON_LENGTH } from './cron.ts';
export type { CompiledCron } from './cron.ts';
export { dueFires, CATCH_UP_POLICIES, MISSED_AFTER_MS, MAX_CATCH_UP_FIRES } from './catch-up.ts';
export type { CatchUpPolicy, DueFires } from './catch-up.ts';
export {
  createSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
  deleteSchedule,
  UPCOMING_FIRES,
} from './schedules.ts';
export type { ScheduleView, ScheduleSpec, SchedulePatch } from './schedules.ts';
export { fireSchedule, findDueSchedules, scheduleFireKey } from './fire-schedule.ts';
export type { FireResult, ScheduleFire } from './fire-schedule.ts';
export { startScheduler, runSchedulerPass, DEFAULT_SCHEDULER_OPTIONS } from './scheduler.ts';
export type { Scheduler, SchedulerDeps, SchedulerOptions } from './scheduler.ts';
export { sendEvent, getEvent, listEvents, eventRunKey } from './events.ts';
export type { EventView, EventRun, EventSkip, SendEventInput } from './events.ts';
export { eventMatches } from './event-filter.ts';
export type { EventEnvelope } from './event-filter.ts';
