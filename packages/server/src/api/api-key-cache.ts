import { createHash } from 'node:crypto';
import type { Principal } from '../identity/index.ts';

/**
 * Principals of recently seen API keys, so a request does not pay a database round trip to
 * authenticate (the gateway's added-latency budget is 2 ms). An entry lives `ttlMs` and never
 * past the key's expiry; revoking a key drops it here at once, and other processes stop
 * accepting it within `ttlMs` (SHOAL_API_KEY_CACHE_MS, docs/security.md).
 */
export interface ApiKeyCache {
  get(presented: string, now: number): Principal | null;
  put(presented: string, principal: Principal, expiresAt: Date | null, now: number): void;
  /** Drops every entry of the key with this id (it was revoked). */
  forget(apiKeyId: string): void;
}

const MAX_ENTRIES = 10_000;

export function createApiKeyCache(options: { ttlMs: number }): ApiKeyCache {
  const entries = new Map<string, { principal: Principal; until: number }>();
  // Keys by a hash, so a heap dump holds no presented secret.
  const digest = (presented: string) => createHash('sha256').update(presented).digest('base64url');
  return {
    get(presented, now) {
      if (options.ttlMs === 0) return null;
      const key = digest(presented);
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.until <= now) {
        entries.delete(key);
        return null;
      }
      return entry.principal;
    },
    put(presented, principal, expiresAt, now) {
      if (options.ttlMs === 0) return;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const until = Math.min(now + options.ttlMs, expiresAt ? expiresAt.getTime() : Number.POSITIVE_INFINITY);
      entries.set(digest(presented), { principal, until });
    },
    forget(apiKeyId) {
      for (const [key, entry] of entries) if (entry.principal.apiKeyId === apiKeyId) entries.delete(key);
    },
  };
}
