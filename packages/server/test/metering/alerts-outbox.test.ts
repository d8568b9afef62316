import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  matchingSignature,
  parseSignatureHeader,
  SIGNATURE_HEADER,
  webhookSignatureHeader,
} from '../../src/engine/index.ts';
import {
  createAlertOutbox,
  createAlertWebhook,
  type AlertDeliveryBody,
  type AlertOutboxOptions,
  type AlertPost,
} from '../../src/metering/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createVettedPost } from '../../src/steps/index.ts';
import { createSecretBox } from '../../src/secrets/index.ts';
import { deliveriesOf, insertCalls } from '../support/alerts.ts';
import { insertBudget } from '../support/metering.ts';
import { seedTenant, TEST_MASTER_KEY, testConfig } from '../support/test-app.ts';
import { startMaintenance } from '../../src/cli/maintenance.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver on a local port answering each request with the next scripted status (then 200). */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const OPTIONS: AlertOutboxOptions = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
  leaseMs: 5_000,
  timeoutMs: 5_000,
  batchSize: 10,
};

/** The outbox delivers each alert to each webhook, signed, with retries, backoff and a lease. */
describe('alert webhook outbox', () => {
  let t: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const box = createSecretBox({ masterKey: TEST_MASTER_KEY });
  const logger = createLogger({ level: 'silent' });
  let clock = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.drop();
  });
  beforeEach(async () => {
    // Each test counts the deliveries it claims: none of an earlier test's may still be due.
    await t.db.ownerTx((tx) =>
      tx.query(`update alert_deliveries set state = 'dead' where state = 'pending'`),
    );
    receiver.received.length = 0;
    receiver.statuses.length = 0;
  });

  const outbox = (post?: AlertPost) =>
    createAlertOutbox(
      {
        db: t.db,
        logger,
        secrets: box,
        signer: { header: SIGNATURE_HEADER, sign: webhookSignatureHeader },
        now: () => new Date(clock),
        random: () => 0.5,
        ...(post ? { post } : {}),
      },
      OPTIONS,
    );

  /** A tenant with a webhook to the receiver and a budget that just crossed its 50 % threshold. */
  async function alertedTenant() {
    const tenant = await seedTenant(t.db, `outbox-${randomUUID().slice(0, 6)}`);
    const secret = generateWebhookSecret();
    const webhookId = randomUUID();
    await t.db.tenantTx(tenant.tenantId, async (tx) =>
      createAlertWebhook(tx, tenant.tenantId, {
        id: webhookId,
        url: receiver.url,
        secretSealed: await box.seal(tx, tenant.tenantId, webhookId, secret),
        secretFingerprint: 'sha256:test',
        createdBy: 'test',
      }),
    );
    const budgetId = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 1_000, kind: 'soft' });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 600 }]);
    // A little ahead of the database's clock, so the alert just fired is due.
    clock = Date.now() + 1_000;
    return { tenant, secret, webhookId, budgetId };
  }

  it("under the http step's destination policy, a webhook on this machine is refused and nothing is sent", async () => {
    const { tenant } = await alertedTenant();
    expect(await outbox(createVettedPost()).deliverDue()).toEqual({
      claimed: 1,
      delivered: 0,
      failed: 1,
      dead: 0,
      stale: 0,
    });
    expect(receiver.received).toHaveLength(0);
    const [row] = await deliveriesOf(t.db, tenant.tenantId);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_status: null });
    expect(row?.last_error).toMatch(/^Refused to connect to 127\.0\.0\.1: a loopback address/);
  });

  it('delivers a signed alert that verifies with the secret, and marks it delivered', async () => {
    const { tenant, secret, webhookId, budgetId } = await alertedTenant();
    expect(await outbox().deliverDue()).toEqual({ claimed: 1, delivered: 1, failed: 0, dead: 0, stale: 0 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received as [Received];
    const parsed = parseSignatureHeader(request.headers[SIGNATURE_HEADER] as string);
    expect(parsed?.timestamp).toBe(Math.floor(clock / 1000));
    expect(parsed && matchingSignature([secret], parsed, Buffer.from(request.body))).not.toBeNull();
    expect(
      parsed && matchingSignature([generateWebhookSecret()], parsed, Buffer.from(request.body)),
    ).toBeNull();
    const body = JSON.parse(request.body) as AlertDeliveryBody;
    expect(body).toMatchObject({
      type: 'budget.alert',
      tenantId: tenant.tenantId,
      alert: { budgetId, kind: 'threshold', threshold: 50, limitMicroUsd: 1_000, spentMicroUsd: 600 },
    });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['shoal-delivery']).toBe(`${body.alert.id}:${webhookId}`);
    expect(request.headers['shoal-attempt']).toBe('1');
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([
      { state: 'delivered', attempts: 1, last_status: 200, last_error: null },
    ]);
    // Nothing is due any more.
    clock += 3_600_000;
    expect((await outbox().deliverDue()).claimed).toBe(0);
  });

  it('a 500 is retried after the backoff, and the 200 that follows marks it delivered', async () => {
    const { tenant } = await alertedTenant();
    receiver.statuses.push(500);
    const sender = outbox();
    expect(await sender.deliverDue()).toEqual({ claimed: 1, delivered: 0, failed: 1, dead: 0, stale: 0 });
    const [failed] = await deliveriesOf(t.db, tenant.tenantId);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, last_status: 500 });
    expect(failed?.last_error).toBe('the webhook answered 500');
    // d = 1,000 ms after the first attempt; half of it fixed, the other half × random (0.5).
    expect(new Date(failed?.next_attempt_at as Date).getTime()).toBe(clock + 750);
    clock += 749;
    expect((await sender.deliverDue()).claimed).toBe(0);
    clock += 1;
    expect(await sender.deliverDue()).toEqual({ claimed: 1, delivered: 1, failed: 0, dead: 0, stale: 0 });
    expect(receiver.received.map((r) => r.headers['shoal-attempt'])).toEqual(['1', '2']);
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([
      { state: 'delivered', attempts: 2, last_status: 200, last_error: null },
    ]);
  });

  it('the backoff doubles after each failure and the delivery is dead after the last attempt', async () => {
    const { tenant } = await alertedTenant();
    receiver.statuses.push(500, 503, 502, 500);
    const sender = outbox();
    expect([1, 2, 3, 4, 5].map((attempt) => sender.backoffMs(attempt))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
    expect((await sender.deliverDue()).failed).toBe(1);
    clock += 750;
    expect((await sender.deliverDue()).failed).toBe(1);
    const [second] = await deliveriesOf(t.db, tenant.tenantId);
    expect(new Date(second?.next_attempt_at as Date).getTime()).toBe(clock + 1_500);
    clock += 1_500;
    expect(await sender.deliverDue()).toEqual({ claimed: 1, delivered: 0, failed: 0, dead: 1, stale: 0 });
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([
      { state: 'dead', attempts: 3, last_status: 502, last_error: 'the webhook answered 502' },
    ]);
    clock += 3_600_000;
    expect((await sender.deliverDue()).claimed).toBe(0);
    expect(receiver.received).toHaveLength(3);
  });

  it('a delivery whose sender died is claimed again after its lease; the late answer is fenced off', async () => {
    const { tenant } = await alertedTenant();
    let answerLate: (response: { status: number }) => void = () => undefined;
    const hanging = outbox(() => new Promise((resolve) => (answerLate = resolve)));
    const lost = hanging.deliverDue();
    // Wait until the hung sender holds the claim.
    for (let i = 0; i < 100; i += 1) {
      const [row] = await deliveriesOf(t.db, tenant.tenantId);
      if (row?.attempts === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([{ state: 'pending', attempts: 1 }]);
    // Before the lease ends nobody else takes it; after, another sender does (and gets a 500).
    clock += OPTIONS.leaseMs - 1;
    expect((await outbox().deliverDue()).claimed).toBe(0);
    clock += 1;
    receiver.statuses.push(500);
    expect(await outbox().deliverDue()).toEqual({ claimed: 1, delivered: 0, failed: 1, dead: 0, stale: 0 });
    // The first sender's 200 arrives now: attempt 1 is no longer the row's, so nothing changes.
    answerLate({ status: 200 });
    expect(await lost).toEqual({ claimed: 1, delivered: 0, failed: 0, dead: 0, stale: 1 });
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([
      { state: 'pending', attempts: 2, last_status: 500 },
    ]);
  });

  it('a delivery whose sender died on the last attempt is dead once its lease ends', async () => {
    const { tenant } = await alertedTenant();
    receiver.statuses.push(500, 500);
    const sender = outbox();
    await sender.deliverDue();
    clock += 750;
    await sender.deliverDue();
    clock += 1_500;
    const hung = outbox(() => new Promise(() => undefined));
    void hung.deliverDue();
    for (let i = 0; i < 100; i += 1) {
      const [row] = await deliveriesOf(t.db, tenant.tenantId);
      if (row?.attempts === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clock += OPTIONS.leaseMs;
    expect((await sender.deliverDue()).claimed).toBe(0);
    expect(await deliveriesOf(t.db, tenant.tenantId)).toMatchObject([
      { state: 'dead', attempts: 3, last_error: 'the webhook answered 500' },
    ]);
  });

  it('senders claiming at once from separate pools send each delivery once (SKIP LOCKED)', async () => {
    const { tenant } = await alertedTenant();
    // 40 more budgets crossing 50 % (and the first one 80 and 100 %): 43 deliveries to one webhook.
    for (let i = 0; i < 40; i += 1)
      await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 1_000_000, kind: 'soft' });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 500_000 }]);
    clock = Date.now() + 1_000;
    const pools =
      t.driver === 'postgres' ? [t.reopen({ poolSize: 4 }), t.reopen({ poolSize: 4 })] : [t.db, t.db];
    try {
      const senders = pools.map((db) =>
        createAlertOutbox(
          {
            db,
            logger,
            secrets: box,
            signer: { header: SIGNATURE_HEADER, sign: webhookSignatureHeader },
            now: () => new Date(clock),
          },
          { ...OPTIONS, batchSize: 3 },
        ),
      );
      const drain = async (sender: (typeof senders)[number]) => {
        let delivered = 0;
        for (;;) {
          const pass = await sender.deliverDue();
          delivered += pass.delivered;
          if (pass.claimed === 0) return delivered;
        }
      };
      const counts = await Promise.all([drain(senders[0]!), drain(senders[1]!), drain(senders[0]!)]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(43);
    } finally {
      for (const db of pools) if (db !== t.db) await db.close();
    }
    const ids = receiver.received.map((r) => r.headers['shoal-delivery']);
    expect(ids).toHaveLength(43);
    expect(new Set(ids).size).toBe(43);
    expect(receiver.received.every((r) => r.headers['shoal-attempt'] === '1')).toBe(true);
    const rows = await deliveriesOf(t.db, tenant.tenantId);
    expect(rows).toHaveLength(43);
    expect(rows.every((row) => row.state === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it("the worker's maintenance loop sends the outbox's deliveries", async () => {
    const { tenant } = await alertedTenant();
    const stop = startMaintenance(
      {
        config: testConfig({ SHOAL_ALERT_DELIVERY_MS: '100', SHOAL_ALERT_WEBHOOK_ALLOW_LOOPBACK: 'true' }),
        logger,
        db: t.db,
      },
      60_000,
      { secrets: box },
    );
    // The threshold alert, and the forecast alert too once the day is a quarter gone (ADR 0009).
    const pending = async () =>
      (await deliveriesOf(t.db, tenant.tenantId)).filter((d) => d.state !== 'delivered');
    try {
      for (let i = 0; i < 200 && (await pending()).length > 0; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await stop();
    }
    const deliveries = await deliveriesOf(t.db, tenant.tenantId);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    expect(deliveries.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    // Earlier tests' tenants get their forecast alerts too: count this tenant's requests.
    const mine = receiver.received.filter(
      (r) => (JSON.parse(r.body) as AlertDeliveryBody).tenantId === tenant.tenantId,
    );
    expect(mine).toHaveLength(deliveries.length);
  });
});
