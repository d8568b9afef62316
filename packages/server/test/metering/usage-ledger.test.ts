import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsageLedger, type UsageEvent } from '../../src/metering/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { budgetTotals, insertBudget } from '../support/metering.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** The ledger counts every usage event once, however often and however concurrently it is sent. */
describe('usage ledger idempotency', () => {
  let t: TestDatabase;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'ledger');
  });
  afterAll(() => t.drop());

  const ledger = () =>
    createUsageLedger({ db: t.db, logger: createLogger({ level: 'silent' }) }, { flushMs: 5, maxBatch: 100 });
  const count = async (keys: string[]) =>
    t.db.ownerTx(async (tx) => {
      const r = await tx.query<{ n: string; q: string }>(
        `select count(*) as n, coalesce(sum(quantity), 0) as q from usage_events where tenant_id = $1 and key = any($2::text[])`,
        [tenant.tenantId, keys],
      );
      return { rows: Number(r.rows[0]?.n), quantity: Number(r.rows[0]?.q) };
    });
  const step = (runId: string, i: number): UsageEvent => ({
    tenantId: tenant.tenantId,
    key: `step:${runId}:s${i}:1`,
    kind: 'step_executed',
    occurredAt: new Date(),
    runId,
  });

  it('an event sent twice is counted once', async () => {
    const writer = ledger();
    const runId = randomUUID();
    const events: UsageEvent[] = [
      { tenantId: tenant.tenantId, key: `run:${runId}`, kind: 'run_started', occurredAt: new Date(), runId },
      step(runId, 1),
    ];
    expect(await writer.recordNow(events)).toBe(2);
    expect(await writer.recordNow(events)).toBe(0);
    writer.record(events);
    await writer.close();
    expect(await count(events.map((e) => e.key))).toEqual({ rows: 2, quantity: 2 });
  });

  it('the same event sent 1,000 times concurrently is counted once, beside 50 others each sent 20 times', async () => {
    const writer = ledger();
    const runId = randomUUID();
    const one = step(runId, 0);
    const others = Array.from({ length: 50 }, (_, i) => step(runId, i + 1));
    const inserted = await Promise.all([
      ...Array.from({ length: 1000 }, () => writer.recordNow([one])),
      ...Array.from({ length: 20 }, () => writer.recordNow(others)),
    ]);
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(51);
    for (let i = 0; i < 1000; i += 1) writer.record([one, ...others.slice(0, i % 5)]);
    await writer.close();
    expect(await count([one.key, ...others.map((o) => o.key)])).toEqual({ rows: 51, quantity: 51 });
  });

  it('a call record written twice, and 1,000 times concurrently, is one ledger row and one charge', async () => {
    const budget = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 1_000_000_000, kind: 'soft' });
    const callId = randomUUID();
    const write = () =>
      t.db.systemQuery(
        `insert into llm_calls (tenant_id, id, operation, latency_ms, outcome, cost_micro_usd, tokens_in, tokens_out,
                                provider, model, price_id, price_source)
         values ($1, $2, 'chat', 1, 'succeeded', 1234, 10, 20, 'simulated', 'sim-small', 1, 'catalog')
         on conflict do nothing`,
        [tenant.tenantId, callId],
      );
    await write();
    await write();
    await Promise.all(Array.from({ length: 1000 }, write));
    const rows = await t.db.ownerTx((tx) =>
      tx.query<Record<string, unknown>>(`select * from usage_events where tenant_id = $1 and key = $2`, [
        tenant.tenantId,
        `llm:${callId}`,
      ]),
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ kind: 'llm_call', price_source: 'catalog', model: 'sim-small' });
    expect(Number(rows.rows[0]?.cost_micro_usd)).toBe(1234);
    expect(Number(rows.rows[0]?.tokens_out)).toBe(20);
    expect((await budgetTotals(t.db, budget)).spent).toBe(1234);
  });

  it('the ledger is append-only for the roles the platform runs as', async () => {
    await expect(
      t.db.systemQuery(`update usage_events set cost_micro_usd = 0 where tenant_id = $1`, [tenant.tenantId]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      t.db.tenantTx(tenant.tenantId, (tx) => tx.query(`delete from usage_events`)),
    ).rejects.toMatchObject({ code: '42501' });
  });
});
