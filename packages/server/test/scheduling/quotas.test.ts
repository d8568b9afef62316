import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { createSchedule, fireSchedule } from '../../src/engine/index.ts';
import {
  OPERATOR_CLI_ACTOR,
  updateTenantOverrides,
  type OverridesPatch,
} from '../../src/scheduling/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const TWO_STEPS = {
  name: 'two',
  on: { events: [{ name: 'order.placed' }] },
  steps: [
    { id: 'a', type: 'transform', with: { value: 1 } },
    { id: 'b', type: 'transform', needs: ['a'], with: { value: 2 } },
  ],
};

describe('quotas at run start', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });
  beforeEach(async () => {
    tenant = await seedTenant(t.db, 'quota');
    await publishDefinition(t.db, tenant.tenantId, TWO_STEPS);
  });

  const limit = (patch: OverridesPatch) =>
    t.db.systemTx((sys) =>
      updateTenantOverrides(sys, tenant.tenantId, patch, {
        actor: OPERATOR_CLI_ACTOR,
        requestId: null,
        ip: null,
      }),
    );
  const start = (input: unknown = {}, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/workflows/two/runs',
      headers: { ...bearer(tenant.keys.developer), ...headers },
      payload: { input },
    });
  /** Every row a run start writes, and the tenant's counters. */
  const rows = () =>
    t.db.ownerTx(async (tx) => {
      const count = async (table: string) =>
        Number(
          (
            await tx.query<{ n: string }>(`select count(*) as n from ${table} where tenant_id = $1`, [
              tenant.tenantId,
            ])
          ).rows[0]?.n,
        );
      const counters = await tx.query(
        `select o.open_runs::int as open_runs, c.window_starts, c.previous_window_starts
           from tenant_counters c join tenant_open_runs o on o.tenant_id = c.tenant_id where c.tenant_id = $1`,
        [tenant.tenantId],
      );
      return {
        runs: await count('runs'),
        run_steps: await count('run_steps'),
        step_queue: await count('step_queue'),
        counters: counters.rows[0],
      };
    });

  it('an input over max_payload_bytes is refused with 413 PAYLOAD_TOO_LARGE and creates nothing', async () => {
    await limit({ maxPayloadBytes: 1024 });
    const before = await rows();
    const res = await start({ blob: 'x'.repeat(1100) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 'max_payload_bytes', max: 1024 },
    });
    expect(await rows()).toEqual(before);
    expect((await start({ blob: 'x'.repeat(900) })).statusCode).toBe(201);
  });

  it('a run with more steps than max_steps_per_run is refused with 422 RUN_TOO_LARGE and creates nothing', async () => {
    await limit({ maxStepsPerRun: 1 });
    const before = await rows();
    const res = await start();
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'RUN_TOO_LARGE',
      message: 'The run has 2 steps; the plan allows 1',
      details: { limit: 'max_steps_per_run', max: 1, actual: 2 },
    });
    expect(await rows()).toEqual(before);
  });

  it('the start over run_starts_per_minute is refused with 429 RUN_RATE_LIMITED, Retry-After, and creates nothing', async () => {
    await limit({ runStartsPerMinute: 2 });
    expect((await start()).statusCode).toBe(201);
    expect((await start()).statusCode).toBe(201);
    const before = await rows();
    const res = await start();
    expect(res.statusCode).toBe(429);
    const error = res.json().error;
    expect(error).toMatchObject({
      code: 'RUN_RATE_LIMITED',
      details: { limit: 'run_starts_per_minute', max: 2 },
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBe(error.details.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(await rows()).toEqual(before);
  });

  it('the start over queued_runs_max is refused with 429 QUEUE_FULL and Retry-After 5, and creates nothing', async () => {
    await limit({ queuedRunsMax: 1 });
    expect((await start()).statusCode).toBe(201);
    const before = await rows();
    expect(before.counters).toMatchObject({ open_runs: 1 });
    const res = await start();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error).toMatchObject({
      code: 'QUEUE_FULL',
      details: { limit: 'queued_runs_max', max: 1, retryAfterSeconds: 5 },
    });
    expect(await rows()).toEqual(before);
  });

  it('a finished run frees its place under queued_runs_max, and retrying it takes the place again', async () => {
    await limit({ queuedRunsMax: 1 });
    const first = await start();
    expect(first.statusCode).toBe(201);
    const id = first.json<{ run: { id: string } }>().run.id;
    const post = (url: string) => app.inject({ method: 'POST', url, headers: bearer(tenant.keys.owner) });
    expect((await post(`/v1/runs/${id}/cancel`)).statusCode).toBe(200);
    expect((await rows()).counters).toMatchObject({ open_runs: 0 });
    expect((await post(`/v1/runs/${id}/retry`)).statusCode).toBe(200);
    expect((await rows()).counters).toMatchObject({ open_runs: 1 });
    expect((await start()).json().error).toMatchObject({ code: 'QUEUE_FULL' });
  });

  it('runs ending and retried at once on many connections keep the open-run count exact', async () => {
    await limit({ queuedRunsMax: 20, runStartsPerMinute: 100 });
    const ids = (await Promise.all(Array.from({ length: 16 }, () => start()))).map(
      (res) => res.json<{ run: { id: string } }>().run.id,
    );
    expect((await rows()).counters).toMatchObject({ open_runs: 16 });
    const post = (url: string) => app.inject({ method: 'POST', url, headers: bearer(tenant.keys.owner) });
    const cancelled = await Promise.all(ids.map((id) => post(`/v1/runs/${id}/cancel`)));
    expect(cancelled.map((res) => res.statusCode)).toEqual(ids.map(() => 200));
    expect((await rows()).counters).toMatchObject({ open_runs: 0 });
    const retried = await Promise.all(ids.slice(0, 6).map((id) => post(`/v1/runs/${id}/retry`)));
    expect(retried.map((res) => res.statusCode)).toEqual(ids.slice(0, 6).map(() => 200));
    expect((await rows()).counters).toMatchObject({ open_runs: 6 });
    await limit({ queuedRunsMax: 6 });
    expect((await start()).json().error).toMatchObject({ code: 'QUEUE_FULL' });
  });

  it('an idempotent replay is neither refused nor counted at the limit', async () => {
    await limit({ runStartsPerMinute: 1, queuedRunsMax: 1 });
    const first = await start({}, { 'idempotency-key': 'order-1' });
    expect(first.statusCode).toBe(201);
    const before = await rows();
    const replay = await start({}, { 'idempotency-key': 'order-1' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().run.id).toBe(first.json().run.id);
    expect(await rows()).toEqual(before);
    expect((await start({}, { 'idempotency-key': 'order-2' })).statusCode).toBe(429);
  });

  it('30 concurrent starts against a limit of 10 admit exactly 10', async () => {
    await limit({ runStartsPerMinute: 10 });
    const results = await Promise.all(Array.from({ length: 30 }, () => start()));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    expect(
      results.filter((r) => r.statusCode === 429).every((r) => r.json().error.code === 'RUN_RATE_LIMITED'),
    ).toBe(true);
    expect((await rows()).runs).toBe(10);
  });

  it('a rate-limited schedule fire starts no run and is recorded as the schedule’s last error', async () => {
    await limit({ runStartsPerMinute: 1 });
    expect((await start()).statusCode).toBe(201);
    const now = new Date();
    const schedule = await t.db.tenantTx(tenant.tenantId, (tx) =>
      createSchedule(
        tx,
        tenant.tenantId,
        {
          workflowName: 'two',
          cron: '* * * * *',
          timezone: 'UTC',
          input: {},
          catchUp: 'latest',
          description: '',
          paused: false,
          createdBy: 'test',
        },
        new Date(now.getTime() - 180_000),
      ),
    );
    const fired = await t.db.tenantTx(tenant.tenantId, (tx) =>
      fireSchedule(tx, tenant.tenantId, schedule.id, now),
    );
    expect(fired?.fires).toHaveLength(1);
    expect(fired?.fires[0]).toMatchObject({ runId: null, error: { code: 'RUN_RATE_LIMITED' } });
    const view = await app.inject({
      method: 'GET',
      url: `/v1/schedules/${schedule.id}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(view.json().lastError).toMatchObject({ code: 'RUN_RATE_LIMITED' });
    expect((await rows()).runs).toBe(1);
  });

  it('a rate-limited event is kept, with the workflow in its skipped list under RUN_RATE_LIMITED', async () => {
    await limit({ runStartsPerMinute: 1 });
    expect((await start()).statusCode).toBe(201);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(tenant.keys.developer),
      payload: { name: 'order.placed', payload: {} },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().event).toMatchObject({
      runs: [],
      skipped: [{ workflow: 'two', code: 'RUN_RATE_LIMITED' }],
    });
    expect((await rows()).runs).toBe(1);
  });
});
