import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import type { Gateway } from '../../src/gateway/index.ts';
import type { BudgetEscrow } from '../../src/metering/index.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, type GatewayApp } from '../support/gateway.ts';
import { budgetTotals, createTestEscrow, insertBudget } from '../support/metering.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

/**
 * 200 concurrent calls of random sizes on three gateways (each with its own pool and escrow,
 * as three processes would have) against hard budgets covering about 20 of them, with the
 * upstream failing some: the hard cap holds to the micro-dollar, every succeeded call is in
 * the ledger once, nothing stays leased and a call that fits is admitted afterwards.
 */
const SEEDS = TEST_DRIVER === 'postgres' ? 20 : 5;
const CALLS = 200;
const PROCESSES = 3;
const IDLE_MS = 2_000;

describe('hard budgets under concurrency', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let tenant: TestTenant;
  const handles: Database[] = [];
  const apps: GatewayApp[] = [];
  const escrows: BudgetEscrow[] = [];
  let skew = 0;
  const now = () => Date.now() + skew;

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'up',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-platform',
      models: [{ model: 'small', price: { input: '1.000000', output: '2.000000' } }],
    });
    tenant = await seedTenant(t.db, 'budget-storm');
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into tenant_limits (tenant_id, llm_requests_per_minute, llm_tokens_per_minute)
         values ($1, 10000000, 1000000000)`,
        [tenant.tenantId],
      ),
    );
    for (let p = 0; p < PROCESSES; p += 1) {
      const db = t.driver === 'postgres' ? t.reopen({ poolSize: 6 }) : t.db;
      const escrow = createTestEscrow(db, `storm-${p}`, {
        now,
        sliceMicroUsd: 2_000,
        idleMs: IDLE_MS,
        tickMs: 20,
        budgetCacheMs: 60_000,
      });
      handles.push(db);
      escrows.push(escrow);
      apps.push(createGatewayApp(db, { budgets: escrow }));
    }
  });

  afterAll(async () => {
    for (const [i, app] of apps.entries()) {
      await app.app.close();
      await escrows[i]?.close();
    }
    for (const db of handles) if (db !== t.db) await db.close();
    await upstream.close();
    await t.drop();
  });

  const chat = (gateway: Gateway, maxTokens: number, apiKeyId: string | null, words: number) =>
    gateway.chat(
      { tenantId: tenant.tenantId, apiKeyId },
      {
        model: 'up/small',
        messages: [{ role: 'user', content: Array.from({ length: words }, () => 'tide').join(' ') }],
        max_tokens: maxTokens,
      },
    );

  it(`spend never passes the limit over ${SEEDS} seeds, is in the ledger once, and nothing stays leased`, async () => {
    const figures: Record<string, number>[] = [];
    for (let s = 0; s < SEEDS; s += 1) {
      const seed = (TEST_SEED + s * 7919) >>> 0;
      const random = createRandom(seed);
      const started = new Date();
      // Worst cases of 60..900 µUSD: the tenant budget covers about 20 of them, the key budget 30.
      const limit = 20 * 480;
      const tenantBudget = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: limit });
      const keyId = tenant.keyIds.developer;
      const keyBudget = await insertBudget(t.db, tenant.tenantId, {
        limitMicroUsd: 30 * 480,
        scope: 'api_key',
        scopeId: keyId,
      });
      for (const escrow of escrows) escrow.invalidate(tenant.tenantId);
      const failures = 3 + random.int(8);
      upstream.reset();
      upstream.script({ kind: 'status', status: 500, times: failures });
      upstream.setLatency(5);
      const outcomes = await Promise.all(
        Array.from({ length: CALLS }, async (_, i) => {
          const gateway = apps[i % PROCESSES]?.gateway as Gateway;
          // Arrivals spread over ~100 ms, so settles free budget for later calls (not a timing check).
          const delay = random.int(100);
          await new Promise((resolve) => setTimeout(resolve, delay));
          try {
            const result = await chat(
              gateway,
              30 + random.int(420),
              random.next() < 0.5 ? keyId : null,
              1 + random.int(20),
            );
            return { ok: true as const, cost: result.call.costMicroUsd, code: null };
          } catch (error) {
            return { ok: false as const, cost: 0, code: (error as { code?: string }).code ?? 'unknown' };
          }
        }),
      );
      for (const { gateway } of apps) await gateway.flush();
      for (const escrow of escrows) await escrow.tick();
      // Every process goes idle: its unused slices go back.
      skew += IDLE_MS + 1;
      for (const escrow of escrows) await escrow.tick();

      if (process.env.DEBUG_STORM)
        console.log(
          s,
          JSON.stringify(
            outcomes.reduce<Record<string, number>>(
              (m, o) => ({ ...m, [String(o.code)]: (m[String(o.code)] ?? 0) + 1 }),
              {},
            ),
          ),
        );
      const codes = new Set(outcomes.filter((o) => !o.ok).map((o) => o.code));
      expect(
        [...codes].every((c) => c === 'BUDGET_EXCEEDED' || c === 'UPSTREAM_FAILED'),
        [...codes].join(),
      ).toBe(true);
      const succeededCost = outcomes.reduce((sum, o) => sum + o.cost, 0);
      const ledger = await t.db.ownerTx(async (tx) => {
        const calls = await tx.query<{ calls: string; missing: string; twice: string; mismatched: string }>(
          `select count(*) as calls,
                  count(*) filter (where u.n is null) as missing,
                  count(*) filter (where u.n > 1) as twice,
                  count(*) filter (where u.cost <> c.cost_micro_usd) as mismatched
             from llm_calls c
             left join (select key, count(*) as n, sum(cost_micro_usd) as cost from usage_events
                         where tenant_id = $1 group by key) u on u.key = 'llm:' || c.id
            where c.tenant_id = $1 and c.outcome = 'succeeded' and c.created_at >= $2`,
          [tenant.tenantId, started.toISOString()],
        );
        const refused = await tx.query<{ n: string }>(
          `select count(*) as n from llm_calls
            where tenant_id = $1 and created_at >= $2 and outcome = 'refused' and error_code = 'BUDGET_EXCEEDED'`,
          [tenant.tenantId, started.toISOString()],
        );
        const sum = await tx.query<{ cost: string }>(
          `select coalesce(sum(cost_micro_usd), 0) as cost from usage_events where tenant_id = $1 and recorded_at >= $2`,
          [tenant.tenantId, started.toISOString()],
        );
        return { ...calls.rows[0], refused: Number(refused.rows[0]?.n), cost: Number(sum.rows[0]?.cost) };
      });
      const totals = await budgetTotals(t.db, tenantBudget);
      const keyTotals = await budgetTotals(t.db, keyBudget);
      const succeeded = outcomes.filter((o) => o.ok).length;
      const refusedByBudget = outcomes.filter((o) => o.code === 'BUDGET_EXCEEDED').length;

      expect(ledger.cost, `seed ${seed}`).toBeLessThanOrEqual(limit);
      expect(totals.spent).toBe(ledger.cost);
      expect(ledger.cost).toBe(succeededCost);
      expect(Number(ledger.calls)).toBe(succeeded);
      expect(Number(ledger.missing)).toBe(0);
      expect(Number(ledger.twice)).toBe(0);
      expect(Number(ledger.mismatched)).toBe(0);
      expect(ledger.refused).toBe(refusedByBudget);
      expect(refusedByBudget).toBeGreaterThan(0);
      expect(totals).toMatchObject({ leased: 0, leaseSum: 0, leaseRows: 0 });
      expect(keyTotals).toMatchObject({ leased: 0, leaseSum: 0, leaseRows: 0 });
      expect(keyTotals.spent).toBeLessThanOrEqual(30 * 480);
      for (const escrow of escrows)
        expect(escrow.held()).toEqual({ leased: 0, reserved: 0, pending: 0, open: 0 });

      // No false refusal afterwards: a call whose worst case fits what remains is admitted.
      const remaining = limit - totals.spent;
      const words = 1;
      upstream.setLatency(0);
      upstream.reset(); // faults not taken by the storm (refused calls were never sent)
      const fits = Math.floor((remaining - 40) / 2);
      if (fits >= 1) {
        const after = await chat(apps[s % PROCESSES]?.gateway as Gateway, Math.min(fits, 400), null, words);
        expect(after.call.costMicroUsd).toBeGreaterThan(0);
      }
      figures.push({
        seed,
        succeeded,
        refused: refusedByBudget,
        failed: outcomes.filter((o) => o.code === 'UPSTREAM_FAILED').length,
        spent: totals.spent,
        limit,
        overspend: Math.max(0, totals.spent - limit),
      });
      for (const { gateway } of apps) await gateway.flush();
      await t.db.ownerTx((tx) =>
        tx.query(`delete from budgets where id = any($1::uuid[])`, [[tenantBudget, keyBudget]]),
      );
      for (const escrow of escrows) {
        escrow.invalidate(tenant.tenantId);
        skew += IDLE_MS + 1;
        await escrow.tick();
      }
    }
    const maxOverspend = Math.max(...figures.map((f) => f.overspend ?? 0));
    console.log(
      `budget storm ${TEST_DRIVER}: ${figures.length} seeds from ${TEST_SEED}, max overspend ${maxOverspend} µUSD,` +
        ` succeeded ${figures.map((f) => f.succeeded).join('/')}, refused ${figures.map((f) => f.refused).join('/')}`,
    );
    expect(maxOverspend).toBe(0);
  }, 120_000);
});
