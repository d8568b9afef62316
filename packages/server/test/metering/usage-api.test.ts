import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun, startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors, StepError, type StepExecutor } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { createGatewayApp, type GatewayApp } from '../support/gateway.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * A scripted workload (gateway calls with the simulated provider, runs on a real worker with a
 * step that fails once) gives /v1/usage totals equal to what the engine's and the gateway's own
 * tables hold, for every groupBy; each tenant sees only its own.
 */
const WORKER = {
  pool: 'shared',
  workerId: 'usage-worker',
  concurrency: 2,
  leaseMs: 5_000,
  pollMs: 20,
  maintenanceMs: 50,
};
const FAST_RETRY = { maxAttempts: 3, backoff: { initial: '10ms', max: '10ms', jitter: 0 } };
const FLAKY_MS = 25;
const GROUP_BYS = ['day', 'model', 'workflow', 'key', 'pool'] as const;
type GroupBy = (typeof GROUP_BYS)[number];

interface Fact {
  day: string;
  model: string | null;
  workflow: string | null;
  key: string | null;
  pool: string | null;
  calls: number;
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costMicroUsd: number;
  runs: number;
  steps: number;
  workerMs: number;
}
const ZERO = {
  calls: 0,
  cacheHits: 0,
  tokensIn: 0,
  tokensOut: 0,
  tokensCached: 0,
  costMicroUsd: 0,
  runs: 0,
  steps: 0,
  workerMs: 0,
};
const FIGURES = Object.keys(ZERO) as (keyof typeof ZERO)[];

describe('usage API', () => {
  let t: TestDatabase;
  let ga: GatewayApp;
  let a: TestTenant;
  let b: TestTenant;
  let worker: Worker;
  const tz = 'Pacific/Auckland';

  const dayIn = (zone: string, at: Date) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);

  const usage = (tenant: TestTenant, query: string, role: 'viewer' | 'billing' = 'viewer') =>
    ga.app.inject({ method: 'GET', url: `/v1/usage${query}`, headers: bearer(tenant.keys[role]) });

  const chat = async (tenant: TestTenant, body: Record<string, unknown>) => {
    const res = await ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: { messages: [{ role: 'user', content: 'Tell me about tides' }], max_tokens: 30, ...body },
    });
    expect(res.statusCode, res.body).toBe(200);
    await ga.gateway.flush();
    return res;
  };

  const run = async (tenant: TestTenant, workflowName: string, idempotencyKey: string | null = null) => {
    const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
      startRun(tx, tenant.tenantId, { workflowName, input: {}, idempotencyKey }),
    );
    const done = await waitForRun(t.db, tenant.tenantId, runId);
    expect(done.state).toBe('succeeded');
    return runId;
  };

  /** What the usage of a tenant must be, read from the tables the ledger is fed from. */
  const factsOf = async (tenantId: string, zone: string): Promise<Fact[]> => {
    await ga.gateway.flush();
    return t.db.ownerTx(async (tx) => {
      const calls = await tx.query<Record<string, unknown>>(
        `select c.*, r.workflow_id from llm_calls c left join runs r on r.tenant_id = c.tenant_id and r.id = c.run_id
          where c.tenant_id = $1 and c.outcome = 'succeeded'`,
        [tenantId],
      );
      const runs = await tx.query<Record<string, unknown>>('select * from runs where tenant_id = $1', [
        tenantId,
      ]);
      const attempts = await tx.query<Record<string, unknown>>(
        `select a.*, r.workflow_id, r.pool from step_attempts a join runs r on r.tenant_id = a.tenant_id and r.id = a.run_id
          where a.tenant_id = $1`,
        [tenantId],
      );
      const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
      return [
        ...calls.rows.map((c) => ({
          ...ZERO,
          day: dayIn(zone, new Date(c.created_at as string)),
          model: `${String(c.provider)}/${String(c.model)}`,
          workflow: str(c.workflow_id),
          key: str(c.api_key_id),
          pool: null,
          calls: c.cache_hit ? 0 : 1,
          cacheHits: c.cache_hit ? 1 : 0,
          tokensIn: Number(c.tokens_in),
          tokensOut: Number(c.tokens_out),
          tokensCached: Number(c.tokens_cached),
          costMicroUsd: Number(c.cost_micro_usd),
        })),
        ...runs.rows.map((r) => ({
          ...ZERO,
          day: dayIn(zone, new Date(r.created_at as string)),
          model: null,
          workflow: str(r.workflow_id),
          key: null,
          pool: str(r.pool),
          runs: 1,
        })),
        ...attempts.rows.map((s) => ({
          ...ZERO,
          day: dayIn(zone, new Date(s.ended_at as string)),
          model: null,
          workflow: str(s.workflow_id),
          key: null,
          pool: str(s.pool),
          steps: 1,
          workerMs: s.work_ms === null ? 0 : Math.round(Number(s.work_ms)),
        })),
      ];
    });
  };

  const expectedGroups = (facts: Fact[], groupBy: GroupBy) => {
    const groups = new Map<string | null, typeof ZERO>();
    for (const fact of facts) {
      const sums = groups.get(fact[groupBy]) ?? { ...ZERO };
      for (const figure of FIGURES) sums[figure] += fact[figure];
      groups.set(fact[groupBy], sums);
    }
    return groups;
  };

  const totalOf = (facts: Fact[]) => {
    const sums = { ...ZERO };
    for (const fact of facts) for (const figure of FIGURES) sums[figure] += fact[figure];
    return sums;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    ga = createGatewayApp(t.db);
    a = await seedTenant(t.db, 'usage-a');
    b = await seedTenant(t.db, 'usage-b');
    await t.db.tenantTx(a.tenantId, (tx) =>
      tx.query('update tenants set time_zone = $1 where id = $2', [tz, a.tenantId]),
    );
    const builtin = createBuiltinExecutors([], { gateway: ga.gateway });
    const transform = builtin.get('transform') as StepExecutor;
    // The step `flaky` fails its first attempt after FLAKY_MS of work, then succeeds.
    const flaky: StepExecutor = {
      type: 'transform',
      async execute(ctx) {
        if (ctx.stepId !== 'flaky') return transform.execute(ctx);
        await new Promise((resolve) => setTimeout(resolve, FLAKY_MS));
        if (ctx.attempt === 1) throw new StepError('FLAKY', 'the first attempt fails', true);
        return transform.execute(ctx);
      },
    };
    const executors = new Map(builtin).set('transform', flaky);
    worker = await startWorker({ db: t.db, logger: createLogger({ level: 'silent' }), executors }, WORKER);

    for (const tenant of [a, b]) {
      await publishDefinition(t.db, tenant.tenantId, {
        name: 'ask-then-flaky',
        steps: [
          {
            id: 'ask',
            type: 'llm.chat',
            with: { model: 'simulated/sim-small', prompt: 'Name a tide', maxTokens: 20 },
          },
          { id: 'flaky', type: 'transform', needs: ['ask'], with: { value: 1 }, retry: FAST_RETRY },
        ],
      });
      await publishDefinition(t.db, tenant.tenantId, {
        name: 'one-step',
        steps: [{ id: 'x', type: 'transform', with: { value: 2 } }],
      });
    }
    // Tenant A: two gateway calls of one cached prompt (a miss and a hit), one of another model,
    // two runs of a flaky workflow, one run started twice with the same idempotency key.
    const cached = {
      model: 'simulated/sim-small',
      shoal: { cache: true },
      messages: [{ role: 'user', content: 'cache me' }],
    };
    expect((await chat(a, cached)).headers['x-shoal-cache']).toBe('miss');
    expect((await chat(a, cached)).headers['x-shoal-cache']).toBe('hit');
    await chat(a, { model: 'simulated/sim-large' });
    await run(a, 'ask-then-flaky');
    await run(a, 'ask-then-flaky');
    const once = await run(a, 'one-step', 'same-start');
    expect(await run(a, 'one-step', 'same-start')).toBe(once);
    // Tenant B: one call, one run.
    await chat(b, { model: 'simulated/sim-large' });
    await run(b, 'one-step');
  }, 60_000);

  afterAll(async () => {
    await worker.stop();
    await ga.app.close();
    await t.drop();
  });

  it('the ledger holds each run once and each step attempt once, with its worker time in its pool', async () => {
    const events = await t.db.ownerTx((tx) =>
      tx.query<{ kind: string; n: string; q: string }>(
        `select kind, count(*) as n, sum(quantity) as q from usage_events where tenant_id = $1 group by kind`,
        [a.tenantId],
      ),
    );
    const byKind = Object.fromEntries(events.rows.map((r) => [r.kind, { n: Number(r.n), q: Number(r.q) }]));
    // 3 runs; ask ×2, flaky ×2 attempts ×2, x ×1 = 7 attempts, each with executor time.
    expect(byKind.run_started).toEqual({ n: 3, q: 3 });
    expect(byKind.step_executed).toEqual({ n: 7, q: 7 });
    expect(byKind.worker_seconds?.n).toBe(7);
    expect(byKind.worker_seconds?.q).toBeGreaterThanOrEqual(4 * FLAKY_MS);
    // An ended attempt updated again (a waiting step resolved does this) adds nothing.
    await t.db.ownerTx((tx) =>
      tx.query(`update step_attempts set outcome = outcome where tenant_id = $1`, [a.tenantId]),
    );
    const again = await t.db.ownerTx((tx) =>
      tx.query<{ n: string }>(`select count(*) as n from usage_events where tenant_id = $1`, [a.tenantId]),
    );
    expect(Number(again.rows[0]?.n)).toBe(events.rows.reduce((sum, r) => sum + Number(r.n), 0));
  });

  for (const groupBy of GROUP_BYS) {
    it(`groupBy=${groupBy} gives the exact totals of the scripted workload`, async () => {
      const facts = await factsOf(a.tenantId, tz);
      const res = await usage(a, `?groupBy=${groupBy}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ groupBy, timeZone: tz });
      const expected = expectedGroups(facts, groupBy);
      const got = new Map<string | null, typeof ZERO>(
        (body.data as (typeof ZERO & { group: string | null })[]).map((g) => [
          g.group,
          Object.fromEntries(FIGURES.map((f) => [f, g[f]])) as typeof ZERO,
        ]),
      );
      expect(got).toEqual(expected);
      const total = totalOf(facts);
      expect(body.total).toMatchObject(total);
      expect(total).toMatchObject({ calls: 4, cacheHits: 1, runs: 3, steps: 7 });
      expect(total.calls + total.cacheHits).toBe(5); // three direct, two from the ask steps
      expect(body.total.costUsd).toBe(
        `${Math.floor(total.costMicroUsd / 1e6)}.${String(total.costMicroUsd % 1e6).padStart(6, '0')}`,
      );
      expect(body.total.workerSeconds).toBe(
        `${Math.floor(total.workerMs / 1000)}.${String(total.workerMs % 1000).padStart(3, '0')}`,
      );
    });
  }

  it('workflow and key groups carry the names of the workflow and the API key', async () => {
    const byWorkflow = (await usage(a, '?groupBy=workflow')).json().data as {
      name: string | null;
      runs: number;
    }[];
    expect(byWorkflow.map((g) => [g.name, g.runs]).sort()).toEqual(
      [
        ['ask-then-flaky', 2],
        ['one-step', 1],
        [null, 0],
      ].sort(),
    );
    const byKey = (await usage(a, '?groupBy=key')).json().data as {
      group: string | null;
      name: string | null;
      calls: number;
      cacheHits: number;
    }[];
    expect(byKey.find((g) => g.group === a.keyIds.developer)).toMatchObject({
      name: 'usage-a developer key',
      calls: 2,
      cacheHits: 1,
    });
  });

  it("tenant B sees only its own usage, and A's report none of B's", async () => {
    const body = (await usage(b, '?groupBy=workflow')).json();
    expect(body.timeZone).toBe('UTC');
    expect(body.total).toMatchObject({
      ...totalOf(await factsOf(b.tenantId, 'UTC')),
      calls: 1,
      runs: 1,
      steps: 1,
    });
    const aTotal = (await usage(a, '')).json().total;
    expect(aTotal).toMatchObject(totalOf(await factsOf(a.tenantId, tz)));
  });

  it("a range after the events is empty; days are the tenant's; billing and viewer may read", async () => {
    const today = dayIn(tz, new Date());
    const days = (await usage(a, '?groupBy=day', 'billing')).json();
    expect((days.data as { group: string }[]).map((g) => g.group)).toContain(today);
    const tomorrow = new Date(`${today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const next = tomorrow.toISOString().slice(0, 10);
    const empty = (await usage(a, `?from=${next}&to=${next}T23:00:00%2B13:00`)).json();
    expect(empty.data).toEqual([]);
    expect(empty.total).toMatchObject({ ...ZERO, storedBytes: null });
  });

  it('bad ranges and groups are refused with their codes', async () => {
    const cases: [string, number, string][] = [
      ['?from=2026-03-02&to=2026-03-01', 400, 'USAGE_RANGE_INVALID'],
      ['?from=2026-03-01&to=2026-03-01', 400, 'USAGE_RANGE_INVALID'],
      ['?from=2025-01-01&to=2026-01-03', 400, 'USAGE_RANGE_TOO_LONG'],
      ['?groupBy=hour', 400, 'VALIDATION_FAILED'],
      ['?from=yesterday', 400, 'VALIDATION_FAILED'],
      ['?to=2026-13-01', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code] of cases) {
      const res = await usage(a, query);
      expect([query, res.statusCode, res.json().error?.code]).toEqual([query, status, code]);
    }
    // 366 days, across a leap day, is the longest range.
    expect((await usage(a, '?from=2023-06-01&to=2024-06-01')).statusCode).toBe(200);
  });
});
