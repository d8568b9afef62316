import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import {
  closeDueStatements,
  METERING_ERRORS,
  readMeterQuantities,
  type MeteringErrorCode,
} from '../../src/metering/index.ts';
import { operatorCaller } from '../support/route-fixtures.ts';
import { createPlanRow, recordUsage } from '../support/statements.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface SummaryJson {
  month: string;
  status: string;
  closedAt: string | null;
  totalMicroUsd: number | null;
  lateEvents: number;
}
interface StatementJson {
  tenant: { id: string };
  month: string;
  status: string;
  closedAt: string | null;
  lines: { type: string; meter?: string; quantity?: number }[];
  totals: { totalMicroUsd: number };
}

function expectCode(res: LightMyRequestResponse, code: MeteringErrorCode, message?: string) {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code }).toEqual({
    status: METERING_ERRORS[code].status,
    code,
  });
  if (message) expect(body.error.message).toBe(message);
}

/** YYYY-MM of the month `back` months before the current UTC one. */
function monthBack(back: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}
const midMonth = (month: string) => new Date(`${month}-15T12:00:00.000Z`);

/** A pricing body with one open tier per tiered meter, `tiers` replacing those of llm_tokens. */
const pricingBody = (
  effectiveFrom: string,
  tiers?: { upTo: number | null; unitPriceMicroUsd: number }[],
) => ({
  effectiveFrom,
  basePriceMicroUsd: 10_000_000,
  meters: {
    llm_tokens: { included: 1000, per: 1000, tiers: tiers ?? [{ upTo: null, unitPriceMicroUsd: 1000 }] },
    llm_cost: { includedMicroUsd: 0, markupBps: 1000 },
    runs_started: { included: 0, per: 1, tiers: [{ upTo: null, unitPriceMicroUsd: 1 }] },
    steps_executed: { included: 0, per: 1, tiers: [{ upTo: null, unitPriceMicroUsd: 1 }] },
    worker_seconds: { included: 0, per: 1, tiers: [{ upTo: null, unitPriceMicroUsd: 1 }] },
  },
});

describe('statements API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  // Two months back: closed whatever the day (the grace period is minutes).
  const closed = monthBack(2);
  const current = monthBack(0);

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'statements-a');
    b = await seedTenant(t.db, 'statements-b');
    await recordUsage(t.db, [
      {
        tenantId: b.tenantId,
        key: 'llm:b-closed',
        kind: 'llm_call',
        occurredAt: midMonth(closed),
        tokensIn: 2_000_000,
        tokensOut: 1_000_000,
        costMicroUsd: 500_000,
      },
    ]);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = (tenant: TestTenant, url: string, role: keyof TestTenant['keys'] = 'billing') =>
    app.inject({ method: 'GET', url, headers: bearer(tenant.keys[role]) });
  const putPricing = (plan: string, payload: Record<string, unknown>) =>
    app.inject({
      method: 'PUT',
      url: `/v1/operator/plans/${plan}/pricing`,
      headers: operatorCaller.headers,
      payload,
    });

  it("closes a past month on the free plan's seeded pricing", async () => {
    const res = await get(b, `/v1/statements/${closed}`);
    expect(res.statusCode).toBe(200);
    const doc = res.json<StatementJson>();
    // Free: 1M tokens included, then $2 per 1M (2M → $4); provider cost passed through at cost.
    expect(doc).toEqual(
      expect.objectContaining({
        month: closed,
        status: 'closed',
        tenant: expect.objectContaining({ id: b.tenantId }),
      }),
    );
    expect(doc.totals.totalMicroUsd).toBe(4_000_000 + 500_000);
  });

  it("tenant A cannot read tenant B's statements", async () => {
    const own = await get(a, `/v1/statements/${closed}`);
    expect(own.statusCode).toBe(200);
    expect(own.json<StatementJson>()).toEqual(
      expect.objectContaining({
        tenant: expect.objectContaining({ id: a.tenantId }),
        totals: expect.objectContaining({ totalMicroUsd: 0 }),
      }),
    );
    const list = await get(a, '/v1/statements');
    for (const row of list.json<{ data: SummaryJson[] }>().data) expect(row.totalMicroUsd).toBe(0);
    const visible = await t.db.tenantTx(a.tenantId, (tx) =>
      tx.query<{ tenant_id: string }>('select tenant_id from statements'),
    );
    expect(visible.rows.map((row) => row.tenant_id)).toEqual([a.tenantId]);
  });

  it('a late event leaves the closed bytes alone and is counted in the list', async () => {
    const before = await get(b, `/v1/statements/${closed}`);
    const csvBefore = await get(b, `/v1/statements/${closed}?format=csv`);
    await recordUsage(t.db, [
      {
        tenantId: b.tenantId,
        key: 'llm:b-late',
        kind: 'llm_call',
        occurredAt: midMonth(closed),
        tokensIn: 9_000_000,
        costMicroUsd: 900_000,
      },
    ]);
    expect((await get(b, `/v1/statements/${closed}`)).body).toBe(before.body);
    expect((await get(b, `/v1/statements/${closed}?format=csv`)).body).toBe(csvBefore.body);
    const row = (await get(b, '/v1/statements'))
      .json<{ data: SummaryJson[] }>()
      .data.find((r) => r.month === closed);
    expect(row).toEqual(
      expect.objectContaining({ status: 'closed', totalMicroUsd: 4_500_000, lateEvents: 1 }),
    );
  });

  it('rows recorded after the cut-off are not counted', async () => {
    const first = { tenantId: a.tenantId, kind: 'run_started' as const, occurredAt: new Date() };
    await recordUsage(t.db, [{ ...first, key: 'run:cutoff-1' }]);
    const recorded = await t.db.ownerTx((tx) =>
      tx.query<{ recorded_at: Date }>(`select recorded_at from usage_events where key = 'run:cutoff-1'`),
    );
    // Cut-offs are whole milliseconds: the second row is recorded in a later one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordUsage(t.db, [{ ...first, key: 'run:cutoff-2' }]);
    const bounds = { start: new Date(`${current}-01T00:00:00.000Z`), end: new Date(Date.now() + 86_400_000) };
    const cutoff = new Date(new Date(recorded.rows[0]?.recorded_at as Date).getTime() + 1);
    const quantities = await t.db.tenantTx(a.tenantId, async (tx) => ({
      atCutoff: await readMeterQuantities(tx, a.tenantId, bounds, cutoff),
      all: await readMeterQuantities(tx, a.tenantId, bounds, null),
    }));
    expect(quantities.atCutoff.runs_started).toBe(1n);
    expect(quantities.all.runs_started).toBe(2n);
  });

  it('the current month is a live draft, never stored', async () => {
    const draft = await get(a, `/v1/statements/${current}`);
    expect(draft.json<StatementJson>()).toEqual(expect.objectContaining({ status: 'open', closedAt: null }));
    const runs = (doc: StatementJson) => doc.lines.find((line) => line.meter === 'runs_started')?.quantity;
    const before = runs(draft.json<StatementJson>()) ?? 0;
    await recordUsage(t.db, [
      { tenantId: a.tenantId, key: 'run:draft', kind: 'run_started', occurredAt: new Date() },
    ]);
    expect(runs((await get(a, `/v1/statements/${current}`)).json<StatementJson>())).toBe(before + 1);
    const stored = await t.db.tenantTx(a.tenantId, (tx) =>
      tx.query(`select 1 from statements where month = $1::date`, [`${current}-01`]),
    );
    expect(stored.rows).toHaveLength(0);
  });

  it('two first generations at once store one statement and answer the same bytes', async () => {
    const month = monthBack(3);
    const [one, two] = await Promise.all([
      get(b, `/v1/statements/${month}`),
      get(b, `/v1/statements/${month}`),
    ]);
    expect(one?.statusCode).toBe(200);
    expect(two?.body).toBe(one?.body);
    const rows = await t.db.tenantTx(b.tenantId, (tx) =>
      tx.query(`select 1 from statements where month = $1::date`, [`${month}-01`]),
    );
    expect(rows.rows).toHaveLength(1);
  });

  it('statements are for owner, admin and billing only', async () => {
    for (const role of ['owner', 'admin', 'billing'] as const)
      expect((await get(a, '/v1/statements', role)).statusCode).toBe(200);
    for (const role of ['developer', 'operator', 'viewer'] as const) {
      const res = await get(a, `/v1/statements/${current}`, role);
      expect({ status: res.statusCode, code: res.json<ErrorJson>().error.code }).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });

  it('a malformed month or format is refused', async () => {
    for (const url of [
      '/v1/statements/2026-13',
      '/v1/statements/26-01',
      `/v1/statements/${current}?format=xml`,
    ]) {
      const res = await get(a, url);
      expect({ url, status: res.statusCode, code: res.json<ErrorJson>().error.code }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('a plan without pricing is listed as unpriced and its statement refused', async () => {
    await createPlanRow(t.db, 'unpriced');
    const c = await seedTenant(t.db, 'statements-c');
    await t.db.ownerTx((tx) => tx.query(`update tenants set plan = 'unpriced' where id = $1`, [c.tenantId]));
    expectCode(
      await get(c, `/v1/statements/${current}`),
      'PLAN_UNPRICED',
      `Plan unpriced has no pricing in effect for ${current}`,
    );
    const list = await get(c, '/v1/statements');
    expect(list.json<{ data: SummaryJson[] }>().data).toEqual([
      expect.objectContaining({ month: current, status: 'unpriced', totalMicroUsd: null }),
    ]);
  });

  it("the maintenance pass closes every priced tenant's previous month, once", async () => {
    const previous = monthBack(1);
    // Past the grace period even in a month's first minutes.
    const now = new Date(Math.max(Date.now(), Date.parse(`${current}-01T01:00:00.000Z`)));
    const stored = () =>
      t.db.systemTx(async (sys) => {
        const rows = await sys.query<{ tenant_id: string }>(
          `select tenant_id from statements where month = $1::date order by tenant_id`,
          [`${previous}-01`],
        );
        return rows.rows.map((row) => row.tenant_id);
      });
    // B's list already closed it for B; nothing has looked at A's.
    expect(await stored()).toEqual([b.tenantId]);
    expect(await t.db.systemTx((sys) => closeDueStatements(sys, now))).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual(expect.arrayContaining([a.tenantId, b.tenantId]));
    expect(await t.db.systemTx((sys) => closeDueStatements(sys, now))).toBe(0);
    const doc = (await get(a, `/v1/statements/${previous}`)).json<StatementJson>();
    expect(doc).toEqual(expect.objectContaining({ status: 'closed', closedAt: now.toISOString() }));
  });

  describe('operator pricing', () => {
    const next = monthBack(-1);

    it('refuses tiers that are not ascending, an open tier before the last and a bounded last tier', async () => {
      expectCode(
        await putPricing(
          'team',
          pricingBody(next, [
            { upTo: 1000, unitPriceMicroUsd: 1 },
            { upTo: null, unitPriceMicroUsd: 1 },
          ]),
        ),
        'PRICING_TIERS_NOT_ASCENDING',
        'llm_tokens: tier 1 ends at 1000, not above the included allowance (1000)',
      );
      expectCode(
        await putPricing(
          'team',
          pricingBody(next, [
            { upTo: 5000, unitPriceMicroUsd: 1 },
            { upTo: 5000, unitPriceMicroUsd: 1 },
            { upTo: null, unitPriceMicroUsd: 1 },
          ]),
        ),
        'PRICING_TIERS_NOT_ASCENDING',
        'llm_tokens: tier 2 ends at 5000, not above the previous tier (5000)',
      );
      expectCode(
        await putPricing(
          'team',
          pricingBody(next, [
            { upTo: null, unitPriceMicroUsd: 1 },
            { upTo: null, unitPriceMicroUsd: 2 },
          ]),
        ),
        'PRICING_OPEN_TIER_NOT_LAST',
        'llm_tokens: tier 1 is open-ended but is not the last tier',
      );
      expectCode(
        await putPricing('team', pricingBody(next, [{ upTo: 5000, unitPriceMicroUsd: 1 }])),
        'PRICING_LAST_TIER_BOUNDED',
        'llm_tokens: the last tier must be open-ended (upTo null), not up to 5000',
      );
    });

    it('refuses a month that has ended, an unknown plan and a body without every meter', async () => {
      expectCode(
        await putPricing('team', pricingBody(closed)),
        'PRICING_MONTH_CLOSED',
        `${closed} has ended in some time zone; a new price can start in a later month`,
      );
      expectCode(
        await putPricing('no-such-plan', pricingBody(next)),
        'PRICING_PLAN_NOT_FOUND',
        'No plan named no-such-plan',
      );
      expectCode(
        await app.inject({
          method: 'GET',
          url: '/v1/operator/plans/no-such-plan/pricing',
          headers: operatorCaller.headers,
        }),
        'PRICING_PLAN_NOT_FOUND',
        'No plan named no-such-plan',
      );
      const { worker_seconds: _, ...meters } = pricingBody(next).meters;
      const res = await putPricing('team', { ...pricingBody(next), meters });
      expect({ status: res.statusCode, code: res.json<ErrorJson>().error.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    });

    it('sets a version from next month, audited in every tenant on the plan, and lists it first', async () => {
      const onTeam = await seedTenant(t.db, 'statements-team');
      await t.db.ownerTx((tx) =>
        tx.query(`update tenants set plan = 'team' where id = $1`, [onTeam.tenantId]),
      );
      const res = await putPricing('team', pricingBody(next));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(
        expect.objectContaining({ plan: 'team', effectiveFrom: next, basePriceMicroUsd: 10_000_000 }),
      );
      // The same month again replaces it.
      const again = await putPricing('team', { ...pricingBody(next), basePriceMicroUsd: 20_000_000 });
      expect(again.statusCode).toBe(200);

      const audit = await t.db.ownerTx((tx) =>
        tx.query<{ actor_type: string; details: { effectiveFrom: string; replaced: boolean } }>(
          `select actor_type, details from audit_events where tenant_id = $1 and action = 'plan.pricing.set' order by seq`,
          [onTeam.tenantId],
        ),
      );
      expect(audit.rows.map((row) => [row.details.effectiveFrom, row.details.replaced])).toEqual([
        [next, false],
        [next, true],
      ]);

      const list = await app.inject({
        method: 'GET',
        url: '/v1/operator/plans/team/pricing',
        headers: operatorCaller.headers,
      });
      const versions = list.json<{ versions: { effectiveFrom: string; basePriceMicroUsd: number }[] }>()
        .versions;
      expect(versions.map((v) => [v.effectiveFrom, v.basePriceMicroUsd])).toEqual([
        [next, 20_000_000],
        ['2000-01', 49_000_000],
      ]);
      // This month is still on the old version.
      const draft = await get(onTeam, `/v1/statements/${current}`);
      expect(draft.json<StatementJson & { pricingEffectiveFrom: string }>().pricingEffectiveFrom).toBe(
        '2000-01',
      );
    });
  });
});
