import { createHash } from 'node:crypto';
import { IdentityError, type Principal } from '../identity/index.ts';

/**
 * Principals of recently seen API keys, so a request does not pay a database round trip to
 * authenticate (the gateway's added-latency budget is 2 ms). An entry lives `ttlMs` and never
 * past the key's expiry; revoking a key drops it here at once, and other processes stop
 * accepting it within `ttlMs` (SHOAL_API_KEY_CACHE_MS, docs/security.md). From half its life
 * an entry is checked again in the background, so a key in steady use never waits for it.
 */
export interface ApiKeyCache {
  /**
   * The cached principal, or null. Past half the entry's life, `revalidate` is started (once)
   * and its answer replaces the entry; a key it finds revoked, expired or unknown is dropped.
   */
  get(presented: string, now: number, revalidate?: () => Promise<ResolvedKey>): Principal | null;
  put(presented: string, principal: Principal, expiresAt: Date | null, now: number): void;
  /** Drops every entry of the key with this id (it was revoked). */
  forget(apiKeyId: string): void;
}

export interface ResolvedKey {
  principal: Principal;
  expiresAt: Date | null;
}

interface Entry {
  principal: Principal;
  until: number;
  revalidateAt: number;
  revalidating: boolean;
}

const MAX_ENTRIES = 10_000;

export function createApiKeyCache(options: { ttlMs: number }): ApiKeyCache {
  const entries = new Map<string, Entry>();
  // Keys by a hash, so a heap dump holds no presented secret.
  const digest = (presented: string) => createHash('sha256').update(presented).digest('base64url');
  const store = (key: string, principal: Principal, expiresAt: Date | null, now: number) => {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const until = Math.min(now + options.ttlMs, expiresAt ? expiresAt.getTime() : Number.POSITIVE_INFINITY);
    entries.set(key, { principal, until, revalidateAt: now + options.ttlMs / 2, revalidating: false });
  };
  return {
    get(presented, now, revalidate) {
      if (options.ttlMs === 0) return null;
      const key = digest(presented);
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.until <= now) {
        entries.delete(key);
        return null;
      }
      if (revalidate && now >= entry.revalidateAt && !entry.revalidating) {
        entry.revalidating = true;
        revalidate().then(
          // Dated from this call, before the check ran: never trusted longer than a fresh lookup.
          (fresh) => {
            if (entries.get(key) === entry) store(key, fresh.principal, fresh.expiresAt, now);
          },
          (error: unknown) => {
            if (entries.get(key) !== entry) return;
            // Refused: the next request looks the key up itself and gets the refusal.
            if (error instanceof IdentityError) entries.delete(key);
            else entry.revalidating = false;
          },
        );
      }
      return entry.principal;
    },
    put(presented, principal, expiresAt, now) {
      if (options.ttlMs === 0) return;
      store(digest(presented), principal, expiresAt, now);
    },
    forget(apiKeyId) {
      for (const [key, entry] of entries) if (entry.principal.apiKeyId === apiKeyId) entries.delete(key);
    },
  };
}
