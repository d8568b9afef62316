import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { webhookSignatureHeader } from '../../src/engine/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const flow = (name: string) => ({
  name,
  on: { events: [{ name: 'shared.event' }] },
  steps: [{ id: 'noop', type: 'transform', with: { value: 1 } }],
});

describe('tenant isolation of triggers', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  let bSchedule: string;
  let bEvent: string;
  let bHook: { id: string; secret: string };
  let aSecret: string;

  const call = (
    tenant: TestTenant,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: bearer(tenant.keys.owner), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'xt-a');
    b = await seedTenant(t.db, 'xt-b');
    await publishDefinition(t.db, a.tenantId, flow('a-flow'));
    await publishDefinition(t.db, b.tenantId, flow('b-flow'));
    bSchedule = (await call(b, 'POST', '/v1/schedules', { workflow: 'b-flow', cron: '0 * * * *' })).json().id;
    bEvent = (await call(b, 'POST', '/v1/events', { name: 'shared.event', id: 'same-id' })).json().event.id;
    const hook = (await call(b, 'POST', '/v1/workflows/b-flow/webhook')).json();
    bHook = { id: hook.webhook.id, secret: hook.secret };
    aSecret = (await call(a, 'POST', '/v1/workflows/a-flow/webhook')).json().secret;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it("tenant A cannot read, change or delete tenant B's schedule (404, as if it did not exist)", async () => {
    for (const [method, payload] of [['GET'], ['PATCH', { paused: true }], ['DELETE']] as const) {
      const res = await call(a, method, `/v1/schedules/${bSchedule}`, payload);
      expect(res.statusCode, method).toBe(404);
      expect(res.json().error.code).toBe('SCHEDULE_NOT_FOUND');
    }
    expect((await call(a, 'GET', '/v1/schedules')).json().data).toEqual([]);
    expect((await call(b, 'GET', `/v1/schedules/${bSchedule}`)).json()).toMatchObject({ paused: false });
  });

  it("tenant A cannot schedule, read or manage the webhook of tenant B's workflow", async () => {
    expect(
      (await call(a, 'POST', '/v1/schedules', { workflow: 'b-flow', cron: '* * * * *' })).statusCode,
    ).toBe(404);
    for (const [method, url] of [
      ['GET', '/v1/workflows/b-flow/webhook'],
      ['POST', '/v1/workflows/b-flow/webhook/rotate'],
      ['DELETE', '/v1/workflows/b-flow/webhook'],
    ] as const) {
      const res = await call(a, method, url, method === 'POST' ? {} : undefined);
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("tenant A cannot read tenant B's events, and the same event id in A is a new event", async () => {
    const res = await call(a, 'GET', `/v1/events/${bEvent}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('EVENT_NOT_FOUND');
    expect((await call(a, 'GET', '/v1/events')).json().data).toEqual([]);
    const own = await call(a, 'POST', '/v1/events', { name: 'shared.event', id: 'same-id' });
    expect(own.statusCode).toBe(201);
    expect(own.json().event.runs.map((r: { workflow: string }) => r.workflow)).toEqual(['a-flow']);
  });

  it("tenant A's events never start tenant B's subscribed workflows", async () => {
    const before = await call(b, 'GET', '/v1/runs?trigger=event');
    await call(a, 'POST', '/v1/events', { name: 'shared.event' });
    const after = await call(b, 'GET', '/v1/runs?trigger=event');
    expect(after.json().data.length).toBe(before.json().data.length);
  });

  it("a delivery to tenant B's webhook signed with tenant A's secret is refused", async () => {
    const raw = JSON.stringify({});
    const res = await app.inject({
      method: 'POST',
      url: `/v1/hooks/${bHook.id}`,
      headers: {
        'content-type': 'application/json',
        'shoal-signature': webhookSignatureHeader(aSecret, Math.floor(Date.now() / 1000), raw),
      },
      payload: raw,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it("a sealed secret copied into another tenant's row does not open", async () => {
    // Even with database access, B's sealed secret moved onto A's webhook is useless to A.
    await t.db.ownerTx((tx) =>
      tx.query(
        `update webhooks set secret_sealed = (select secret_sealed from webhooks where id = $1)
          where tenant_id = $2`,
        [bHook.id, a.tenantId],
      ),
    );
    const aHookId = (await call(a, 'GET', '/v1/workflows/a-flow/webhook')).json().id;
    const raw = '{}';
    const res = await app.inject({
      method: 'POST',
      url: `/v1/hooks/${aHookId}`,
      headers: {
        'content-type': 'application/json',
        'shoal-signature': webhookSignatureHeader(bHook.secret, Math.floor(Date.now() / 1000), raw),
      },
      payload: raw,
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('SECRET_UNREADABLE');
  });
});
