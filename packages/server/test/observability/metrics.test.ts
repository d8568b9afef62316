import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { parseExposition, sumOf, type Family } from '../support/prometheus-text.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestServer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * /metrics after a scripted workload on the real test app and a real worker: runs through the
 * API, LLM steps through the gateway on the simulated provider. Figures must equal the database.
 */
const WORKER = { pool: 'shared', workerId: 'metrics-worker', concurrency: 4, leaseMs: 5_000, pollMs: 50 };
const ASK = {
  name: 'ask',
  steps: [
    {
      id: 'ask',
      type: 'llm.chat',
      with: { model: 'simulated/sim-small', prompt: 'Say hello to {{ input.name }}', maxTokens: 30 },
    },
  ],
};
// An unpriced model is refused by the gateway: a failed run with a refused call, not in the ledger.
const BROKEN = {
  name: 'broken',
  steps: [
    {
      id: 'ask',
      type: 'llm.chat',
      retry: { maxAttempts: 1 },
      with: { model: 'simulated/sim-unpriced', prompt: 'Hello' },
    },
  ],
};

describe('metrics after a scripted workload', () => {
  let t: TestDatabase;
  let server: ReturnType<typeof createTestServer>;
  let worker: Worker;
  let a: TestTenant;
  let b: TestTenant;
  let families: Map<string, Family>;
  let text: string;
  const workflowIds: Record<string, string> = {};
  let budgetId: string;
  let brokenRunId: string;

  const startRuns = async (tenant: TestTenant, workflow: string, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const response = await server.app.inject({
        method: 'POST',
        url: `/v1/workflows/${workflow}/runs`,
        headers: bearer(tenant.keys.developer),
        payload: { input: { name: `n${i}` } },
      });
      expect(response.statusCode, response.body).toBe(201);
      ids.push((response.json() as { run: { id: string } }).run.id);
    }
    return ids;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    server = createTestServer(t.db);
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into llm_models (provider, model, kind, context_tokens) values ('simulated', 'sim-unpriced', 'chat', 1000)`,
      ),
    );
    a = await seedTenant(t.db, 'metrics-a');
    b = await seedTenant(t.db, 'metrics-b');
    for (const tenant of [a, b]) {
      workflowIds[`${tenant.tenantId}:ask`] = (
        await publishDefinition(t.db, tenant.tenantId, ASK)
      ).workflowId;
    }
    workflowIds[`${b.tenantId}:broken`] = (await publishDefinition(t.db, b.tenantId, BROKEN)).workflowId;
    const budget = await server.app.inject({
      method: 'POST',
      url: '/v1/budgets',
      headers: bearer(a.keys.owner),
      payload: { name: 'monthly', scope: 'tenant', period: 'monthly', limitUsd: '1', kind: 'hard' },
    });
    expect(budget.statusCode, budget.body).toBe(201);
    budgetId = (budget.json() as { id: string }).id;
    worker = await startWorker(
      {
        db: server.db,
        logger: createLogger({ level: 'silent' }),
        executors: createBuiltinExecutors([], { gateway: server.gateway }),
        metrics: server.metrics,
      },
      { ...WORKER, maintenanceMs: 50 },
    );
    const runs = [
      ...(await startRuns(a, 'ask', 3)).map((id) => [a, id] as const),
      ...(await startRuns(b, 'ask', 2)).map((id) => [b, id] as const),
      ...(await startRuns(b, 'broken', 1)).map((id) => [b, id] as const),
    ];
    brokenRunId = runs.at(-1)?.[1] as string;
    for (const [tenant, id] of runs) await waitForRun(t.db, tenant.tenantId, id);
    await server.gateway.flush();
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    text = response.body;
    families = parseExposition(text);
  });
  afterAll(async () => {
    await worker.stop();
    await server.app.close();
    await t.drop();
  });

  it('parses as the Prometheus text format and names every metric shoal_', () => {
    expect(families.size).toBeGreaterThan(15);
    for (const name of families.keys()) expect(name).toMatch(/^shoal_/);
    for (const family of families.values()) expect(family.help.length).toBeGreaterThan(0);
  });

  it('counts the runs started and finished per tenant, workflow and final state', () => {
    const askA = workflowIds[`${a.tenantId}:ask`] as string;
    const askB = workflowIds[`${b.tenantId}:ask`] as string;
    const brokenB = workflowIds[`${b.tenantId}:broken`] as string;
    expect(sumOf(families, 'shoal_runs_started_total', { tenant: a.tenantId, workflow: askA })).toBe(3);
    expect(sumOf(families, 'shoal_runs_started_total', { tenant: b.tenantId, workflow: askB })).toBe(2);
    expect(sumOf(families, 'shoal_runs_started_total', { tenant: b.tenantId, workflow: brokenB })).toBe(1);
    expect(
      sumOf(families, 'shoal_runs_finished_total', {
        tenant: a.tenantId,
        workflow: askA,
        state: 'succeeded',
      }),
    ).toBe(3);
    expect(
      sumOf(families, 'shoal_runs_finished_total', {
        tenant: b.tenantId,
        workflow: askB,
        state: 'succeeded',
      }),
    ).toBe(2);
    expect(
      sumOf(families, 'shoal_runs_finished_total', {
        tenant: b.tenantId,
        workflow: brokenB,
        state: 'failed',
      }),
    ).toBe(1);
    expect(sumOf(families, 'shoal_runs_finished_total')).toBe(6);
  });

  it('counts step attempts and their durations by step type and outcome', () => {
    const attempts = (tenant: string, outcome: string) =>
      sumOf(families, 'shoal_step_attempts_total', { tenant, step_type: 'llm.chat', outcome });
    expect(attempts(a.tenantId, 'succeeded')).toBe(3);
    expect(attempts(b.tenantId, 'succeeded')).toBe(2);
    expect(attempts(b.tenantId, 'failed')).toBe(1);
    const durations = (outcome: string) =>
      sumOf(
        families,
        'shoal_step_duration_seconds',
        { step_type: 'llm.chat', outcome },
        'shoal_step_duration_seconds_count',
      );
    expect(durations('succeeded')).toBe(5);
    expect(durations('failed')).toBe(1);
    expect(
      sumOf(families, 'shoal_queue_wait_seconds', { pool: 'shared' }, 'shoal_queue_wait_seconds_count'),
    ).toBeGreaterThanOrEqual(6);
  });

  it("counts each tenant's gateway tokens and cost exactly as the usage ledger has them", async () => {
    for (const tenant of [a, b]) {
      const ledger = await t.db.ownerTx((tx) =>
        tx.query<{ tokens_in: string; tokens_out: string; tokens_cached: string; cost: string; n: string }>(
          `select coalesce(sum(tokens_in), 0)::text as tokens_in, coalesce(sum(tokens_out), 0)::text as tokens_out,
                  coalesce(sum(tokens_cached), 0)::text as tokens_cached,
                  coalesce(sum(cost_micro_usd), 0)::text as cost, count(*)::text as n
             from usage_events where tenant_id = $1 and kind in ('llm_call', 'cache_hit')`,
          [tenant.tenantId],
        ),
      );
      const row = ledger.rows[0];
      expect(Number(row?.n)).toBe(tenant === a ? 3 : 2);
      const tokens = (kind: string) =>
        sumOf(families, 'shoal_gateway_tokens_total', { tenant: tenant.tenantId, kind });
      expect(tokens('in')).toBe(Number(row?.tokens_in));
      expect(tokens('out')).toBe(Number(row?.tokens_out));
      expect(tokens('cached')).toBe(Number(row?.tokens_cached));
      expect(tokens('in')).toBeGreaterThan(0);
      const cost = sumOf(families, 'shoal_gateway_cost_micro_usd_total', { tenant: tenant.tenantId });
      expect(cost).toBe(Number(row?.cost));
      expect(cost).toBeGreaterThan(0);
    }
    const succeeded = sumOf(families, 'shoal_gateway_requests_total', {
      tenant: a.tenantId,
      provider: 'simulated',
      model: 'sim-small',
      outcome: 'succeeded',
    });
    expect(succeeded).toBe(3);
    const calls = await t.db.ownerTx((tx) =>
      tx.query<{ outcome: string; n: number }>(
        `select outcome, count(*)::int as n from llm_calls where tenant_id = $1 group by outcome`,
        [b.tenantId],
      ),
    );
    for (const { outcome, n } of calls.rows)
      expect(sumOf(families, 'shoal_gateway_requests_total', { tenant: b.tenantId, outcome })).toBe(n);
    expect(calls.rows.find((r) => r.outcome === 'refused')?.n).toBe(1);
    expect(
      sumOf(families, 'shoal_gateway_requests_total', {
        tenant: b.tenantId,
        provider: 'none',
        model: 'none',
        outcome: 'refused',
      }),
    ).toBe(1);
  });

  it('counts HTTP requests by route pattern and status, and the audit events the routes wrote', () => {
    expect(
      sumOf(families, 'shoal_http_requests_total', {
        method: 'POST',
        route: '/v1/workflows/:name/runs',
        status: '201',
      }),
    ).toBe(6);
    expect(text).not.toContain('/v1/workflows/ask/runs');
    expect(
      sumOf(
        families,
        'shoal_http_request_duration_seconds',
        { method: 'POST', route: '/v1/workflows/:name/runs' },
        'shoal_http_request_duration_seconds_count',
      ),
    ).toBe(6);
    expect(sumOf(families, 'shoal_audit_events_total', { tenant: a.tenantId, action: 'runs.start' })).toBe(3);
    expect(sumOf(families, 'shoal_audit_events_total', { tenant: b.tenantId, action: 'runs.start' })).toBe(3);
  });

  it('reads queue depth, running steps and live workers from the database at scrape time', () => {
    expect(sumOf(families, 'shoal_pool_live_workers', { pool: 'shared' })).toBe(1);
    expect(sumOf(families, 'shoal_queue_depth')).toBe(0);
    expect(sumOf(families, 'shoal_steps_running')).toBe(0);
    expect(sumOf(families, 'shoal_metrics_tenants_folded')).toBe(0);
    expect(sumOf(families, 'shoal_budget_reservations_open')).toBe(0);
  });

  it("reports a budget's utilisation as its current period's spend over its limit", async () => {
    const period = await t.db.ownerTx((tx) =>
      tx.query<{ spent: string }>(
        `select spent_micro_usd::text as spent from budget_periods
          where budget_id = $1 and period_start <= now() and now() < period_end`,
        [budgetId],
      ),
    );
    const spent = Number(period.rows[0]?.spent);
    expect(spent).toBeGreaterThan(0);
    expect(sumOf(families, 'shoal_budget_utilisation_ratio', { tenant: a.tenantId, budget: budgetId })).toBe(
      spent / 1_000_000,
    );
    expect(sumOf(families, 'shoal_audit_events_total', { tenant: a.tenantId, action: 'budgets.write' })).toBe(
      1,
    );
  });

  it('counts a retried run as started again, so started minus finished is what is still open', async () => {
    const retried = await server.app.inject({
      method: 'POST',
      url: `/v1/runs/${brokenRunId}/retry`,
      headers: bearer(b.keys.developer),
    });
    expect(retried.statusCode, retried.body).toBe(200);
    const run = await waitForRun(t.db, b.tenantId, brokenRunId);
    expect(run.state).toBe('failed');
    const after = parseExposition((await server.app.inject({ method: 'GET', url: '/metrics' })).body);
    const brokenB = workflowIds[`${b.tenantId}:broken`] as string;
    expect(sumOf(after, 'shoal_runs_started_total', { tenant: b.tenantId, workflow: brokenB })).toBe(2);
    expect(
      sumOf(after, 'shoal_runs_finished_total', { tenant: b.tenantId, workflow: brokenB, state: 'failed' }),
    ).toBe(2);
    expect(sumOf(after, 'shoal_runs_started_total')).toBe(sumOf(after, 'shoal_runs_finished_total'));
  });
});
