import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { IDENTITY_ERRORS } from '../../src/identity/index.ts';
import { METERING_ERRORS } from '../../src/metering/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface TenantJson {
  id: string;
  name: string;
  timeZone: string;
}

describe('the tenant time zone', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'zone-a');
    b = await seedTenant(t.db, 'zone-b');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const patch = (tenant: TestTenant, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: '/v1/tenant', headers: bearer(tenant.keys.owner), payload });
  const zoneOf = async (tenant: TestTenant) =>
    (await app.inject({ url: '/v1/tenant', headers: bearer(tenant.keys.viewer) })).json<TenantJson>()
      .timeZone;

  it('is UTC at first and changes for the caller’s tenant only, audited with before and after', async () => {
    expect(await zoneOf(a)).toBe('UTC');
    const res = await patch(a, { timeZone: 'Asia/Tokyo' });
    expect(res.statusCode).toBe(200);
    expect(res.json<TenantJson>()).toMatchObject({ id: a.tenantId, timeZone: 'Asia/Tokyo' });
    expect(await zoneOf(a)).toBe('Asia/Tokyo');
    expect(await zoneOf(b)).toBe('UTC');
    const audit = await t.db.ownerTx((tx) =>
      tx.query<{ details: unknown }>(
        "select details from audit_events where tenant_id = $1 and target_type = 'tenant' order by seq desc limit 1",
        [a.tenantId],
      ),
    );
    expect(audit.rows[0]?.details).toEqual({
      changed: ['timeZone'],
      before: { timeZone: 'UTC' },
      after: { timeZone: 'Asia/Tokyo' },
    });
  });

  it('daily budgets are cut in the new zone', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/budgets',
      headers: bearer(a.keys.owner),
      payload: { name: 'daily', scope: 'tenant', period: 'daily', limitUsd: '5', kind: 'hard' },
    });
    expect(created.statusCode).toBe(201);
    const { current } = created.json<{ current: { periodStart: string; timeZone: string } }>();
    expect(current.timeZone).toBe('Asia/Tokyo');
    // Midnight in Tokyo is 15:00 UTC.
    expect(current.periodStart).toMatch(/T15:00:00(\.000)?Z$/);
  });

  it('refuses a change while daily or monthly budgets exist, naming them, and changes nothing', async () => {
    const res = await patch(a, { name: 'renamed', timeZone: 'Europe/Paris' });
    expect(res.statusCode).toBe(METERING_ERRORS.TIME_ZONE_LOCKED.status);
    expect(res.json()).toMatchObject({
      error: {
        code: 'TIME_ZONE_LOCKED',
        message: METERING_ERRORS.TIME_ZONE_LOCKED.message,
        details: { budgets: ['daily'] },
      },
    });
    expect(await zoneOf(a)).toBe('Asia/Tokyo');
    const tenant = (
      await app.inject({ url: '/v1/tenant', headers: bearer(a.keys.viewer) })
    ).json<TenantJson>();
    expect(tenant.name).toBe('zone-a');
    // The same zone again is no change, and a rename alone is allowed.
    expect((await patch(a, { name: 'renamed', timeZone: 'Asia/Tokyo' })).statusCode).toBe(200);
  });

  it('refuses a name the database does not know, and an empty change', async () => {
    const res = await patch(b, { timeZone: 'Mars/Olympus_Mons' });
    expect(res.statusCode).toBe(IDENTITY_ERRORS.TIME_ZONE_INVALID.status);
    expect(res.json()).toMatchObject({
      error: { code: 'TIME_ZONE_INVALID', message: '"Mars/Olympus_Mons" is not an IANA time zone name' },
    });
    expect(await zoneOf(b)).toBe('UTC');
    const empty = await patch(b, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
