import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import { alertsOf, deliveriesOf, insertAlertWebhook, insertCalls } from '../support/alerts.ts';
import { budgetTotals, insertBudget } from '../support/metering.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * Threshold alerts fire in the transaction that records the spend (docs/adr/0009-budget-alerts.md):
 * once per budget, period and threshold, whatever the concurrency, for hard and soft budgets.
 */
describe('budget threshold alerts', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  const handles: Database[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'alert-thresholds');
    // On PostgreSQL the batches come from three pools, as from three gateway processes.
    for (let p = 0; p < 3; p += 1) handles.push(t.driver === 'postgres' ? t.reopen({ poolSize: 8 }) : t.db);
  });
  afterAll(async () => {
    for (const db of handles) if (db !== t.db) await db.close();
    await t.drop();
  });

  it.each(['hard', 'soft'] as const)(
    '50 concurrent call batches crossing 50, 80 and 100 percent of a %s budget fire 3 alerts and 3 outbox rows per webhook',
    async (kind) => {
      const other = await seedTenant(t.db, `alert-storm-${kind}`);
      const hooks = [
        await insertAlertWebhook(t.db, other.tenantId, { url: 'https://a.example.test/alerts' }),
        await insertAlertWebhook(t.db, other.tenantId, { url: 'https://b.example.test/alerts' }),
      ];
      const budget = await insertBudget(t.db, other.tenantId, {
        limitMicroUsd: 1_000_000,
        kind,
        period: 'monthly',
      });
      // 50 batches of 10 calls of 2,100 µ$: 1,050,000 in all, every batch in flight at once.
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          insertCalls(
            handles[i % handles.length] as Database,
            other.tenantId,
            Array.from({ length: 10 }, () => ({ costMicroUsd: 2_100 })),
          ),
        ),
      );
      expect((await budgetTotals(t.db, budget)).spent).toBe(1_050_000);
      const alerts = await alertsOf(t.db, budget);
      expect(alerts.map((a) => [a.kind, a.threshold])).toEqual([
        ['threshold', 50],
        ['threshold', 80],
        ['threshold', 100],
      ]);
      // Each fired with the spend of the batch that crossed it: at or above its threshold.
      for (const alert of alerts)
        expect(Number(alert.spent_micro_usd)).toBeGreaterThanOrEqual((alert.threshold ?? 0) * 10_000);
      const deliveries = await deliveriesOf(t.db, other.tenantId);
      expect(deliveries).toHaveLength(6);
      expect(new Set(deliveries.map((d) => `${d.alert_id}:${d.webhook_id}`)).size).toBe(6);
      expect(new Set(deliveries.map((d) => d.webhook_id))).toEqual(new Set(hooks));
      expect(deliveries.every((d) => d.state === 'pending' && d.attempts === 0)).toBe(true);
    },
  );

  it('a threshold fires once: more spend in the same period fires nothing new', async () => {
    const budget = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 100_000, kind: 'soft' });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 49_999 }]);
    expect(await alertsOf(t.db, budget)).toEqual([]);
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 1 }]);
    expect((await alertsOf(t.db, budget)).map((a) => a.threshold)).toEqual([50]);
    for (let i = 0; i < 5; i += 1) await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 1_000 }]);
    expect((await alertsOf(t.db, budget)).map((a) => a.threshold)).toEqual([50]);
  });

  it('the next period fires every threshold again', async () => {
    const budget = await insertBudget(t.db, tenant.tenantId, {
      limitMicroUsd: 10_000,
      kind: 'hard',
      period: 'daily',
    });
    const today = new Date();
    const tomorrow = new Date(today.getTime() + 86_400_000);
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 10_000, at: today }]);
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 8_500, at: tomorrow }]);
    const alerts = await alertsOf(t.db, budget);
    const day = (at: Date) =>
      new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())).toISOString();
    expect(alerts.map((a) => [a.period_start.toISOString(), a.threshold])).toEqual([
      [day(today), 50],
      [day(today), 80],
      [day(today), 100],
      [day(tomorrow), 50],
      [day(tomorrow), 80],
    ]);
  });

  it('thresholds and limits changed mid-period apply at once to what the period has spent', async () => {
    const budget = await insertBudget(t.db, tenant.tenantId, {
      limitMicroUsd: 100_000,
      kind: 'soft',
      period: 'daily',
    });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 60_000 }]);
    expect((await alertsOf(t.db, budget)).map((a) => a.threshold)).toEqual([50]);
    const change = (sql: string) =>
      t.db.tenantTx(tenant.tenantId, (tx) => tx.query(`update budgets set ${sql} where id = $1`, [budget]));
    // A threshold added below the spend fires; one that already fired does not again.
    await change(`alert_thresholds = '{25,50,90}'`);
    expect((await alertsOf(t.db, budget)).map((a) => a.threshold)).toEqual([25, 50]);
    // A lower limit: 60,000 of 65,000 is past 90 %.
    await change('limit_micro_usd = 65000');
    const alerts = await alertsOf(t.db, budget);
    expect(alerts.map((a) => a.threshold)).toEqual([25, 50, 90]);
    expect(Number(alerts.at(-1)?.spent_micro_usd)).toBe(60_000);
    // Renaming fires nothing.
    await change(`name = 'renamed-${budget.slice(0, 8)}'`);
    expect(await alertsOf(t.db, budget)).toHaveLength(3);
  });

  it("a scoped budget fires on its scope's spend only", async () => {
    const keyBudget = await insertBudget(t.db, tenant.tenantId, {
      limitMicroUsd: 1_000,
      kind: 'soft',
      scope: 'api_key',
      scopeId: tenant.keyIds.developer,
    });
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 900, apiKeyId: tenant.keyIds.viewer }]);
    expect(await alertsOf(t.db, keyBudget)).toEqual([]);
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 800, apiKeyId: tenant.keyIds.developer }]);
    expect((await alertsOf(t.db, keyBudget)).map((a) => a.threshold)).toEqual([50, 80]);
  });

  it('the app role cannot see or acknowledge another tenant’s alerts', async () => {
    const other = await seedTenant(t.db, 'alert-other');
    const budget = await insertBudget(t.db, other.tenantId, { limitMicroUsd: 100, kind: 'soft' });
    await insertCalls(t.db, other.tenantId, [{ costMicroUsd: 100 }]);
    expect(await alertsOf(t.db, budget)).toHaveLength(3);
    const seen = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query('select id from budget_alerts where budget_id = $1', [budget]),
    );
    expect(seen.rows).toEqual([]);
    const acked = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query(
        `update budget_alerts set acknowledged_at = now(), acknowledged_by = 'x' where budget_id = $1`,
        [budget],
      ),
    );
    expect(acked.rowCount).toBe(0);
  });
});
