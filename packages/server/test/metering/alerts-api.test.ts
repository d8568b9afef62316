import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { MAX_ALERT_WEBHOOKS, METERING_ERRORS, type MeteringErrorCode } from '../../src/metering/index.ts';
import { insertCalls } from '../support/alerts.ts';
import { insertBudget } from '../support/metering.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface AlertJson {
  id: string;
  budgetId: string;
  kind: string;
  threshold: number | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}
interface WebhookJson {
  id: string;
  url: string;
  secretFingerprint: string;
  deliveries: { pending: number; delivered: number; dead: number };
}

function expectMeteringError(res: LightMyRequestResponse, code: MeteringErrorCode, message: string) {
  const body = res.json<{ error: { code: string; message: string } }>();
  expect({ status: res.statusCode, code: body.error.code, message: body.error.message }).toEqual({
    status: METERING_ERRORS[code].status,
    code,
    message,
  });
}

describe('alerts and alert webhooks API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  let budgetA: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'alerts-api-a');
    b = await seedTenant(t.db, 'alerts-api-b');
    // A's budget crossed 50, 80 and 100 %; a second budget crossed 50 %.
    budgetA = await insertBudget(t.db, a.tenantId, { limitMicroUsd: 1_000, kind: 'soft', period: 'monthly' });
    await insertCalls(t.db, a.tenantId, [{ costMicroUsd: 600 }]);
    await insertCalls(t.db, a.tenantId, [{ costMicroUsd: 500 }]);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = (tenant: TestTenant, url: string, role: keyof TestTenant['keys'] = 'viewer') =>
    app.inject({ method: 'GET', url, headers: bearer(tenant.keys[role]) });
  const post = (
    tenant: TestTenant,
    url: string,
    payload?: object,
    role: keyof TestTenant['keys'] = 'billing',
  ) =>
    app.inject({
      method: 'POST',
      url,
      headers: bearer(tenant.keys[role]),
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const auditOf = (tenant: TestTenant, type: string, id: string) =>
    t.db.ownerTx(async (tx) => {
      const result = await tx.query<{ action: string; details: Record<string, unknown> }>(
        `select action, details from audit_events where tenant_id = $1 and target_type = $2 and target_id = $3
          order by seq`,
        [tenant.tenantId, type, id],
      );
      return result.rows;
    });

  it('lists alerts newest first, filtered by budget, kind and acknowledgement, one page at a time', async () => {
    const other = await insertBudget(t.db, a.tenantId, {
      limitMicroUsd: 100_000,
      kind: 'hard',
      period: 'monthly',
    });
    await insertCalls(t.db, a.tenantId, [{ costMicroUsd: 50_000 }]);
    const all = await get(a, '/v1/alerts');
    expect(all.statusCode, all.body).toBe(200);
    const data = all.json<{ data: AlertJson[] }>().data;
    // The last batch crossed 50 % of the second budget; the first, 50 % of the first.
    expect(data.map((x) => [x.budgetId, x.threshold])).toEqual([
      [other, 50],
      [budgetA, 100],
      [budgetA, 80],
      [budgetA, 50],
    ]);
    const mine = await get(a, `/v1/alerts?budgetId=${budgetA}&kind=threshold`);
    expect(mine.json<{ data: AlertJson[] }>().data.map((x) => x.threshold)).toEqual([100, 80, 50]);
    expect((await get(a, '/v1/alerts?kind=forecast')).json<{ data: AlertJson[] }>().data).toEqual([]);

    const first = await get(a, '/v1/alerts?limit=3');
    const page1 = first.json<{ data: AlertJson[]; nextCursor: string | null }>();
    expect(page1.data).toHaveLength(3);
    expect(page1.nextCursor).toBe(page1.data[2]?.id);
    const page2 = (await get(a, `/v1/alerts?limit=3&cursor=${page1.nextCursor}`)).json<{
      data: AlertJson[];
      nextCursor: string | null;
    }>();
    expect(page2).toEqual({ data: [data[3]], nextCursor: null });
  });

  it('acknowledges an alert once, audited, and filters on it', async () => {
    const [alert] = (await get(a, `/v1/alerts?budgetId=${budgetA}&limit=1`)).json<{ data: AlertJson[] }>()
      .data;
    const id = alert?.id as string;
    const acked = await post(a, `/v1/alerts/${id}/acknowledge`);
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json<AlertJson>()).toMatchObject({ id, acknowledgedBy: `api_key:${a.keyIds.billing}` });
    const firstAt = acked.json<AlertJson>().acknowledgedAt;
    expect(firstAt).not.toBeNull();
    const again = await post(a, `/v1/alerts/${id}/acknowledge`, undefined, 'owner');
    expect(again.json<AlertJson>()).toMatchObject({
      acknowledgedAt: firstAt,
      acknowledgedBy: `api_key:${a.keyIds.billing}`,
    });
    expect(await auditOf(a, 'budget_alert', id)).toMatchObject([
      { action: 'alerts.write', details: { changed: true, threshold: 100 } },
      { action: 'alerts.write', details: { changed: false } },
    ]);
    const open = (await get(a, `/v1/alerts?budgetId=${budgetA}&acknowledged=false`)).json<{
      data: AlertJson[];
    }>();
    expect(open.data.map((x) => x.threshold)).toEqual([80, 50]);
    const seen = (await get(a, '/v1/alerts?acknowledged=true')).json<{ data: AlertJson[] }>();
    expect(seen.data.map((x) => x.id)).toEqual([id]);
    // A viewer reads alerts but does not acknowledge them.
    expect((await post(a, `/v1/alerts/${id}/acknowledge`, undefined, 'viewer')).statusCode).toBe(403);
  });

  it('an unknown alert is ALERT_NOT_FOUND, and so is another tenant’s', async () => {
    expectMeteringError(
      await post(a, `/v1/alerts/${randomUUID()}/acknowledge`),
      'ALERT_NOT_FOUND',
      expect.stringMatching(/^No alert /) as unknown as string,
    );
    const [alert] = (await get(a, '/v1/alerts?limit=1')).json<{ data: AlertJson[] }>().data;
    expectMeteringError(
      await post(b, `/v1/alerts/${alert?.id}/acknowledge`),
      'ALERT_NOT_FOUND',
      `No alert ${alert?.id}`,
    );
    expect((await get(b, '/v1/alerts')).json()).toEqual({ data: [], nextCursor: null });
    expect((await get(b, `/v1/alerts?budgetId=${budgetA}`)).json()).toEqual({ data: [], nextCursor: null });
  });

  it('creates a webhook whose secret is in the creation answer only: never listed, read or audited', async () => {
    const created = await post(a, '/v1/alert-webhooks', {
      url: 'https://hooks.example.test/shoal',
      description: 'pager',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { webhook, secret } = created.json<{ webhook: WebhookJson; secret: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({
      url: 'https://hooks.example.test/shoal',
      secretFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) as unknown as string,
      deliveries: { pending: 0, delivered: 0, dead: 0 },
    });
    const listed = await get(a, '/v1/alert-webhooks', 'admin');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ data: WebhookJson[] }>().data.map((w) => w.id)).toContain(webhook.id);
    const read = await get(a, `/v1/alert-webhooks/${webhook.id}`, 'owner');
    expect(read.json()).toEqual(webhook);
    for (const body of [
      listed.body,
      read.body,
      JSON.stringify(await auditOf(a, 'alert_webhook', webhook.id)),
    ])
      expect(body).not.toContain(secret);
    const sealed = await t.db.ownerTx((tx) =>
      tx.query<{ secret_sealed: string }>('select secret_sealed from alert_webhooks where id = $1', [
        webhook.id,
      ]),
    );
    expect(sealed.rows[0]?.secret_sealed).not.toContain(secret);
    expect(await auditOf(a, 'alert_webhook', webhook.id)).toMatchObject([
      {
        action: 'alert_webhooks.write',
        details: { url: webhook.url, secretFingerprint: webhook.secretFingerprint },
      },
    ]);
    // Alerts fired from now on are in its outbox.
    const budget = await insertBudget(t.db, a.tenantId, { limitMicroUsd: 10, kind: 'soft' });
    await insertCalls(t.db, a.tenantId, [{ costMicroUsd: 10 }]);
    const after = (await get(a, `/v1/alert-webhooks/${webhook.id}`, 'owner')).json<WebhookJson>();
    expect(after.deliveries).toEqual({ pending: 3, delivered: 0, dead: 0 });
    expect(budget).toBeTruthy();

    // B sees none of A's webhooks and cannot read or delete them.
    expect((await get(b, '/v1/alert-webhooks', 'owner')).json()).toEqual({ data: [] });
    expectMeteringError(
      await get(b, `/v1/alert-webhooks/${webhook.id}`, 'owner'),
      'ALERT_WEBHOOK_NOT_FOUND',
      `No alert webhook ${webhook.id}`,
    );
    const foreignDelete = await app.inject({
      method: 'DELETE',
      url: `/v1/alert-webhooks/${webhook.id}`,
      headers: bearer(b.keys.owner),
    });
    expectMeteringError(foreignDelete, 'ALERT_WEBHOOK_NOT_FOUND', `No alert webhook ${webhook.id}`);

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/alert-webhooks/${webhook.id}`,
      headers: bearer(a.keys.admin),
    });
    expect(deleted.statusCode).toBe(204);
    expect(await auditOf(a, 'alert_webhook', webhook.id)).toMatchObject([
      { action: 'alert_webhooks.write' },
      { action: 'alert_webhooks.write', details: { pendingDropped: 3 } },
    ]);
    expectMeteringError(
      await get(a, `/v1/alert-webhooks/${webhook.id}`, 'owner'),
      'ALERT_WEBHOOK_NOT_FOUND',
      `No alert webhook ${webhook.id}`,
    );
  });

  it('deleting a budget deletes its alerts and their undelivered outbox rows', async () => {
    const tenant = await seedTenant(t.db, 'alerts-api-delete');
    const hook = await post(tenant, '/v1/alert-webhooks', { url: 'https://hooks.example.test/d' }, 'owner');
    const webhookId = hook.json<{ webhook: WebhookJson }>().webhook.id;
    const budget = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 100, kind: 'hard' });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 100 }]);
    const before = (await get(tenant, `/v1/alert-webhooks/${webhookId}`, 'owner')).json<WebhookJson>();
    expect(before.deliveries.pending).toBe(3);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/budgets/${budget}`,
      headers: bearer(tenant.keys.owner),
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await get(tenant, '/v1/alerts')).json()).toEqual({ data: [], nextCursor: null });
    const after = (await get(tenant, `/v1/alert-webhooks/${webhookId}`, 'owner')).json<WebhookJson>();
    expect(after.deliveries).toEqual({ pending: 0, delivered: 0, dead: 0 });
  });

  it.each([
    'http://hooks.example.test/shoal',
    'https://user:pw@hooks.example.test/',
    'ftp://hooks.example.test/',
    'not a url',
  ])('refuses the webhook URL %s', async (url) => {
    const res = await post(a, '/v1/alert-webhooks', { url });
    expect(res.statusCode).toBe(400);
    const error = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((i) => i.path)).toEqual(['body.url']);
  });

  it('accepts plain http to this machine, and at most the limit of webhooks per tenant', async () => {
    const tenant = await seedTenant(t.db, 'alerts-api-limit');
    const urls = ['http://localhost:9/a', 'http://127.0.0.1:9/b', 'http://[::1]:9/c'];
    for (let i = 0; i < MAX_ALERT_WEBHOOKS; i += 1) {
      const res = await post(tenant, '/v1/alert-webhooks', { url: urls[i % urls.length] ?? '' }, 'owner');
      expect(res.statusCode, res.body).toBe(201);
    }
    expectMeteringError(
      await post(tenant, '/v1/alert-webhooks', { url: 'https://one.more.test/' }, 'owner'),
      'ALERT_WEBHOOK_LIMIT',
      `A tenant has at most ${MAX_ALERT_WEBHOOKS} alert webhooks; delete one first`,
    );
  });

  it('the forecast of an unknown budget is BUDGET_NOT_FOUND; a tenant sees its own budgets only', async () => {
    expectMeteringError(
      await get(a, `/v1/forecast?budgetId=${randomUUID()}`),
      'BUDGET_NOT_FOUND',
      expect.stringMatching(/^No budget /) as unknown as string,
    );
    expectMeteringError(
      await get(b, `/v1/forecast?budgetId=${budgetA}`),
      'BUDGET_NOT_FOUND',
      `No budget ${budgetA}`,
    );
    const forecast = await get(a, `/v1/forecast?budgetId=${budgetA}`);
    expect(forecast.statusCode, forecast.body).toBe(200);
    expect(forecast.json<{ data: { budgetId: string; spentMicroUsd: number }[] }>().data).toMatchObject([
      { budgetId: budgetA, spentMicroUsd: 600 + 500 + 50_000 + 10 },
    ]);
    expect((await get(b, '/v1/forecast')).json()).toEqual({ data: [] });
  });
});
