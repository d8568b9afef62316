import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyCache } from '../../src/api/api-key-cache.ts';
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

  it('an entry never outlives the TTL or the key expiry', () => {
    const cache = createApiKeyCache({ ttlMs: 1000 });
    const principal = {
      tenantId: 't',
      role: 'viewer' as const,
      actor: { type: 'api_key' as const, id: 'k' },
      via: 'api_key' as const,
      userId: null,
      apiKeyId: 'k',
      sessionId: null,
    };
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
