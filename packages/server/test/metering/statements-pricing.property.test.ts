import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertPricing,
  METERING_ERRORS,
  MeteringError,
  priceMeter,
  tierAmount,
  usdString,
  type PricingInput,
  type TieredPricing,
} from '../../src/metering/index.ts';
import { TEST_SEED } from '../support/random.ts';

/** A valid tiered meter: ascending bounds above the allowance, the last tier open. */
const tieredPricing: fc.Arbitrary<TieredPricing> = fc
  .record({
    included: fc.integer({ min: 0, max: 1_000_000 }),
    per: fc.constantFrom(1, 1000, 3600, 1_000_000),
    steps: fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 4 }),
    prices: fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 5, maxLength: 5 }),
  })
  .map(({ included, per, steps, prices }) => {
    let bound = included;
    const bounded = steps.map((step, i) => ({ upTo: (bound += step), unitPriceMicroUsd: prices[i] ?? 0 }));
    return { included, per, tiers: [...bounded, { upTo: null, unitPriceMicroUsd: prices[4] ?? 0 }] };
  });

const withTokens = (pricing: TieredPricing): PricingInput => ({
  effectiveFrom: '2030-01',
  basePriceMicroUsd: 0,
  meters: {
    llm_tokens: pricing,
    llm_cost: { includedMicroUsd: 0, markupBps: 0 },
    runs_started: pricing,
    steps_executed: pricing,
    worker_seconds: pricing,
  },
});

describe('tiered pricing (property)', () => {
  it('tiers split the quantity beyond the allowance exactly, and the meter is the sum of its tiers', () => {
    fc.assert(
      fc.property(tieredPricing, fc.bigInt({ min: 0n, max: 50_000_000n }), (pricing, quantity) => {
        assertPricing(withTokens(pricing));
        const { line, amount } = priceMeter('llm_tokens', quantity, pricing);
        const tierSum = line.tiers.reduce((sum, tier) => sum + BigInt(tier.quantity), 0n);
        expect(BigInt(line.includedApplied) + tierSum).toBe(quantity);
        const amounts = line.tiers.map((tier, i) =>
          tierAmount(
            BigInt(tier.quantity),
            BigInt(pricing.tiers[i]?.unitPriceMicroUsd ?? 0),
            BigInt(pricing.per),
          ),
        );
        expect(amounts.reduce((a, b) => a + b, 0n)).toBe(amount);
        expect(line.amountUsd).toBe(usdString(amount));
        // Contiguous: each tier starts where the previous one ended.
        line.tiers.forEach((tier, i) =>
          expect(tier.from).toBe(i === 0 ? pricing.included : line.tiers[i - 1]?.upTo),
        );
      }),
      { seed: TEST_SEED, numRuns: 300 },
    );
  });

  it('billing more never costs less', () => {
    fc.assert(
      fc.property(
        tieredPricing,
        fc.bigInt({ min: 0n, max: 50_000_000n }),
        fc.bigInt({ min: 0n, max: 1000n }),
        (pricing, q, extra) => {
          expect(
            priceMeter('llm_tokens', q + extra, pricing).amount >=
              priceMeter('llm_tokens', q, pricing).amount,
          ).toBe(true);
        },
      ),
      { seed: TEST_SEED, numRuns: 300 },
    );
  });

  it('rounds half up, exactly, at any size', () => {
    expect(tierAmount(1n, 1n, 2n)).toBe(1n); // 0.5 → 1
    expect(tierAmount(1n, 1n, 3n)).toBe(0n); // 0.33 → 0
    expect(tierAmount(2n, 1n, 3n)).toBe(1n); // 0.67 → 1
    expect(tierAmount(10n ** 12n, 10n ** 7n, 1n)).toBe(10n ** 19n); // beyond 2^53, no float
    expect(usdString(81_932_522n)).toBe('81.932522');
    expect(usdString(5n)).toBe('0.000005');
  });

  it('a tier bound out of order is refused with its code, whichever meter it is in', () => {
    fc.assert(
      fc.property(
        tieredPricing.filter((p) => p.tiers.length >= 2),
        (pricing) => {
          const [first, second, ...rest] = pricing.tiers;
          const broken = { ...pricing, tiers: [second, first, ...rest] as TieredPricing['tiers'] };
          let caught: unknown;
          try {
            assertPricing({
              ...withTokens(pricing),
              meters: { ...withTokens(pricing).meters, steps_executed: broken },
            });
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(MeteringError);
          const code = (caught as MeteringError).code;
          expect(['PRICING_TIERS_NOT_ASCENDING', 'PRICING_OPEN_TIER_NOT_LAST']).toContain(code);
          expect((caught as MeteringError).status).toBe(METERING_ERRORS[code].status);
        },
      ),
      { seed: TEST_SEED, numRuns: 100 },
    );
  });
});
