/**
 * Token buckets in this process: `perMinute` requests per minute with bursts up to the same
 * number. Buckets idle for a full refill are dropped so memory stays bounded by active keys.
 */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now?: number): number;
  /** Buckets held in memory. */
  size(): number;
}

export function createRateLimiter(options: { perMinute: number; maxKeys?: number }): RateLimiter {
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const sweep = (now: number) => {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.at) * refillPerMs >= capacity) buckets.delete(key);
    }
  };

  return {
    take(key, now = Date.now()) {
      if (buckets.size >= maxKeys) sweep(now);
      const bucket = buckets.get(key) ?? { tokens: capacity, at: now };
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * refillPerMs);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    },
    size: () => buckets.size,
  };
}
