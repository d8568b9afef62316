/** Errors of plans, limits and run-start quotas, with stable codes (docs/errors.md). */
export const SCHEDULING_ERRORS = {
  PLAN_NOT_FOUND: { status: 404, message: 'No plan with this name' },
  PLAN_EXISTS: { status: 409, message: 'A plan with this name already exists' },
  PLAN_BUILTIN: {
    status: 409,
    message: 'Built-in plans (free, team, enterprise) can be edited but not deleted',
  },
  PLAN_IN_USE: { status: 409, message: 'Tenants are on this plan; move them to another plan first' },
  LIMITS_INVALID: {
    status: 422,
    message: 'A limit is out of range, or the burst ceiling is below the guaranteed concurrency',
  },
  TENANT_NOT_FOUND: { status: 404, message: 'No tenant with this id' },
  // Same code and status as the HTTP edge's body limit (api/errors.ts): one meaning, "too big".
  PAYLOAD_TOO_LARGE: { status: 413, message: "The run input is larger than the plan's max_payload_bytes" },
  RUN_TOO_LARGE: { status: 422, message: "The run has more steps than the plan's max_steps_per_run" },
  RUN_RATE_LIMITED: {
    status: 429,
    message: "Run starts per minute are at the plan's limit; retry after the time in Retry-After",
  },
  QUEUE_FULL: {
    status: 429,
    message: "Unfinished runs are at the plan's queued_runs_max; retry after the time in Retry-After",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type SchedulingErrorCode = keyof typeof SCHEDULING_ERRORS;

export class SchedulingError extends Error {
  readonly status: number;
  constructor(
    readonly code: SchedulingErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    /** `Retry-After` of the quota errors; the HTTP layer sends them as they are. */
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? SCHEDULING_ERRORS[code].message);
    this.name = 'SchedulingError';
    this.status = SCHEDULING_ERRORS[code].status;
  }
}

/** A quota refusal that says when to come back: 429 with `Retry-After` in whole seconds. */
export function quotaError(
  code: 'RUN_RATE_LIMITED' | 'QUEUE_FULL',
  retryAfterSeconds: number,
  details: { limit: string; max: number },
): SchedulingError {
  return new SchedulingError(
    code,
    undefined,
    { ...details, retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
}
