import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import { webhookSignatureHeader } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const ORDER = {
  name: 'on-order',
  input: {
    type: 'object',
    properties: { orderId: { type: 'string' } },
    required: ['orderId'],
  },
  steps: [{ id: 'echo', type: 'transform', with: { value: '{{ input.orderId }}' } }],
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('webhooks', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let hookId: string;
  let secret: string;

  const deliver = (
    body: unknown,
    options: { secret?: string; timestamp?: number; signature?: string; delivery?: string; id?: string } = {},
  ) => {
    const raw = JSON.stringify(body);
    const signature =
      options.signature ??
      webhookSignatureHeader(options.secret ?? secret, options.timestamp ?? nowSeconds(), raw);
    return app.inject({
      method: 'POST',
      url: `/v1/hooks/${options.id ?? hookId}`,
      headers: {
        'content-type': 'application/json',
        'shoal-signature': signature,
        ...(options.delivery ? { 'shoal-delivery': options.delivery } : {}),
      },
      payload: raw,
    });
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'webhooks');
    await publishDefinition(t.db, tenant.tenantId, ORDER);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/workflows/on-order/webhook',
      headers: bearer(tenant.keys.developer),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ webhook: { id: string; url: string }; secret: string }>();
    hookId = body.webhook.id;
    secret = body.secret;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('enabling returns the URL and a secret that is shown once and stored only sealed', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const read = await app.inject({
      method: 'GET',
      url: '/v1/workflows/on-order/webhook',
      headers: bearer(tenant.keys.viewer),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      id: hookId,
      workflowName: 'on-order',
      url: `http://localhost:8080/v1/hooks/${hookId}`,
      disabledAt: null,
    });
    expect(read.body).not.toContain(secret);
    const stored = await t.db.ownerTx((tx) =>
      tx.query<{ row: string }>('select row_to_json(h)::text as "row" from webhooks h where id = $1', [
        hookId,
      ]),
    );
    expect(stored.rows[0]?.row).not.toContain(secret.slice(6));
  });

  it('enabling a second webhook for the same workflow is refused with WEBHOOK_ALREADY_ENABLED', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/workflows/on-order/webhook',
      headers: bearer(tenant.keys.owner),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('WEBHOOK_ALREADY_ENABLED');
  });

  it('a signed delivery starts a run with the body as input and trigger webhook', async () => {
    const res = await deliver({ orderId: 'o-1' });
    expect(res.statusCode, res.body).toBe(201);
    const { runId, created } = res.json<{ runId: string; created: boolean }>();
    expect(created).toBe(true);
    const run = await app.inject({
      method: 'GET',
      url: `/v1/runs/${runId}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(run.json()).toMatchObject({
      trigger: 'webhook',
      input: { orderId: 'o-1' },
      workflowName: 'on-order',
    });
    const ref = await t.db.ownerTx((tx) =>
      tx.query<{ trigger_ref: string }>('select trigger_ref from runs where id = $1', [runId]),
    );
    expect(ref.rows[0]?.trigger_ref).toBe(`webhook:${hookId}`);
  });

  it('the same signed delivery replayed inside the window starts no second run', async () => {
    const timestamp = nowSeconds();
    const first = await deliver({ orderId: 'o-replay' }, { timestamp });
    const second = await deliver({ orderId: 'o-replay' }, { timestamp });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ runId: first.json().runId, created: false });
  });

  it('a redelivery with the same Shoal-Delivery id and a fresh signature starts no second run', async () => {
    const first = await deliver({ orderId: 'o-d' }, { delivery: 'evt_123', timestamp: nowSeconds() - 10 });
    const second = await deliver({ orderId: 'o-d' }, { delivery: 'evt_123', timestamp: nowSeconds() });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().runId).toBe(first.json().runId);
  });

  it('a delivery signed more than 5 minutes ago, or ahead, is refused with WEBHOOK_TIMESTAMP_OUT_OF_RANGE', async () => {
    // 330 s, not 301: the test's clock reading is floored to a second and the request takes time,
    // so a timestamp 301 s ahead can arrive less than 300 s ahead.
    for (const timestamp of [nowSeconds() - 330, nowSeconds() + 330]) {
      const res = await deliver({ orderId: 'late' }, { timestamp });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE',
        message: "The signature's timestamp is more than 5 minutes away from the server's clock",
      });
    }
    // 4 minutes old is still inside the window.
    expect((await deliver({ orderId: 'in-window' }, { timestamp: nowSeconds() - 240 })).statusCode).toBe(201);
  });

  it('a wrong secret, a changed body or a missing header is refused with WEBHOOK_SIGNATURE_INVALID', async () => {
    const wrongSecret = await deliver({ orderId: 'x' }, { secret: 'whsec_not-the-secret' });
    const ts = nowSeconds();
    const tampered = await deliver(
      { orderId: 'tampered' },
      { signature: webhookSignatureHeader(secret, ts, JSON.stringify({ orderId: 'original' })) },
    );
    const malformed = await deliver({ orderId: 'x' }, { signature: 'v1=abc' });
    const missing = await app.inject({
      method: 'POST',
      url: `/v1/hooks/${hookId}`,
      payload: { orderId: 'x' },
    });
    for (const res of [wrongSecret, tampered, malformed, missing]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    const runs = await t.db.ownerTx((tx) =>
      tx.query<{ n: number }>(
        `select count(*)::int as n from runs where input->>'orderId' in ('x', 'tampered')`,
      ),
    );
    expect(runs.rows[0]?.n).toBe(0);
  });

  it('the signature is over the raw bytes: the same JSON with other whitespace does not verify', async () => {
    const ts = nowSeconds();
    const signed = '{"orderId":"ws"}';
    const res = await app.inject({
      method: 'POST',
      url: `/v1/hooks/${hookId}`,
      headers: {
        'content-type': 'application/json',
        'shoal-signature': webhookSignatureHeader(secret, ts, signed),
      },
      payload: '{ "orderId": "ws" }',
    });
    expect(res.statusCode).toBe(401);
    const exact = await app.inject({
      method: 'POST',
      url: `/v1/hooks/${hookId}`,
      headers: {
        'content-type': 'application/json',
        'shoal-signature': webhookSignatureHeader(secret, ts, signed),
      },
      payload: signed,
    });
    expect(exact.statusCode).toBe(201);
  });

  it("a body that does not match the workflow's input schema is refused with RUN_INPUT_INVALID", async () => {
    const res = await deliver({ nope: true });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('RUN_INPUT_INVALID');
  });

  it('an unknown webhook id is 404 WEBHOOK_NOT_FOUND', async () => {
    const res = await deliver({ orderId: 'x' }, { id: '00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('after a rotation both secrets verify during the grace period; with none, only the new one', async () => {
    const rotate = async (payload: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/workflows/on-order/webhook/rotate',
        headers: bearer(tenant.keys.admin),
        payload,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ webhook: { previousSecretExpiresAt: string | null }; secret: string }>();
    };
    const old = secret;
    const graced = await rotate({ previousSecretValidSeconds: 3600 });
    expect(graced.secret).not.toBe(old);
    expect(graced.webhook.previousSecretExpiresAt).not.toBeNull();
    expect((await deliver({ orderId: 'r1' }, { secret: old })).statusCode).toBe(201);
    expect((await deliver({ orderId: 'r2' }, { secret: graced.secret })).statusCode).toBe(201);

    const immediate = await rotate({ previousSecretValidSeconds: 0 });
    expect(immediate.webhook.previousSecretExpiresAt).toBeNull();
    expect((await deliver({ orderId: 'r3' }, { secret: graced.secret })).statusCode).toBe(401);
    expect((await deliver({ orderId: 'r4' }, { secret: immediate.secret })).statusCode).toBe(201);
    secret = immediate.secret;
  });

  it('a disabled webhook answers 404 and can be enabled again with a new URL', async () => {
    const disabled = await app.inject({
      method: 'DELETE',
      url: '/v1/workflows/on-order/webhook',
      headers: bearer(tenant.keys.owner),
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabledAt).not.toBeNull();
    const res = await deliver({ orderId: 'after-disable' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('WEBHOOK_NOT_FOUND');
    const again = await app.inject({
      method: 'POST',
      url: '/v1/workflows/on-order/webhook',
      headers: bearer(tenant.keys.owner),
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().webhook.id).not.toBe(hookId);
  });

  it('without a master key, enabling a webhook is 503 SECRETS_UNAVAILABLE', async () => {
    const config = testConfig();
    const bare = createApiServer({
      config,
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    });
    await publishDefinition(t.db, tenant.tenantId, { ...ORDER, name: 'no-key' });
    const res = await bare.inject({
      method: 'POST',
      url: '/v1/workflows/no-key/webhook',
      headers: bearer(tenant.keys.owner),
    });
    await bare.close();
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('SECRETS_UNAVAILABLE');
  });
});
