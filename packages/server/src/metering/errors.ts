/** Errors of metering/, with stable codes and HTTP status (docs/errors.md). */
export const METERING_ERRORS = {
  BUDGET_EXCEEDED: {
    status: 402,
    message: 'A hard budget cannot cover the worst-case cost of the call; details name it and when it resets',
  },
  BUDGET_NOT_FOUND: { status: 404, message: 'The tenant has no budget with this id' },
  BUDGET_NAME_TAKEN: { status: 409, message: 'The tenant already has a budget of this name' },
  BUDGET_SCOPE_NOT_FOUND: {
    status: 422,
    message: 'The workflow or API key the budget is scoped to does not exist in this tenant',
  },
  INVALID_TIME_ZONE: { status: 422, message: 'Not an IANA time zone name the database knows' },
} as const satisfies Record<string, { status: number; message: string }>;

export type MeteringErrorCode = keyof typeof METERING_ERRORS;

export class MeteringError extends Error {
  readonly status: number;
  constructor(
    readonly code: MeteringErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message ?? METERING_ERRORS[code].message, options);
    this.name = 'MeteringError';
    this.status = METERING_ERRORS[code].status;
  }
}
