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
  TIME_ZONE_LOCKED: {
    status: 409,
    message:
      "The tenant's daily and monthly budgets are cut in its time zone: delete them before changing it",
  },
  ALERT_NOT_FOUND: { status: 404, message: 'The tenant has no alert with this id' },
  ALERT_WEBHOOK_NOT_FOUND: { status: 404, message: 'The tenant has no alert webhook with this id' },
  ALERT_WEBHOOK_LIMIT: {
    status: 409,
    message: 'The tenant has as many alert webhooks as it may; delete one first',
  },
  PRICING_PLAN_NOT_FOUND: { status: 404, message: 'No plan with this name' },
  PRICING_TIERS_NOT_ASCENDING: {
    status: 422,
    message: "A tier's upper bound is not above the included allowance or the previous tier's",
  },
  PRICING_OPEN_TIER_NOT_LAST: { status: 422, message: 'Only the last tier may be open-ended (upTo null)' },
  PRICING_LAST_TIER_BOUNDED: { status: 422, message: 'The last tier must be open-ended (upTo null)' },
  PRICING_MONTH_CLOSED: {
    status: 422,
    message: 'The month has ended in some time zone: a pricing version may only start in a month still open',
  },
  PLAN_UNPRICED: { status: 409, message: "The tenant's plan has no pricing in effect for this month" },
  STATEMENT_MONTH_IN_FUTURE: { status: 422, message: 'The month has not begun in the tenant’s time zone' },
  USAGE_RANGE_INVALID: { status: 400, message: 'The end of the usage range must be after its start' },
  USAGE_RANGE_TOO_LONG: { status: 400, message: 'A usage range covers at most 366 days' },
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
