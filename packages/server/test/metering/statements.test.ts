import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { METERING_ERRORS, STATEMENT_CSV_COLUMNS } from '../../src/metering/index.ts';
import { at, CLOSE_CLOCK, llm, PRICING, scriptedEvents, TENANT } from './fixtures/scripted-month.ts';
import {
  createClockedApp,
  createPlanRow,
  insertBillingTenant,
  parseCsv,
  pricePlan,
  recordUsage,
} from '../support/statements.ts';
import { bearer } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('monthly statements of a scripted month', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let clock: { now: Date };
  let key: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ app, clock } = createClockedApp(t.db, CLOSE_CLOCK));
    await createPlanRow(t.db, TENANT.plan);
    // Set while January 2026 was still to come, as the effective-dating rule requires.
    await pricePlan(t.db, TENANT.plan, PRICING, at('2025-12-01T00:00:00.000Z'));
    key = await insertBillingTenant(t.db, TENANT);
    const events = scriptedEvents();
    expect(await recordUsage(t.db, events)).toBe(events.length);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: bearer(key) });

  it('closes March in New York with the hand-computed JSON and CSV', async () => {
    const json = await get('/v1/statements/2026-03');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.body).toBe(fixture('statement-scripted-month.json'));

    const csv = await get('/v1/statements/2026-03?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="shoal-statement-${TENANT.id}-2026-03.csv"`,
    );
    expect(csv.body).toBe(fixture('statement-scripted-month.csv'));
  });

  it('the CSV has the same columns on every row and its line totals add up to the total', async () => {
    const rows = parseCsv((await get('/v1/statements/2026-03?format=csv')).body);
    expect(rows[0]).toEqual([...STATEMENT_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(STATEMENT_CSV_COLUMNS.length);
    const amount = STATEMENT_CSV_COLUMNS.indexOf('amount_usd');
    const line = STATEMENT_CSV_COLUMNS.indexOf('line');
    const micro = (usd: string | undefined) => Math.round(Number(usd) * 1e6);
    const billed = rows.filter((row) => row[line] === 'base' || row[line] === 'meter_total');
    const total = rows.find((row) => row[line] === 'total');
    expect(billed.reduce((sum, row) => sum + micro(row[amount]), 0)).toBe(micro(total?.[amount]));
  });

  it('regenerating the closed month gives the same bytes after a late event and a pricing change', async () => {
    clock.now = at('2099-02-10T00:00:00.000Z');
    expect(await recordUsage(t.db, [llm('late', '2026-03-31T12:00:00.000Z', 5_000_000, 0, 4_000_000)])).toBe(
      1,
    );
    // A change no operator could make (March has ended everywhere), straight in the catalogue.
    await t.db.ownerTx((tx) =>
      tx.query(`update plan_prices set base_micro_usd = base_micro_usd * 2 where plan = $1`, [TENANT.plan]),
    );
    expect((await get('/v1/statements/2026-03')).body).toBe(fixture('statement-scripted-month.json'));
    expect((await get('/v1/statements/2026-03?format=csv')).body).toBe(
      fixture('statement-scripted-month.csv'),
    );

    const list = await get('/v1/statements');
    expect(list.statusCode).toBe(200);
    const march = list
      .json<{ data: { month: string; status: string; totalMicroUsd: number }[] }>()
      .data.find((row) => row.month === '2026-03');
    // Its total stays the stored one. (lateEvents counts by recorded_at, which this test's
    // clock cannot move: statements-api.test.ts checks it on the real clock.)
    expect(march).toEqual(
      expect.objectContaining({
        status: 'closed',
        totalMicroUsd: 81_932_522,
        closedAt: CLOSE_CLOCK.toISOString(),
      }),
    );
  });

  it('a month before the pricing took effect is refused, never billed at $0', async () => {
    const res = await get('/v1/statements/2025-12');
    expect(res.statusCode).toBe(METERING_ERRORS.PLAN_UNPRICED.status);
    expect(res.json<{ error: { code: string; message: string } }>().error).toEqual(
      expect.objectContaining({
        code: 'PLAN_UNPRICED',
        message: 'Plan scripted has no pricing in effect for 2025-12',
      }),
    );
  });

  it('a month that has not begun in the tenant’s zone is refused', async () => {
    clock.now = at('2099-03-01T04:59:00.000Z'); // still February in New York
    const res = await get('/v1/statements/2099-03');
    expect(res.statusCode).toBe(METERING_ERRORS.STATEMENT_MONTH_IN_FUTURE.status);
    expect(res.json<{ error: { code: string; message: string } }>().error).toEqual(
      expect.objectContaining({
        code: 'STATEMENT_MONTH_IN_FUTURE',
        message: '2099-03 has not begun in America/New_York (it is 2099-02 there)',
      }),
    );
  });
});
