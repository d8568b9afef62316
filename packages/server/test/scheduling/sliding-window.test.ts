import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admits, countStart, msUntilAdmitted, slidingCount, WINDOW_MS } from '../../src/scheduling/index.ts';

const MINUTE = 28_000_000 * WINDOW_MS;

describe('sliding one-minute window of run starts', () => {
  it('weights the previous minute by its overlap with the last 60 s', () => {
    const state = { windowStart: MINUTE, current: 4, previous: 10 };
    expect(slidingCount(state, MINUTE)).toBe(14);
    expect(slidingCount(state, MINUTE + 15_000)).toBe(11.5);
    // The next minute: 4 becomes the previous window, weighted 3/4 at 15 s.
    expect(slidingCount(state, MINUTE + WINDOW_MS + 15_000)).toBe(3);
    expect(slidingCount(state, MINUTE + 2 * WINDOW_MS + 1)).toBe(0);
  });

  it('a full current window waits for the next minute and the previous weight to fall', () => {
    const state = { windowStart: MINUTE, current: 10, previous: 0 };
    // At 20 s: 40 s to the next minute, then 10 × (60 − e) / 60 ≤ 9 needs e ≥ 6 s.
    expect(msUntilAdmitted(state, MINUTE + 20_000, 10)).toBe(46_000);
  });

  it('Retry-After is exact: refused just before it, admitted from it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: WINDOW_MS - 1 }),
        (limit, current, previous, offset) => {
          const state = { windowStart: MINUTE, current, previous };
          const now = MINUTE + offset;
          const wait = msUntilAdmitted(state, now, limit);
          if (wait === 0) {
            expect(admits(state, now, limit)).toBe(true);
            return;
          }
          expect(admits(state, now, limit)).toBe(false);
          expect(admits(state, now + wait, limit)).toBe(true);
          if (wait > 1) expect(admits(state, now + wait - 2, limit)).toBe(false);
        },
      ),
    );
  });

  it('counting starts one at a time admits at most the limit in any minute (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (limit, gaps) => {
          let state = { windowStart: MINUTE, current: 0, previous: 0 };
          let now = MINUTE;
          const admitted: number[] = [];
          for (const gap of gaps) {
            now += gap;
            if (!admits(state, now, limit)) continue;
            state = countStart(state, now);
            admitted.push(now);
          }
          // Starts inside one fixed minute never exceed the limit.
          const perMinute = new Map<number, number>();
          for (const at of admitted) {
            const m = Math.floor(at / WINDOW_MS);
            perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
          }
          for (const n of perMinute.values()) expect(n).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });
});
