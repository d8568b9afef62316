import { MeteringError } from './errors.ts';

/** What statements bill, each a sum over the month's ledger rows (docs/adr/0008-billing.md). */
export const METERS = ['llm_tokens', 'llm_cost', 'runs_started', 'steps_executed', 'worker_seconds'] as const;
export type Meter = (typeof METERS)[number];
export type TieredMeter = Exclude<Meter, 'llm_cost'>;

export const METER_UNITS = {
  llm_tokens: 'token',
  llm_cost: 'micro_usd',
  runs_started: 'run',
  steps_executed: 'step',
  worker_seconds: 'second',
} as const satisfies Record<Meter, string>;

export const METER_DESCRIPTIONS = {
  llm_tokens: 'LLM tokens (input + output)',
  llm_cost: 'LLM provider cost, passed through',
  runs_started: 'Runs started',
  steps_executed: 'Steps executed',
  worker_seconds: 'Worker time',
} as const satisfies Record<Meter, string>;

/** Units from the previous tier's `upTo` (the first: from `included`) to this `upTo`; null: beyond. */
export interface PriceTier {
  upTo: number | null;
  unitPriceMicroUsd: number;
}

/** The first `included` units are free; tiers count the month's total quantity. */
export interface TieredPricing {
  included: number;
  /** Unit prices are per this many units. */
  per: number;
  tiers: PriceTier[];
}

/** Provider cost beyond `includedMicroUsd`, billed at cost plus `markupBps` basis points. */
export interface PassThroughPricing {
  includedMicroUsd: number;
  markupBps: number;
}

export type MeterPricing = { [M in Meter]: M extends 'llm_cost' ? PassThroughPricing : TieredPricing };

export interface PricingInput {
  /** YYYY-MM: the first month it applies to. */
  effectiveFrom: string;
  basePriceMicroUsd: number;
  meters: MeterPricing;
}

export interface PlanPricing extends PricingInput {
  id: number;
  plan: string;
  createdAt: string;
}

/** The one shape statements price with: the pass-through meter as a single open tier. */
export function tieredOf(meter: Meter, meters: MeterPricing): TieredPricing {
  if (meter === 'llm_cost') {
    const { includedMicroUsd, markupBps } = meters.llm_cost;
    return {
      included: includedMicroUsd,
      per: 10_000,
      tiers: [{ upTo: null, unitPriceMicroUsd: 10_000 + markupBps }],
    };
  }
  return meters[meter];
}

/** Checks the tiers of every tiered meter; each rule has its own code (ADR 0008). */
export function assertPricing(input: PricingInput): void {
  for (const meter of METERS) {
    if (meter === 'llm_cost') continue;
    const { included, tiers } = input.meters[meter];
    let floor = included;
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1;
      if (tier.upTo === null && !last)
        throw new MeteringError(
          'PRICING_OPEN_TIER_NOT_LAST',
          `${meter}: tier ${i + 1} is open-ended but is not the last tier`,
          { meter, tier: i + 1 },
        );
      if (tier.upTo === null) return;
      if (last)
        throw new MeteringError(
          'PRICING_LAST_TIER_BOUNDED',
          `${meter}: the last tier must be open-ended (upTo null), not up to ${tier.upTo}`,
          { meter, tier: i + 1 },
        );
      if (tier.upTo <= floor)
        throw new MeteringError(
          'PRICING_TIERS_NOT_ASCENDING',
          `${meter}: tier ${i + 1} ends at ${tier.upTo}, not above ${i === 0 ? 'the included allowance' : 'the previous tier'} (${floor})`,
          { meter, tier: i + 1 },
        );
      floor = tier.upTo;
    });
  }
}

/** 'YYYY-MM' of a month, as the first day the database stores. */
export const monthStartOf = (month: string): string => `${month}-01`;

/**
 * Whether a version starting in `month` may still be set: its month has not ended in any time
 * zone (UTC+14 is the earliest), so no tenant's month it covers is closed (ADR 0008).
 */
export function pricingMonthOpen(month: string, now: Date): boolean {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const earliestEnd = Date.UTC(year, mon, 1) - 14 * 3_600_000;
  return now.getTime() < earliestEnd;
}
