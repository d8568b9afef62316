import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRun, startRun, startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors, StepError, type StepExecutor } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { createGatewayApp, recordedCalls, type GatewayApp } from '../support/gateway.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * GET /v1/tenant/observability over a scripted set of runs executed by a real worker, with LLM
 * calls through the real gateway. The gateway's clock is set per run; afterwards the runs'
 * creation times and the attempts' start and end are moved (as the owner) to scripted values,
 * so buckets and percentiles are known exactly.
 */
const T0 = Date.parse('2026-03-10T14:00:00.000Z'); // 23:00 in Asia/Tokyo (UTC+9, no DST)
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TIME_ZONE = 'Asia/Tokyo';

type Final = 'succeeded' | 'failed' | 'cancelled';
interface Planned {
  workflow: 'summarise' | 'export' | 'import' | 'nap';
  mode: 'ok' | 'fail';
  /** Minutes after T0 the run is said to have been created (and its LLM call made). */
  at: number;
  state: Final;
}

const PLAN_A: Planned[] = [
  { workflow: 'summarise', mode: 'ok', at: 5, state: 'succeeded' },
  { workflow: 'export', mode: 'fail', at: 10, state: 'failed' },
  { workflow: 'import', mode: 'fail', at: 15, state: 'failed' },
  { workflow: 'summarise', mode: 'ok', at: 25, state: 'succeeded' },
  { workflow: 'summarise', mode: 'ok', at: 65, state: 'succeeded' },
  { workflow: 'export', mode: 'fail', at: 70, state: 'failed' },
  { workflow: 'import', mode: 'ok', at: 75, state: 'succeeded' },
  { workflow: 'nap', mode: 'ok', at: 80, state: 'cancelled' },
  { workflow: 'export', mode: 'fail', at: 130, state: 'failed' },
  { workflow: 'export', mode: 'ok', at: 135, state: 'succeeded' },
];
const PLAN_B: Planned[] = [{ workflow: 'export', mode: 'fail', at: 10, state: 'failed' }];

const DEFINITIONS = {
  summarise: {
    name: 'summarise',
    steps: [
      {
        id: 'ask',
        type: 'llm.chat',
        with: { model: 'simulated/sim-small', prompt: 'Summarise the sea', maxTokens: 20 },
      },
      { id: 'shape', type: 'transform', needs: ['ask'], with: { value: '{{ steps.ask.output.text }}' } },
    ],
  },
  // Retried once (a retryable failure): a failing run has two failed attempts.
  export: {
    name: 'export',
    steps: [
      {
        id: 'push',
        type: 'task',
        with: { queue: 'q', input: { mode: '{{ input.mode }}' } },
        retry: { maxAttempts: 2, backoff: { initial: '10ms', max: '10ms', jitter: 0 } },
      },
    ],
  },
  import: {
    name: 'import',
    steps: [{ id: 'pull', type: 'task', with: { queue: 'q', input: { mode: '{{ input.mode }}' } } }],
  },
  nap: { name: 'nap', steps: [{ id: 'nap', type: 'sleep', with: { duration: '1h' } }] },
};

/** The scripted task: `mode: fail` fails (retryably, so the step's policy decides). */
const scriptedTask: StepExecutor = {
  type: 'task',
  execute: async (ctx) => {
    const { input } = ctx.input as { input: { mode: string } };
    if (input.mode === 'fail') throw new StepError('EXPORT_REFUSED', 'scripted failure', true);
    return { kind: 'completed', output: { done: true } };
  },
};

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower] as number;
  const high = sorted[Math.ceil(position)] as number;
  return low + (high - low) * (position - lower);
}

const STATES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
const countsOf = (plans: readonly Planned[]) =>
  Object.fromEntries(STATES.map((state) => [state, plans.filter((p) => p.state === state).length]));

/** The Tokyo calendar day of an instant. */
const tokyoDay = (ms: number) => new Date(ms + 9 * HOUR).toISOString().slice(0, 10);

interface Attempt {
  runId: string;
  stepType: string;
  outcome: string;
  durationMs: number;
}

describe('tenant observability API', () => {
  let t: TestDatabase;
  let ga: GatewayApp;
  let a: TestTenant;
  let b: TestTenant;
  let worker: Worker;
  let clock = T0;
  const attempts = new Map<string, Attempt[]>();

  /** Starts each planned run in order and waits for it to end (or, for `nap`, to wait, then cancels it). */
  async function execute(tenant: TestTenant, plans: readonly Planned[], durationBase: number) {
    const ids: string[] = [];
    for (const plan of plans) {
      clock = T0 + plan.at * MINUTE;
      const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
        startRun(tx, tenant.tenantId, {
          workflowName: plan.workflow,
          input: { mode: plan.mode },
          idempotencyKey: null,
        }),
      );
      if (plan.workflow === 'nap') {
        await waitForRun(t.db, tenant.tenantId, runId, ['waiting']);
        await t.db.tenantTx(tenant.tenantId, (tx) => cancelRun(tx, tenant.tenantId, runId, 'scripted'));
      }
      expect((await waitForRun(t.db, tenant.tenantId, runId)).state).toBe(plan.state);
      ids.push(runId);
    }
    // The scripted clock: creation at T0 + at, each attempt 1 s later per attempt, lasting 7 ms more than the last.
    const list: Attempt[] = [];
    await t.db.ownerTx(async (tx) => {
      for (const [index, plan] of plans.entries()) {
        const runId = ids[index] as string;
        const created = new Date(T0 + plan.at * MINUTE);
        await tx.query('update runs set created_at = $3 where tenant_id = $1 and id = $2', [
          tenant.tenantId,
          runId,
          created,
        ]);
        const rows = await tx.query<{
          step_key: string;
          attempt: number;
          outcome: string;
          step_type: string;
        }>(
          `select a.step_key, a.attempt, a.outcome, s.step_type
             from step_attempts a join run_steps s using (tenant_id, run_id, step_key)
            where a.tenant_id = $1 and a.run_id = $2 order by a.step_key, a.attempt`,
          [tenant.tenantId, runId],
        );
        for (const [n, row] of rows.rows.entries()) {
          const durationMs = durationBase + 7 * list.length;
          const started = new Date(created.getTime() + (n + 1) * 1000);
          await tx.query(
            `update step_attempts set started_at = $5, ended_at = $5::timestamptz + $6 * interval '1 millisecond'
              where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
            [tenant.tenantId, runId, row.step_key, row.attempt, started, durationMs],
          );
          list.push({ runId, stepType: row.step_type, outcome: row.outcome, durationMs });
        }
      }
    });
    attempts.set(tenant.tenantId, list);
    return ids;
  }

  const observe = async (tenant: TestTenant, query: string) => {
    const response = await ga.app.inject({
      method: 'GET',
      url: `/v1/tenant/observability${query}`,
      headers: bearer(tenant.keys.viewer),
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    ga = createGatewayApp(t.db, { now: () => clock });
    a = await seedTenant(t.db, 'observed-a');
    b = await seedTenant(t.db, 'observed-b');
    await t.db.ownerTx((tx) =>
      tx.query('update tenants set time_zone = $1 where id = $2', [TIME_ZONE, a.tenantId]),
    );
    for (const definition of Object.values(DEFINITIONS))
      await publishDefinition(t.db, a.tenantId, definition);
    await publishDefinition(t.db, b.tenantId, DEFINITIONS.export);
    worker = await startWorker(
      {
        db: t.db,
        logger: createLogger({ level: 'silent' }),
        executors: createBuiltinExecutors([scriptedTask], { gateway: ga.gateway }),
      },
      { pool: 'shared', workerId: 'observed', concurrency: 2, leaseMs: 5_000, pollMs: 50, maintenanceMs: 50 },
    );
    await execute(a, PLAN_A, 40);
    // Tenant B's attempts are far slower: any of them in A's percentiles would show.
    await execute(b, PLAN_B, 90_000);
    await ga.gateway.flush();
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await ga?.app.close();
    await t?.drop();
  });

  const HOURLY = `?from=${new Date(T0 - HOUR).toISOString()}&to=${new Date(T0 + 4 * HOUR).toISOString()}&bucket=hour`;

  it('counts runs by state per hour of the tenant, empty hours included, with the failure rate', async () => {
    const { status, body } = await observe(a, HOURLY);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      bucket: 'hour',
      timeZone: TIME_ZONE,
      from: new Date(T0 - HOUR).toISOString(),
    });
    const expected = [-1, 0, 1, 2, 3].map((hour) => {
      const inHour = PLAN_A.filter((p) => Math.floor(p.at / 60) === hour);
      return {
        start: new Date(T0 + hour * HOUR).toISOString(),
        counts: countsOf(inHour),
        total: inHour.length,
      };
    });
    expect(body.runs.buckets).toEqual(expected);
    expect(body.runs.totals).toEqual(countsOf(PLAN_A));
    expect(body.runs.total).toBe(PLAN_A.length);
    // 4 failed of 9 that succeeded or failed: the cancelled nap is neither.
    expect(body.runs.failureRate).toBe(4 / 9);
  });

  it('cuts day buckets at midnight in the tenant time zone', async () => {
    const tokyoMidnight = Date.parse('2026-03-09T15:00:00.000Z');
    const { status, body } = await observe(
      a,
      `?from=${new Date(tokyoMidnight + 3 * HOUR).toISOString()}&to=${new Date(tokyoMidnight + 48 * HOUR).toISOString()}&bucket=day`,
    );
    expect(status).toBe(200);
    const firstDay = PLAN_A.filter((p) => p.at < 60);
    const secondDay = PLAN_A.filter((p) => p.at >= 60);
    expect(body.runs.buckets).toEqual([
      { start: '2026-03-09T15:00:00.000Z', counts: countsOf(firstDay), total: firstDay.length },
      { start: '2026-03-10T15:00:00.000Z', counts: countsOf(secondDay), total: secondDay.length },
    ]);
  });

  it('gives p50 and p95 step latency by step type over the attempts that succeeded or failed', async () => {
    const { body } = await observe(a, HOURLY);
    const ran = (attempts.get(a.tenantId) ?? []).filter(
      (x) => x.outcome === 'succeeded' || x.outcome === 'failed',
    );
    const types = [...new Set(ran.map((x) => x.stepType))].sort();
    expect(types).toEqual(['llm.chat', 'task', 'transform']);
    // The cancelled nap's sleep attempt did not end on its own: it is not among them.
    expect((attempts.get(a.tenantId) ?? []).some((x) => x.stepType === 'sleep')).toBe(true);
    const expected = types.map((stepType) => {
      const of = ran.filter((x) => x.stepType === stepType);
      const ms = of.map((x) => x.durationMs);
      return {
        stepType,
        attempts: of.length,
        succeeded: of.filter((x) => x.outcome === 'succeeded').length,
        failed: of.filter((x) => x.outcome === 'failed').length,
        p50Ms: percentileCont(ms, 0.5),
        p95Ms: percentileCont(ms, 0.95),
      };
    });
    // Task attempts: 3 failed export runs × 2, 1 failed import, 2 that succeeded.
    expect(expected.find((s) => s.stepType === 'task')).toMatchObject({
      attempts: 9,
      succeeded: 2,
      failed: 7,
    });
    expect(body.steps).toHaveLength(expected.length);
    for (const [i, step] of expected.entries()) {
      const got = body.steps[i];
      expect(got).toMatchObject({
        stepType: step.stepType,
        attempts: step.attempts,
        succeeded: step.succeeded,
        failed: step.failed,
      });
      expect(got.p50Ms).toBeCloseTo(step.p50Ms, 2);
      expect(got.p95Ms).toBeCloseTo(step.p95Ms, 2);
    }
  });

  it('sums spend by model and day of the tenant time zone from the recorded calls', async () => {
    const { body } = await observe(a, HOURLY);
    const calls = (await recordedCalls(t.db, ga.gateway, a.tenantId)).filter(
      (c) => c.outcome === 'succeeded',
    );
    expect(calls).toHaveLength(3);
    const byDay = new Map<string, { calls: number; tokensIn: number; tokensOut: number; cost: number }>();
    for (const call of calls) {
      const day = tokyoDay(new Date(call.created_at as string).getTime());
      const sum = byDay.get(day) ?? { calls: 0, tokensIn: 0, tokensOut: 0, cost: 0 };
      sum.calls += 1;
      sum.tokensIn += Number(call.tokens_in);
      sum.tokensOut += Number(call.tokens_out);
      sum.cost += Number(call.cost_micro_usd);
      byDay.set(day, sum);
    }
    // Two calls late on 10 March in Tokyo, one just after its midnight (15:05 UTC).
    expect([...byDay.keys()].sort()).toEqual(['2026-03-10', '2026-03-11']);
    expect(byDay.get('2026-03-10')?.calls).toBe(2);
    expect(body.spend.days).toEqual(
      [...byDay.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([day, sum]) => ({
          day,
          provider: 'simulated',
          model: 'sim-small',
          calls: sum.calls,
          cacheHits: 0,
          tokensIn: sum.tokensIn,
          tokensOut: sum.tokensOut,
          tokensCached: 0,
          costMicroUsd: sum.cost,
        })),
    );
    const total = calls.reduce((s, c) => s + Number(c.cost_micro_usd), 0);
    expect(total).toBeGreaterThan(0);
    expect(body.spend.totalMicroUsd).toBe(total);
  });

  it('lists the workflows with failed runs, most failures first, with their rate', async () => {
    const { body } = await observe(a, HOURLY);
    expect(body.failingWorkflows.map((w: { name: string }) => w.name)).toEqual(['export', 'import']);
    expect(body.failingWorkflows).toMatchObject([
      { name: 'export', runs: 4, failed: 3, failureRate: 0.75 },
      { name: 'import', runs: 2, failed: 1, failureRate: 0.5 },
    ]);
    const top = await observe(a, `${HOURLY}&top=1`);
    expect(top.body.failingWorkflows).toHaveLength(1);
  });

  it('counts only what falls inside [from, to)', async () => {
    const { body } = await observe(
      a,
      `?from=${new Date(T0 + HOUR).toISOString()}&to=${new Date(T0 + 2 * HOUR).toISOString()}`,
    );
    const inside = PLAN_A.filter((p) => p.at >= 60 && p.at < 120);
    expect(body.runs.buckets).toEqual([
      { start: new Date(T0 + HOUR).toISOString(), counts: countsOf(inside), total: inside.length },
    ]);
    expect(body.failingWorkflows).toMatchObject([{ name: 'export', runs: 1, failed: 1, failureRate: 1 }]);
    expect(body.spend.days.map((d: { day: string; calls: number }) => [d.day, d.calls])).toEqual([
      ['2026-03-11', 1],
    ]);
  });

  it("tenant B sees only its own run, and none of A's steps, spend or workflows", async () => {
    const { body } = await observe(b, HOURLY);
    expect(body.timeZone).toBe('UTC');
    expect(body.runs.total).toBe(1);
    expect(body.runs.totals).toEqual(countsOf(PLAN_B));
    expect(body.spend).toEqual({ days: [], totalMicroUsd: 0 });
    // B's two attempts lasted 90 000 and 90 007 ms.
    expect(body.steps).toMatchObject([{ stepType: 'task', attempts: 2, succeeded: 0, failed: 2 }]);
    expect(body.steps[0].p50Ms).toBeCloseTo(90_003.5, 2);
    expect(body.steps[0].p95Ms).toBeCloseTo(90_006.65, 2);
    expect(body.failingWorkflows).toMatchObject([{ name: 'export', runs: 1, failed: 1, failureRate: 1 }]);
    const [aExport] = (await observe(a, HOURLY)).body.failingWorkflows;
    expect(body.failingWorkflows[0].workflowId).not.toBe(aExport.workflowId);
  });

  it('answers the last day by hour when no range is given', async () => {
    const { status, body } = await observe(a, '');
    expect(status).toBe(200);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * HOUR);
    expect(body.bucket).toBe('hour');
    expect(body.runs.total).toBe(0);
    const byDay = await observe(a, `?bucket=day&to=${new Date(T0 + 4 * HOUR).toISOString()}`);
    expect(Date.parse(byDay.body.to) - Date.parse(byDay.body.from)).toBe(30 * 24 * HOUR);
    expect(byDay.body.runs.total).toBe(PLAN_A.length);
  });

  it.each([
    [
      'from equal to to',
      `?from=${new Date(T0).toISOString()}&to=${new Date(T0).toISOString()}`,
      'STATS_RANGE_INVALID',
    ],
    [
      'from after to',
      `?from=${new Date(T0 + HOUR).toISOString()}&to=${new Date(T0).toISOString()}`,
      'STATS_RANGE_INVALID',
    ],
    [
      '32 days by hour',
      `?from=${new Date(T0 - 32 * 24 * HOUR).toISOString()}&to=${new Date(T0).toISOString()}`,
      'STATS_RANGE_TOO_LONG',
    ],
    [
      '367 days by day',
      `?bucket=day&from=${new Date(T0 - 367 * 24 * HOUR).toISOString()}&to=${new Date(T0).toISOString()}`,
      'STATS_RANGE_TOO_LONG',
    ],
    ['a bucket of a week', '?bucket=week', 'VALIDATION_FAILED'],
    ['a from that is no time', '?from=yesterday', 'VALIDATION_FAILED'],
    ['top 0', '?top=0', 'VALIDATION_FAILED'],
    ['an unknown parameter', '?tenant=other', 'UNKNOWN_FIELD'],
  ])('refuses %s with 400 %s', async (_label, query, code) => {
    const { status, body } = await observe(a, query);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
  });

  it('answers 32 days by day', async () => {
    const { status, body } = await observe(
      a,
      `?bucket=day&from=${new Date(T0 - 31 * 24 * HOUR).toISOString()}&to=${new Date(T0 + 24 * HOUR).toISOString()}`,
    );
    expect(status).toBe(200);
    expect(body.runs.buckets).toHaveLength(33);
  });
});
