import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldRetry, type RetryPolicy } from '../../src/engine/index.ts';

const policyArb = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 20 }),
  initialMs: fc.integer({ min: 1, max: 10_000 }),
  factor: fc.double({ min: 1, max: 5, noNaN: true }),
  maxMs: fc.integer({ min: 1, max: 3_600_000 }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  nonRetryable: fc.constant([] as string[]),
});

describe('retry schedule', () => {
  it('without jitter, delays grow by the factor and never pass the cap', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 30 }), (policy, attempt) => {
        const p: RetryPolicy = { ...policy, jitter: 0 };
        const now = retryDelayMs(p, attempt, 0.5);
        const next = retryDelayMs(p, attempt + 1, 0.5);
        expect(now).toBeLessThanOrEqual(next);
        expect(next).toBeLessThanOrEqual(p.maxMs);
        if (attempt === 1) expect(now).toBe(Math.min(p.initialMs, p.maxMs));
      }),
    );
  });

  it('jitter only ever shortens a delay, by at most its share', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (policy, attempt, random) => {
          const full = retryDelayMs({ ...policy, jitter: 0 }, attempt, random);
          const jittered = retryDelayMs(policy, attempt, random);
          expect(jittered).toBeLessThanOrEqual(full);
          expect(jittered).toBeGreaterThanOrEqual(Math.floor(full * (1 - policy.jitter)) - 1);
        },
      ),
    );
  });

  it('retries until maxAttempts, never for a non-retryable code or error', () => {
    const policy: RetryPolicy = {
      maxAttempts: 3,
      initialMs: 10,
      factor: 2,
      maxMs: 100,
      jitter: 0,
      nonRetryable: ['BAD_INPUT'],
    };
    expect([1, 2, 3].map((a) => shouldRetry(policy, a, 'TIMEOUT'))).toEqual([true, true, false]);
    expect(shouldRetry(policy, 1, 'BAD_INPUT')).toBe(false);
    expect(shouldRetry(policy, 1, 'TIMEOUT', false)).toBe(false);
  });
});
