import { createHash } from 'node:crypto';
import type { Database } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';
import type { ChatResponse } from './providers/provider.ts';

/** JSON with object keys sorted at every level, so equal requests hash equal. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The cache key of a request: what decides the answer, never who asked or how it is delivered. */
export const cacheKey = (operation: string, request: unknown): string =>
  createHash('sha256').update(operation).update('\n').update(canonical(request)).digest('base64url');

export interface CachedResponse {
  response: ChatResponse;
  provider: string;
  model: string;
}

export interface ResponseCache {
  get(tenantId: string, key: string): Promise<CachedResponse | null>;
  /** Stores in the background; `flush` waits for the writes still under way. */
  put(tenantId: string, key: string, value: CachedResponse, ttlSeconds: number): void;
  flush(): Promise<void>;
}

/**
 * The exact-match response cache (ADR 0006, step 3): rows of `llm_cache`, keyed by tenant and
 * request hash, so a tenant only ever reads its own entries. Expired rows are never returned.
 */
export function createResponseCache(deps: {
  db: Database;
  logger: Logger;
  now?: () => number;
}): ResponseCache {
  const now = deps.now ?? Date.now;
  const writes = new Set<Promise<unknown>>();
  return {
    async get(tenantId, key) {
      const found = await deps.db.systemQuery<{ response: ChatResponse; provider: string; model: string }>(
        `select response, provider, model from llm_cache where tenant_id = $1 and key = $2 and expires_at > $3`,
        [tenantId, key, new Date(now()).toISOString()],
      );
      return found.rows[0] ?? null;
    },
    put(tenantId, key, value, ttlSeconds) {
      const at = now();
      const write = deps.db
        .systemQuery(
          `insert into llm_cache (tenant_id, key, response, provider, model, created_at, expires_at)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (tenant_id, key) do update set response = excluded.response, provider = excluded.provider,
             model = excluded.model, created_at = excluded.created_at, expires_at = excluded.expires_at`,
          [
            tenantId,
            key,
            JSON.stringify(value.response),
            value.provider,
            value.model,
            new Date(at).toISOString(),
            new Date(at + ttlSeconds * 1000).toISOString(),
          ],
        )
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'writing a cached response failed'))
        .finally(() => writes.delete(write));
      writes.add(write);
    },
    async flush() {
      await Promise.all([...writes]);
    },
  };
}
