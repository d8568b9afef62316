import { z } from 'zod';
import { METERS, STATEMENT_STATUSES } from '../metering/index.ts';

/** Shapes of plan pricing and statements (docs/adr/0008-billing.md); named components in OpenAPI. */
const MONTH_PATTERN = /^2\d{3}-(0[1-9]|1[0-2])$/;
const Month = z.string().regex(MONTH_PATTERN, 'must be a month YYYY-MM').meta({ example: '2026-03' });
const MicroUsd = z.number().int().min(0).max(1e15);
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const MonthParams = z.strictObject({ month: Month });
export const StatementQuery = z.strictObject({
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'json (default) or csv (text/csv with a Content-Disposition file name)' }),
});

const Tier = z
  .strictObject({
    upTo: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .meta({ description: 'Upper bound on the month’s total quantity; null: open-ended (the last tier)' }),
    unitPriceMicroUsd: MicroUsd.meta({ description: 'Micro-USD per `per` units' }),
  })
  .meta({ id: 'PriceTier' });

const TieredMeter = z
  .strictObject({
    included: Count.meta({ description: 'Units included in the base price' }),
    per: z.number().int().min(1).max(1e12).meta({ description: 'Unit prices are per this many units' }),
    tiers: z.array(Tier).min(1).max(20),
  })
  .meta({ id: 'TieredMeterPricing' });

const PassThroughMeter = z
  .strictObject({
    includedMicroUsd: MicroUsd.meta({ description: 'Provider cost included in the base price' }),
    markupBps: z.number().int().min(0).max(100_000).meta({ description: 'Markup on cost, basis points' }),
  })
  .meta({ id: 'PassThroughMeterPricing' });

const Meters = z.strictObject({
  llm_tokens: TieredMeter,
  llm_cost: PassThroughMeter,
  runs_started: TieredMeter,
  steps_executed: TieredMeter,
  worker_seconds: TieredMeter,
});

export const SetPricingBody = z.strictObject({
  effectiveFrom: Month.meta({ description: 'The first month this version applies to (YYYY-MM)' }),
  basePriceMicroUsd: MicroUsd.meta({ description: 'Monthly base price, micro-USD' }),
  meters: Meters,
});

export const PlanPricingSchema = z
  .object({
    id: z.number().int(),
    plan: z.string(),
    effectiveFrom: Month,
    basePriceMicroUsd: MicroUsd,
    meters: Meters,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PlanPricing' });

export const PlanPricingListSchema = z.object({ plan: z.string(), versions: z.array(PlanPricingSchema) });

const Usd = z.string().meta({ description: 'USD, six decimals', example: '49.000000' });

const StatementTierSchema = z.object({
  tier: z.number().int(),
  from: z.number().int(),
  upTo: z.number().int().nullable(),
  quantity: z.number().int(),
  unitPriceUsd: Usd,
  amountUsd: Usd,
});

const StatementLine = z.union([
  z.object({ type: z.literal('base'), description: z.string(), amountUsd: Usd }),
  z.object({
    type: z.literal('meter'),
    meter: z.enum(METERS),
    description: z.string(),
    unit: z.string(),
    quantity: z.number().int(),
    included: z.number().int(),
    includedApplied: z.number().int(),
    per: z.number().int(),
    tiers: z.array(StatementTierSchema),
    amountUsd: Usd,
  }),
]);

export const StatementSchema = z
  .object({
    version: z.literal(1),
    tenant: z.object({ id: z.uuid(), name: z.string() }),
    month: Month,
    status: z.enum(STATEMENT_STATUSES),
    timeZone: z.string(),
    periodStart: z.string().meta({ description: 'In the tenant’s zone, e.g. 2026-03-01T00:00:00-05:00' }),
    periodEnd: z.string(),
    closedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'The ledger cut-off (recorded_at ≤ closedAt); null while the month is open' }),
    currency: z.literal('USD'),
    plan: z.string(),
    pricingEffectiveFrom: Month,
    lines: z.array(StatementLine),
    totals: z.object({ baseUsd: Usd, usageUsd: Usd, totalUsd: Usd, totalMicroUsd: z.number().int() }),
  })
  .meta({ id: 'Statement' });

export const StatementSummarySchema = z
  .object({
    month: Month,
    status: z.enum([...STATEMENT_STATUSES, 'unpriced']),
    closedAt: z.iso.datetime().nullable(),
    plan: z.string(),
    totalUsd: Usd.nullable(),
    totalMicroUsd: z.number().int().nullable(),
    lateEvents: z
      .number()
      .int()
      .meta({ description: 'Ledger rows of the month recorded after it closed: in no statement' }),
  })
  .meta({ id: 'StatementSummary' });
