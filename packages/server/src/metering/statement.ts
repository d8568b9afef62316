import {
  METER_DESCRIPTIONS,
  METER_UNITS,
  METERS,
  tieredOf,
  type Meter,
  type MeterPricing,
  type TieredPricing,
} from './plan-pricing.ts';

export const STATEMENT_STATUSES = ['open', 'closed'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** 1_250_000n → "1.250000": decimal USD with six places, exact. */
export function usdString(microUsd: bigint): string {
  const sign = microUsd < 0n ? '-' : '';
  const abs = microUsd < 0n ? -microUsd : microUsd;
  return `${sign}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`;
}

/** quantity × price / per, rounded half up to a whole micro-USD (the one rounding rule, ADR 0008). */
export function tierAmount(quantity: bigint, unitPriceMicroUsd: bigint, per: bigint): bigint {
  return (quantity * unitPriceMicroUsd * 2n + per) / (2n * per);
}

export interface StatementTier {
  tier: number;
  from: number;
  upTo: number | null;
  quantity: number;
  unitPriceUsd: string;
  amountUsd: string;
}

export interface MeterLine {
  type: 'meter';
  meter: Meter;
  description: string;
  unit: string;
  quantity: number;
  included: number;
  includedApplied: number;
  per: number;
  tiers: StatementTier[];
  amountUsd: string;
}

export interface BaseLine {
  type: 'base';
  description: string;
  amountUsd: string;
}

/** The statement as rendered: every key in the order written here (docs/adr/0008-billing.md). */
export interface StatementDocument {
  version: 1;
  tenant: { id: string; name: string };
  month: string;
  status: StatementStatus;
  timeZone: string;
  periodStart: string;
  periodEnd: string;
  closedAt: string | null;
  currency: 'USD';
  plan: string;
  pricingEffectiveFrom: string;
  lines: (BaseLine | MeterLine)[];
  totals: { baseUsd: string; usageUsd: string; totalUsd: string; totalMicroUsd: number };
}

export interface StatementInput {
  tenant: { id: string; name: string };
  month: string;
  status: StatementStatus;
  timeZone: string;
  periodStart: string;
  periodEnd: string;
  closedAt: string | null;
  plan: string;
  pricing: { effectiveFrom: string; basePriceMicroUsd: number; meters: MeterPricing };
  quantities: Record<Meter, bigint>;
}

const safe = (value: bigint, what: string): number => {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} exceeds 2^53: ${value}`);
  return Number(value);
};

/** Bills one meter: the allowance, then each tier (all of them, unreached ones with 0). */
export function priceMeter(
  meter: Meter,
  quantity: bigint,
  pricing: TieredPricing,
): { line: MeterLine; amount: bigint } {
  const per = BigInt(pricing.per);
  const included = BigInt(pricing.included);
  let from = included;
  let amount = 0n;
  const tiers = pricing.tiers.map((tier, i): StatementTier => {
    const upTo = tier.upTo === null ? null : BigInt(tier.upTo);
    const top = upTo === null || quantity < upTo ? quantity : upTo;
    const inTier = top > from ? top - from : 0n;
    const tierTotal = tierAmount(inTier, BigInt(tier.unitPriceMicroUsd), per);
    amount += tierTotal;
    const row: StatementTier = {
      tier: i + 1,
      from: safe(from, 'tier start'),
      upTo: tier.upTo,
      quantity: safe(inTier, `${meter} quantity`),
      unitPriceUsd: usdString(BigInt(tier.unitPriceMicroUsd)),
      amountUsd: usdString(tierTotal),
    };
    if (upTo !== null) from = upTo;
    return row;
  });
  return {
    amount,
    line: {
      type: 'meter',
      meter,
      description: METER_DESCRIPTIONS[meter],
      unit: METER_UNITS[meter],
      quantity: safe(quantity, `${meter} quantity`),
      included: pricing.included,
      includedApplied: safe(quantity < included ? quantity : included, `${meter} allowance`),
      per: pricing.per,
      tiers,
      amountUsd: usdString(amount),
    },
  };
}

/** The statement document from a month's meter quantities and the pricing in effect. */
export function buildStatement(input: StatementInput): StatementDocument {
  const base = BigInt(input.pricing.basePriceMicroUsd);
  let usage = 0n;
  const meterLines = METERS.map((meter) => {
    const { line, amount } = priceMeter(
      meter,
      input.quantities[meter],
      tieredOf(meter, input.pricing.meters),
    );
    usage += amount;
    if (meter !== 'llm_cost') return line;
    const bps = input.pricing.meters.llm_cost.markupBps;
    const markup = `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')} %`;
    return { ...line, description: `${line.description}, markup ${markup}` };
  });
  const total = base + usage;
  return {
    version: 1,
    tenant: { id: input.tenant.id, name: input.tenant.name },
    month: input.month,
    status: input.status,
    timeZone: input.timeZone,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    closedAt: input.closedAt,
    currency: 'USD',
    plan: input.plan,
    pricingEffectiveFrom: input.pricing.effectiveFrom,
    lines: [
      { type: 'base', description: `Base price of plan ${input.plan}`, amountUsd: usdString(base) },
      ...meterLines,
    ],
    totals: {
      baseUsd: usdString(base),
      usageUsd: usdString(usage),
      totalUsd: usdString(total),
      totalMicroUsd: safe(total, 'total'),
    },
  };
}

/** The JSON bytes: two-space indentation and a final newline; key order is the document's. */
export const renderStatementJson = (doc: StatementDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
