import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayCatalog } from '../../src/gateway/gateway-catalog.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * The gateway's per-process catalog cache: calls never wait for a reload once a value is known
 * (stale-while-revalidate), a change made through the process is seen at once, and a change made
 * elsewhere within one TTL and one reload.
 */
describe('gateway catalog cache', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let clock = 1_000_000;

  const setAlias = (model: string) =>
    t.db.ownerTx((tx) =>
      tx.query(
        `insert into model_aliases (tenant_id, name, spec) values ($1, 'a', $2)
         on conflict (tenant_id, name) do update set spec = excluded.spec`,
        [tenant.tenantId, JSON.stringify({ candidates: [{ model }] })],
      ),
    );
  const aliasModel = async (catalog: ReturnType<typeof createGatewayCatalog>) =>
    (await catalog.tenant(tenant.tenantId)).aliases.get('a')?.candidates[0]?.model;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'catalog-cache');
  });
  afterAll(() => t.drop());

  it('serves the last value while it reloads an old one, then the new one', async () => {
    const catalog = createGatewayCatalog(
      { db: t.db, now: () => clock },
      { openPlatformKey: null, readTenantKeys: null },
      { ttlMs: 5000 },
    );
    await setAlias('simulated/sim-small');
    expect(await aliasModel(catalog)).toBe('simulated/sim-small');
    await setAlias('simulated/sim-large');
    // Within the TTL: the cached value, no reload.
    clock += 4000;
    expect(await aliasModel(catalog)).toBe('simulated/sim-small');
    // Past it: still the old value at once, and a reload starts behind it.
    clock += 2000;
    expect(await aliasModel(catalog)).toBe('simulated/sim-small');
    let seen: string | undefined;
    for (let i = 0; i < 100 && seen !== 'simulated/sim-large'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen = await aliasModel(catalog);
    }
    expect(seen).toBe('simulated/sim-large');
  });

  it('an invalidation makes the next read load afresh', async () => {
    const catalog = createGatewayCatalog(
      { db: t.db, now: () => clock },
      { openPlatformKey: null, readTenantKeys: null },
      { ttlMs: 5000 },
    );
    await setAlias('simulated/sim-small');
    expect(await aliasModel(catalog)).toBe('simulated/sim-small');
    await setAlias('simulated/sim-large');
    catalog.invalidate(tenant.tenantId);
    expect(await aliasModel(catalog)).toBe('simulated/sim-large');
  });
});
