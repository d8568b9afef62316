import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costMicroUsd, formatUsdPerMtok, parseUsdPerMtok, type PriceRates } from '../../src/gateway/cost.ts';

const MAX_MICRO = 99_999_999_999_999; // numeric(14, 6) at its largest, in micro-USD per Mtok
const rateArb = fc.integer({ min: 0, max: 200_000_000 }); // up to $200 per Mtok
const priceArb = fc.record({
  inputMicroUsdPerMtok: rateArb,
  outputMicroUsdPerMtok: rateArb,
  cachedInputMicroUsdPerMtok: rateArb,
});
const tokensArb = fc
  .record({
    tokensIn: fc.integer({ min: 0, max: 2_000_000 }),
    tokensOut: fc.integer({ min: 0, max: 2_000_000 }),
    cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ tokensIn, tokensOut, cachedShare }) => ({
    tokensIn,
    tokensOut,
    tokensCached: Math.floor(tokensIn * cachedShare),
  }));

function price(input: string, output: string, cached: string): PriceRates {
  return {
    inputMicroUsdPerMtok: parseUsdPerMtok(input),
    outputMicroUsdPerMtok: parseUsdPerMtok(output),
    cachedInputMicroUsdPerMtok: parseUsdPerMtok(cached),
  };
}

describe('parseUsdPerMtok', () => {
  it('reads numeric(14, 6) text exactly', () => {
    expect(parseUsdPerMtok('0.150000')).toBe(150_000);
    expect(parseUsdPerMtok('0.15')).toBe(150_000);
    expect(parseUsdPerMtok('75.000000')).toBe(75_000_000);
    expect(parseUsdPerMtok('0.000001')).toBe(1);
    expect(parseUsdPerMtok('99999999.999999')).toBe(MAX_MICRO);
    expect(parseUsdPerMtok('0')).toBe(0);
  });

  it('refuses what is not a non-negative decimal of at most 6 fraction digits', () => {
    for (const bad of ['-1', '0.1234567', '1e3', 'NaN', '', '.5', '1.', ' 1', '123456789'])
      expect(() => parseUsdPerMtok(bad), bad).toThrow(RangeError);
  });

  it('round-trips through formatUsdPerMtok', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MICRO }), (micro) => {
        const text = formatUsdPerMtok(micro);
        expect(text).toMatch(/^\d+\.\d{6}$/);
        expect(parseUsdPerMtok(text)).toBe(micro);
      }),
    );
  });
});

describe('costMicroUsd', () => {
  it('is exact on hand-computed cases', () => {
    const mini = price('0.150000', '0.600000', '0.075000');
    // (800 × 0.15 + 200 × 0.075 + 500 × 0.6) micro-USD = 120 + 15 + 300
    expect(costMicroUsd(mini, { tokensIn: 1000, tokensOut: 500, tokensCached: 200 })).toBe(435);
    // one token at $0.15/Mtok is 0.15 micro-USD: rounded up, never to zero
    expect(costMicroUsd(mini, { tokensIn: 1, tokensOut: 0, tokensCached: 0 })).toBe(1);
    expect(costMicroUsd(mini, { tokensIn: 0, tokensOut: 0, tokensCached: 0 })).toBe(0);
    // claude-opus-4-1: 1M in, 1M out = $15 + $75
    const opus = price('15.000000', '75.000000', '1.500000');
    expect(costMicroUsd(opus, { tokensIn: 1_000_000, tokensOut: 1_000_000, tokensCached: 0 })).toBe(
      90_000_000,
    );
    // floats would say 100 × 0.07 = 7.000000000000001 and round up to 8
    const seven = price('0.070000', '0', '0');
    expect(Math.ceil(100 * 0.07)).toBe(8);
    expect(costMicroUsd(seven, { tokensIn: 100, tokensOut: 0, tokensCached: 0 })).toBe(7);
    // cached tokens beyond tokensIn are capped at tokensIn
    expect(costMicroUsd(mini, { tokensIn: 10, tokensOut: 0, tokensCached: 50 })).toBe(
      costMicroUsd(mini, { tokensIn: 10, tokensOut: 0, tokensCached: 10 }),
    );
  });

  it('is the least whole micro-USD at or above the exact cost (no float drift)', () => {
    fc.assert(
      fc.property(priceArb, tokensArb, (p, t) => {
        const exact =
          BigInt(t.tokensIn - t.tokensCached) * BigInt(p.inputMicroUsdPerMtok) +
          BigInt(t.tokensCached) * BigInt(p.cachedInputMicroUsdPerMtok) +
          BigInt(t.tokensOut) * BigInt(p.outputMicroUsdPerMtok);
        const cost = BigInt(costMicroUsd(p, t));
        expect(cost * 1_000_000n >= exact).toBe(true);
        expect((cost - 1n) * 1_000_000n < exact).toBe(true);
      }),
    );
  });

  it('a whole number of millions of tokens costs exactly that many times the rate', () => {
    fc.assert(
      fc.property(
        priceArb,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (p, mIn, mOut) => {
          const cost = costMicroUsd(p, {
            tokensIn: mIn * 1_000_000,
            tokensOut: mOut * 1_000_000,
            tokensCached: 0,
          });
          expect(cost).toBe(mIn * p.inputMicroUsdPerMtok + mOut * p.outputMicroUsdPerMtok);
        },
      ),
    );
  });

  it('never goes down when more tokens are used or a rate rises, and is never negative', () => {
    fc.assert(
      fc.property(
        priceArb,
        tokensArb,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (p, t, moreIn, moreOut, rateRise) => {
          const base = costMicroUsd(p, t);
          expect(base).toBeGreaterThanOrEqual(0);
          expect(costMicroUsd(p, { ...t, tokensIn: t.tokensIn + moreIn })).toBeGreaterThanOrEqual(base);
          expect(costMicroUsd(p, { ...t, tokensOut: t.tokensOut + moreOut })).toBeGreaterThanOrEqual(base);
          const dearer = {
            inputMicroUsdPerMtok: p.inputMicroUsdPerMtok + rateRise,
            outputMicroUsdPerMtok: p.outputMicroUsdPerMtok + rateRise,
            cachedInputMicroUsdPerMtok: p.cachedInputMicroUsdPerMtok + rateRise,
          };
          expect(costMicroUsd(dearer, t)).toBeGreaterThanOrEqual(base);
        },
      ),
    );
  });

  it('caching never makes a call dearer when the cached rate is at most the input rate', () => {
    fc.assert(
      fc.property(priceArb, tokensArb, (p, t) => {
        const q = {
          ...p,
          cachedInputMicroUsdPerMtok: Math.min(p.cachedInputMicroUsdPerMtok, p.inputMicroUsdPerMtok),
        };
        expect(costMicroUsd(q, t)).toBeLessThanOrEqual(costMicroUsd(q, { ...t, tokensCached: 0 }));
      }),
    );
  });

  it('refuses negative or fractional counts and rates', () => {
    const p = price('1', '1', '1');
    expect(() => costMicroUsd(p, { tokensIn: -1, tokensOut: 0, tokensCached: 0 })).toThrow(RangeError);
    expect(() => costMicroUsd(p, { tokensIn: 1.5, tokensOut: 0, tokensCached: 0 })).toThrow(RangeError);
    expect(() => costMicroUsd(p, { tokensIn: 1, tokensOut: Number.NaN, tokensCached: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      costMicroUsd({ ...p, outputMicroUsdPerMtok: -5 }, { tokensIn: 1, tokensOut: 1, tokensCached: 0 }),
    ).toThrow(RangeError);
  });
});
