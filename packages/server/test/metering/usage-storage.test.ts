import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { startRun } from '../../src/engine/index.ts';
import { snapshotStoredBytes } from '../../src/metering/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** Stored bytes: one snapshot per tenant and day of its time zone, of its own runs' data only. */
describe('stored bytes snapshots', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  const inputA = { text: 'a'.repeat(300) };
  // Above 127 bytes (stored with the 4-byte header they have in memory) and below compression.
  const inputB = { text: 'b'.repeat(200), n: 7 };

  const sizeOf = async (value: unknown) =>
    t.db.ownerTx(async (tx) => {
      const r = await tx.query<{ n: number }>('select pg_column_size($1::jsonb) as n', [
        JSON.stringify(value),
      ]);
      return Number(r.rows[0]?.n);
    });

  const start = async (tenant: TestTenant, input: unknown) =>
    t.db.tenantTx(tenant.tenantId, (tx) =>
      startRun(tx, tenant.tenantId, { workflowName: 'store', input, idempotencyKey: null }),
    );

  const snapshots = async (tenantId: string) =>
    t.db.ownerTx(async (tx) => {
      const r = await tx.query<{ key: string; quantity: string }>(
        `select key, quantity from usage_events where tenant_id = $1 and kind = 'stored_bytes' order by key`,
        [tenantId],
      );
      return r.rows.map((row) => [row.key, Number(row.quantity)]);
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'store-a');
    b = await seedTenant(t.db, 'store-b');
    await t.db.ownerTx(async (tx) => {
      await tx.query(`update tenants set time_zone = 'Pacific/Kiritimati' where id = $1`, [a.tenantId]);
    });
    for (const tenant of [a, b])
      await publishDefinition(t.db, tenant.tenantId, {
        name: 'store',
        steps: [{ id: 'x', type: 'transform', with: { value: 1 } }],
      });
    await start(a, inputA);
    await start(a, inputA);
    await start(b, inputB);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('records each tenant once per day of its time zone, its own bytes only', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const first = await t.db.systemTx((sys) => snapshotStoredBytes(sys, at));
    expect(first).toBeGreaterThanOrEqual(2);
    expect(await t.db.systemTx((sys) => snapshotStoredBytes(sys, at))).toBe(0);
    expect(await t.db.systemTx((sys) => snapshotStoredBytes(sys, new Date('2026-03-01T13:00:00Z')))).toBe(0);
    // Kiritimati is UTC+14: noon UTC on 1 March is already 2 March there.
    expect(await snapshots(a.tenantId)).toEqual([['storage:2026-03-02', 2 * (await sizeOf(inputA))]]);
    expect(await snapshots(b.tenantId)).toEqual([['storage:2026-03-01', await sizeOf(inputB)]]);
  });

  it('the usage report shows the day of each snapshot and the newest in its total', async () => {
    await start(a, inputB);
    await t.db.systemTx((sys) => snapshotStoredBytes(sys, new Date('2026-03-02T12:00:00Z')));
    const day2 = 2 * (await sizeOf(inputA));
    const day3 = day2 + (await sizeOf(inputB));
    const res = await app.inject({
      method: 'GET',
      url: '/v1/usage?from=2026-03-01&to=2026-03-05&groupBy=day',
      headers: bearer(a.keys.billing),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(
      body.data.map((g: { group: string; storedBytes: number | null }) => [g.group, g.storedBytes]),
    ).toEqual([
      ['2026-03-02', day2],
      ['2026-03-03', day3],
    ]);
    expect(body.total.storedBytes).toBe(day3);
    const byModel = await app.inject({
      method: 'GET',
      url: '/v1/usage?from=2026-03-01&to=2026-03-05&groupBy=model',
      headers: bearer(a.keys.viewer),
    });
    expect(byModel.json().data).toEqual([]);
    expect(byModel.json().total.storedBytes).toBe(day3);
  });
});
