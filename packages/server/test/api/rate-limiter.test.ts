import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/api/index.ts';

describe('rate limiter', () => {
  it('allows a burst of perMinute requests, then answers with the wait in seconds', () => {
    const limiter = createRateLimiter({ perMinute: 60 });
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i += 1) expect(limiter.take('k', t0)).toBe(0);
    expect(limiter.take('k', t0)).toBe(1);
    expect(limiter.take('other', t0)).toBe(0);
  });

  it('refills at perMinute per minute', () => {
    const limiter = createRateLimiter({ perMinute: 6 });
    const t0 = 5_000_000;
    for (let i = 0; i < 6; i += 1) limiter.take('k', t0);
    expect(limiter.take('k', t0)).toBe(10);
    expect(limiter.take('k', t0 + 10_000)).toBe(0);
    expect(limiter.take('k', t0 + 10_000)).toBeGreaterThan(0);
  });

  it('keeps memory bounded by dropping full buckets', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxKeys: 10 });
    for (let i = 0; i < 1000; i += 1) limiter.take(`k${i}`, i * 120_000);
    expect(limiter.size()).toBeLessThanOrEqual(10);
    expect(limiter.take('k999', 999 * 120_000)).toBeGreaterThan(0);
  });
});
