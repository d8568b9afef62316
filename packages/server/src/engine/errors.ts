/** Errors of the engine, with stable codes (docs/errors.md). */
export const ENGINE_ERRORS = {
  LEASE_LOST: {
    status: 409,
    message: 'This attempt no longer holds the step: its lease expired or the step moved on',
  },
  RUN_NOT_FOUND: { status: 404, message: 'Run not found' },
  WORKFLOW_NOT_FOUND: { status: 404, message: 'No workflow with this name' },
  WORKFLOW_ARCHIVED: { status: 409, message: 'The workflow is archived; publish it again to start runs' },
  RUN_INPUT_INVALID: { status: 422, message: "The run input does not match the workflow's input schema" },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key was used for a different request' },
  RUN_ALREADY_FINISHED: { status: 409, message: 'The run has already finished' },
  RUN_NOT_RETRYABLE: { status: 409, message: 'Only a failed, cancelled or timed-out run can be retried' },
  STEP_NOT_AWAITING_DECISION: { status: 409, message: 'This step is not waiting for an approval decision' },
  TASK_NOT_FOUND: { status: 404, message: 'Task not found' },
  TASK_LEASE_LOST: {
    status: 409,
    message:
      'This delivery no longer holds the task: it was delivered again after its heartbeat deadline passed, or it has finished',
  },
  TASK_CANCELLED: {
    status: 409,
    message: "The task's step no longer waits for it (its run was cancelled or failed); stop working on it",
  },
  TASK_TIMED_OUT: { status: 409, message: "The task's step timed out before the task was completed" },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'No enabled webhook with this id' },
  WEBHOOK_ALREADY_ENABLED: {
    status: 409,
    message: 'The workflow already has a webhook; rotate its secret or disable it first',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    message: 'The Shoal-Signature header is missing, malformed or does not match the body',
  },
  WEBHOOK_TIMESTAMP_OUT_OF_RANGE: {
    status: 401,
    message: "The signature's timestamp is more than 5 minutes away from the server's clock",
  },
  SCHEDULE_NOT_FOUND: { status: 404, message: 'Schedule not found' },
  SCHEDULE_INVALID: { status: 422, message: 'The cron expression or time zone is invalid' },
  EVENT_NOT_FOUND: { status: 404, message: 'Event not found' },
  STATS_RANGE_INVALID: { status: 400, message: 'The range is empty: from must be before to' },
  STATS_RANGE_TOO_LONG: {
    status: 400,
    message: 'The range is too long for its bucket: at most 31 days by hour, 366 days by day',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

export class EngineError extends Error {
  readonly status: number;
  constructor(
    readonly code: EngineErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ENGINE_ERRORS[code].message);
    this.name = 'EngineError';
    this.status = ENGINE_ERRORS[code].status;
  }
}
