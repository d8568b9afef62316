import { z } from 'zod';
import { BUDGET_KINDS, BUDGET_PERIODS, BUDGET_SCOPES, type Budget } from '../metering/index.ts';

/** Shapes of budgets (docs/adr/0007-metering.md); each a named component in OpenAPI. */
const timestamp = z.iso.datetime();

const USD_PATTERN = /^\d{1,9}(?:\.\d{1,6})?$/;
const USD_MESSAGE = 'must be a positive decimal with at most 9 integer and 6 fraction digits';

/** "1.25" → 1_250_000: exact, no floating point (the pattern bounds it below 2^53). */
export function microUsdOf(usd: string): number {
  const [whole = '0', fraction = ''] = usd.split('.');
  return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0'));
}

/** 1_250_000 → "1.250000". */
export const usdOf = (microUsd: number): string =>
  `${Math.floor(microUsd / 1_000_000)}.${String(microUsd % 1_000_000).padStart(6, '0')}`;

/** A limit in a request: a decimal string or a JSON number of USD, at most 6 decimals, above 0. */
const LimitUsdInput = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .pipe(z.string().regex(USD_PATTERN, USD_MESSAGE))
  .transform(microUsdOf)
  .pipe(z.number().int().positive('must be above 0'))
  .meta({ description: 'USD, e.g. "25" or 25.5 (at most 6 decimals, above 0)', example: '25.00' });

const AlertThresholds = z
  .array(z.number().int().min(1).max(100))
  .max(10)
  .refine((values) => values.every((v, i) => i === 0 || v > (values[i - 1] ?? 0)), {
    message: 'must be strictly ascending',
  })
  .meta({
    description: 'Percentages of the limit (1–100, ascending) at which alerts are due',
    example: [50, 80, 100],
  });

const BudgetName = z.string().trim().min(1).max(100);

export const CreateBudgetBody = z
  .strictObject({
    name: BudgetName,
    scope: z
      .enum(BUDGET_SCOPES)
      .meta({ description: 'What the budget counts: the whole tenant, a workflow or an API key' }),
    scopeId: z
      .uuid()
      .optional()
      .meta({ description: "The workflow's or API key's id; absent for scope tenant" }),
    period: z.enum(BUDGET_PERIODS).meta({
      description: "daily or monthly in the tenant's time zone, or fixed: the window startsAt–endsAt",
    }),
    startsAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'Fixed period only: the window opens' }),
    endsAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'Fixed period only: the window closes' }),
    limitUsd: LimitUsdInput,
    kind: z
      .enum(BUDGET_KINDS)
      .meta({ description: 'hard: refuses calls it cannot cover (402); soft: counts only' }),
    alertThresholds: AlertThresholds.optional().meta({ description: 'Default [50, 80, 100]' }),
  })
  .superRefine((body, ctx) => {
    if (body.scope === 'tenant' && body.scopeId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['scopeId'], message: 'must be absent for scope tenant' });
    if (body.scope !== 'tenant' && body.scopeId === undefined)
      ctx.addIssue({ code: 'custom', path: ['scopeId'], message: `is required for scope ${body.scope}` });
    if (body.period === 'fixed') {
      if (body.startsAt === undefined)
        ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'is required for period fixed' });
      if (body.endsAt === undefined)
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'is required for period fixed' });
      if (body.startsAt && body.endsAt && Date.parse(body.endsAt) <= Date.parse(body.startsAt))
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    } else {
      for (const field of ['startsAt', 'endsAt'] as const)
        if (body[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `must be absent for period ${body.period}`,
          });
    }
  });

export const UpdateBudgetBody = z
  .strictObject({
    name: BudgetName.optional(),
    limitUsd: LimitUsdInput.optional(),
    kind: z.enum(BUDGET_KINDS).optional(),
    alertThresholds: AlertThresholds.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'Name at least one of name, limitUsd, kind, alertThresholds',
  });

const MicroUsd = z.number().int();

export const BudgetSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: z.enum(BUDGET_SCOPES),
    scopeId: z.uuid().nullable(),
    period: z.enum(BUDGET_PERIODS),
    startsAt: timestamp.nullable(),
    endsAt: timestamp.nullable(),
    limitUsd: z.string().meta({ description: 'USD, 6 decimals', example: '25.000000' }),
    limitMicroUsd: MicroUsd,
    kind: z.enum(BUDGET_KINDS),
    alertThresholds: z.array(z.number().int()),
    createdAt: timestamp,
    updatedAt: timestamp,
    current: z
      .object({
        periodStart: timestamp,
        periodEnd: timestamp,
        timeZone: z.string().meta({ description: "The tenant's time zone the bounds are computed in" }),
        spentMicroUsd: MicroUsd.meta({ description: 'Recorded in the ledger this period' }),
        leasedMicroUsd: MicroUsd.meta({ description: "Held by processes' escrow leases (hard budgets)" }),
        remainingMicroUsd: MicroUsd.meta({ description: 'limit − spent − leased, at least 0' }),
      })
      .nullable()
      .meta({ description: 'The period containing now; null for a fixed window not open now' }),
  })
  .meta({ id: 'Budget' });

/** A budget as answered: the store's, with its limit also in USD. */
export const budgetBody = (budget: Budget) => ({ ...budget, limitUsd: usdOf(budget.limitMicroUsd) });
