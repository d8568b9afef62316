import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyCache, type ResolvedKey } from '../../src/api/api-key-cache.ts';
import { IdentityError } from '../../src/identity/index.ts';
import type { ApiServer } from '../../src/api/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** The per-process cache of authenticated API keys (SHOAL_API_KEY_CACHE_MS). */
describe('API key cache', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db, { SHOAL_API_KEY_CACHE_MS: '60000' });
    tenant = await seedTenant(t.db, 'cache');
  });

  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const newKey = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(tenant.keys.owner),
      payload: { name: `k-${Math.random()}`, role: 'developer' },
    });
    return res.json<{ apiKey: { id: string }; secret: string }>();
  };

  it('a cached key needs no database lookup: a row changed behind its back is seen only after the TTL', async () => {
    const { apiKey, secret } = await newKey();
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).statusCode).toBe(
      200,
    );
    await t.db.ownerTx((tx) => tx.query(`update api_keys set revoked_at = now() where id = $1`, [apiKey.id]));
    // Documented trade-off: another process's revocation takes up to SHOAL_API_KEY_CACHE_MS here.
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).statusCode).toBe(
      200,
    );
  });

  it('a key revoked through this process is refused at once', async () => {
    const { apiKey, secret } = await newKey();
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).statusCode).toBe(
      200,
    );
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${apiKey.id}`,
      headers: bearer(tenant.keys.owner),
    });
    expect(revoked.statusCode).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('API_KEY_REVOKED');
  });

  const principal = {
    tenantId: 't',
    role: 'viewer' as const,
    actor: { type: 'api_key' as const, id: 'k' },
    via: 'api_key' as const,
    userId: null,
    apiKeyId: 'k',
    sessionId: null,
  };
  /** A revalidation the test answers when it chooses, counting how often it was started. */
  const pending = () => {
    let calls = 0;
    let settle: { resolve: (v: ResolvedKey) => void; reject: (e: unknown) => void } | null = null;
    const revalidate = () => {
      calls += 1;
      return new Promise<ResolvedKey>((resolve, reject) => {
        settle = { resolve, reject };
      });
    };
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    return {
      revalidate,
      calls: () => calls,
      resolve: async (v: ResolvedKey) => {
        settle?.resolve(v);
        await flush();
      },
      reject: async (e: unknown) => {
        settle?.reject(e);
        await flush();
      },
    };
  };

  it('past half its life an entry is checked again in the background, once, and the answer renews it', async () => {
    const cache = createApiKeyCache({ ttlMs: 1000 });
    const check = pending();
    cache.put('shoal_a', principal, null, 0);
    expect(cache.get('shoal_a', 499, check.revalidate)).toBe(principal);
    expect(check.calls()).toBe(0);
    // Served from the cache while the check runs, and the check is not started twice.
    expect(cache.get('shoal_a', 500, check.revalidate)).toBe(principal);
    expect(cache.get('shoal_a', 600, check.revalidate)).toBe(principal);
    expect(check.calls()).toBe(1);
    const renewed = { ...principal, role: 'developer' as const };
    await check.resolve({ principal: renewed, expiresAt: null });
    // Dated from the call that started the check: it lives until 500 + 1000.
    expect(cache.get('shoal_a', 1499)).toEqual(renewed);
    expect(cache.get('shoal_a', 1500)).toBeNull();
  });

  it('a background check that finds the key refused drops it; a failed lookup keeps it until the TTL', async () => {
    const cache = createApiKeyCache({ ttlMs: 1000 });
    const refused = pending();
    cache.put('shoal_a', principal, null, 0);
    cache.get('shoal_a', 600, refused.revalidate);
    await refused.reject(new IdentityError('API_KEY_REVOKED'));
    expect(cache.get('shoal_a', 601)).toBeNull();

    const down = pending();
    cache.put('shoal_b', principal, null, 0);
    cache.get('shoal_b', 600, down.revalidate);
    await down.reject(new Error('connection refused'));
    expect(cache.get('shoal_b', 700, down.revalidate)).toBe(principal);
    expect(down.calls()).toBe(2);
    expect(cache.get('shoal_b', 1000)).toBeNull();

    // A key revoked in this process while its check runs stays forgotten.
    const late = pending();
    cache.put('shoal_c', principal, null, 0);
    cache.get('shoal_c', 600, late.revalidate);
    cache.forget('k');
    await late.resolve({ principal, expiresAt: null });
    expect(cache.get('shoal_c', 601)).toBeNull();
  });

  it('an entry never outlives the TTL or the key expiry', () => {
    const cache = createApiKeyCache({ ttlMs: 1000 });
    cache.put('shoal_a', principal, null, 0);
    expect(cache.get('shoal_a', 999)).toBe(principal);
    expect(cache.get('shoal_a', 1000)).toBeNull();
    cache.put('shoal_b', principal, new Date(500), 0);
    expect(cache.get('shoal_b', 499)).toBe(principal);
    expect(cache.get('shoal_b', 500)).toBeNull();
    cache.put('shoal_c', principal, null, 0);
    cache.forget('k');
    expect(cache.get('shoal_c', 1)).toBeNull();
    expect(createApiKeyCache({ ttlMs: 0 }).get('shoal_a', 0)).toBeNull();
  });
});
