import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeForecast,
  evaluateForecastAlerts,
  forecastBudgets,
  recordForecastAlerts,
} from '../../src/metering/index.ts';
import { alertsOf, insertCalls } from '../support/alerts.ts';
import { insertBudget } from '../support/metering.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

/**
 * The forecast formula of docs/adr/0009-budget-alerts.md on scripted series, against values
 * computed by hand: rate = (c + Σ 0.5^age · s) / (f + Σ 0.5^age), projected = spent + rate · days left.
 */
describe('spend forecast', () => {
  it('weights complete days by half per day back and the current day by its elapsed fraction', () => {
    // March 2026, at the 4th, 12:00: slices of 1, 2 and 4 USD, then 1 USD in the half day so far.
    const forecast = computeForecast({
      periodStart: at('2026-03-01T00:00:00Z'),
      periodEnd: at('2026-04-01T00:00:00Z'),
      at: at('2026-03-04T12:00:00Z'),
      limitMicroUsd: 50_000_000,
      spentMicroUsd: 8_000_000,
      daily: new Map([
        [0, 1_000_000],
        [1, 2_000_000],
        [2, 4_000_000],
        [3, 1_000_000],
      ]),
    });
    // (1 + 0.5·4 + 0.25·2 + 0.125·1) / (0.5 + 0.5 + 0.25 + 0.125) = 3.625 / 1.375 USD a day;
    // 27.5 days left: 8 + 27.5 · 3.625 / 1.375 = 8 + 72.5 = 80.5 USD.
    expect(forecast).toEqual({
      dailyRateMicroUsd: Math.round(3_625_000 / 1.375),
      projectedMicroUsd: 80_500_000,
      exceedsLimit: true,
      // 42 USD to go at 3.625 / 1.375 USD a day: 42 · 1.375 / 3.625 days after the 4th, 12:00.
      projectedExhaustionAt: new Date(
        Date.parse('2026-03-04T12:00:00Z') + Math.round(((42 * 1.375) / 3.625) * DAY),
      ).toISOString(),
      enoughHistory: true,
    });
  });

  it('extrapolates a first day linearly, and waits a quarter of a daily period before it may alert', () => {
    const input = {
      periodStart: at('2026-03-04T00:00:00Z'),
      periodEnd: at('2026-03-05T00:00:00Z'),
      limitMicroUsd: 10_000,
      spentMicroUsd: 3_000,
      daily: new Map([[0, 3_000]]),
    };
    // 3 hours in: 3,000 over 1/8 of a day is 24,000 a day; 21 hours left: 3,000 + 21,000.
    expect(computeForecast({ ...input, at: at('2026-03-04T03:00:00Z') })).toMatchObject({
      dailyRateMicroUsd: 24_000,
      projectedMicroUsd: 24_000,
      exceedsLimit: true,
      projectedExhaustionAt: '2026-03-04T10:00:00.000Z',
      enoughHistory: false,
    });
    expect(computeForecast({ ...input, at: at('2026-03-04T06:00:00Z') }).enoughHistory).toBe(true);
  });

  it('a period that spent nothing projects nothing; one already past its limit is exhausted now', () => {
    const base = {
      periodStart: at('2026-03-01T00:00:00Z'),
      periodEnd: at('2026-04-01T00:00:00Z'),
      at: at('2026-03-10T00:00:00Z'),
      limitMicroUsd: 1_000,
    };
    expect(computeForecast({ ...base, spentMicroUsd: 0, daily: new Map() })).toEqual({
      dailyRateMicroUsd: 0,
      projectedMicroUsd: 0,
      exceedsLimit: false,
      projectedExhaustionAt: null,
      enoughHistory: true,
    });
    expect(
      computeForecast({ ...base, spentMicroUsd: 1_200, daily: new Map([[8, 1_200]]) }).projectedExhaustionAt,
    ).toBe('2026-03-10T00:00:00.000Z');
  });

  describe('on the ledger', () => {
    let t: TestDatabase;
    let tenant: TestTenant;

    beforeAll(async () => {
      t = await createTestDatabase();
      tenant = await seedTenant(t.db, 'forecast');
    });
    afterAll(() => t.drop());

    /** A monthly budget with the scripted calls of March 2026 recorded through the call log. */
    async function scripted(tenantId: string, limitMicroUsd: number) {
      const budgetId = await insertBudget(t.db, tenantId, { limitMicroUsd, kind: 'hard', period: 'monthly' });
      await insertCalls(t.db, tenantId, [
        { costMicroUsd: 1_000_000, at: at('2026-03-01T08:00:00Z') },
        { costMicroUsd: 1_500_000, at: at('2026-03-02T01:00:00Z') },
        { costMicroUsd: 500_000, at: at('2026-03-02T23:59:59Z') },
        { costMicroUsd: 4_000_000, at: at('2026-03-03T12:00:00Z') },
        { costMicroUsd: 1_000_000, at: at('2026-03-04T11:00:00Z') },
        // After the moment forecast: not counted.
        { costMicroUsd: 9_000_000, at: at('2026-03-04T13:00:00Z') },
      ]);
      return budgetId;
    }

    it('forecasts a budget from its daily spend in the ledger, matching the hand-computed values', async () => {
      const budgetId = await scripted(tenant.tenantId, 50_000_000);
      const moment = at('2026-03-04T12:00:00Z');
      const [forecast] = await t.db.tenantTx(tenant.tenantId, (tx) =>
        forecastBudgets(tx, moment, { budgetId }),
      );
      expect(forecast).toMatchObject({
        budgetId,
        periodStart: '2026-03-01T00:00:00.000Z',
        periodEnd: '2026-04-01T00:00:00.000Z',
        timeZone: 'UTC',
        // The period row counts every call of March recorded so far, the one after `at` too.
        spentMicroUsd: 17_000_000,
        daily: [
          { start: '2026-03-01T00:00:00.000Z', spentMicroUsd: 1_000_000 },
          { start: '2026-03-02T00:00:00.000Z', spentMicroUsd: 2_000_000 },
          { start: '2026-03-03T00:00:00.000Z', spentMicroUsd: 4_000_000 },
          { start: '2026-03-04T00:00:00.000Z', spentMicroUsd: 1_000_000 },
        ],
        dailyRateMicroUsd: Math.round(3_625_000 / 1.375),
        // 17 + 72.5 USD.
        projectedMicroUsd: 89_500_000,
        exceedsLimit: true,
        enoughHistory: true,
        alerted: false,
      });
    });

    it('fires the forecast alert once per budget and period, on demand and from the maintenance pass', async () => {
      const other = await seedTenant(t.db, 'forecast-other');
      const mine = await scripted(tenant.tenantId, 60_000_000);
      const theirs = await scripted(other.tenantId, 60_000_000);
      const safe = await scripted(other.tenantId, 100_000_000);
      const moment = at('2026-03-04T12:00:00Z');
      const onDemand = () =>
        t.db.tenantTx(tenant.tenantId, async (tx) =>
          recordForecastAlerts(tx, await forecastBudgets(tx, moment, { budgetId: mine })),
        );
      expect(await onDemand()).toBe(1);
      expect(await onDemand()).toBe(0);
      const [alert] = (await alertsOf(t.db, mine)).filter((a) => a.kind === 'forecast');
      expect([alert?.threshold, Number(alert?.projected_micro_usd), Number(alert?.spent_micro_usd)]).toEqual([
        null,
        89_500_000,
        17_000_000,
      ]);
      // The maintenance pass fires the other tenant's over-limit budget, not the safe one, nor mine again.
      expect(await evaluateForecastAlerts(t.db, moment)).toBeGreaterThanOrEqual(1);
      expect(await evaluateForecastAlerts(t.db, moment)).toBe(0);
      expect((await alertsOf(t.db, theirs)).filter((a) => a.kind === 'forecast')).toHaveLength(1);
      expect((await alertsOf(t.db, safe)).filter((a) => a.kind === 'forecast')).toHaveLength(0);
      expect((await alertsOf(t.db, mine)).filter((a) => a.kind === 'forecast')).toHaveLength(1);
      // The next period may fire again.
      const april = at('2026-04-03T00:00:00Z');
      await insertCalls(t.db, tenant.tenantId, [
        { costMicroUsd: 30_000_000, at: at('2026-04-02T12:00:00Z') },
      ]);
      await t.db.tenantTx(tenant.tenantId, async (tx) =>
        recordForecastAlerts(tx, await forecastBudgets(tx, april, { budgetId: mine })),
      );
      const forecasts = (await alertsOf(t.db, mine)).filter((a) => a.kind === 'forecast');
      expect(forecasts.map((a) => a.period_start.toISOString())).toEqual([
        '2026-03-01T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
      ]);
    });

    it("slices the period from its start in the tenant's time zone", async () => {
      const tokyo = await seedTenant(t.db, 'forecast-tokyo');
      await t.db.ownerTx((tx) =>
        tx.query(`update tenants set time_zone = 'Asia/Tokyo' where id = $1`, [tokyo.tenantId]),
      );
      const budgetId = await insertBudget(t.db, tokyo.tenantId, {
        limitMicroUsd: 1_000_000,
        kind: 'soft',
        period: 'monthly',
      });
      // 16:00 UTC on 28 February is 01:00 on 1 March in Tokyo.
      await insertCalls(t.db, tokyo.tenantId, [{ costMicroUsd: 700, at: at('2026-02-28T16:00:00Z') }]);
      const [forecast] = await t.db.tenantTx(tokyo.tenantId, (tx) =>
        forecastBudgets(tx, at('2026-03-01T15:00:00Z'), { budgetId }),
      );
      expect(forecast).toMatchObject({
        periodStart: '2026-02-28T15:00:00.000Z',
        timeZone: 'Asia/Tokyo',
        spentMicroUsd: 700,
        daily: [{ start: '2026-02-28T15:00:00.000Z', spentMicroUsd: 700 }],
        dailyRateMicroUsd: 700,
      });
    });
  });
});
