import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import { createRun, planSteps, retryRun, startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors, StepError, type StepExecutor } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { publishDefinition } from '../support/publish.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const OPTIONS = {
  pool: 'shared',
  workerId: 'test-worker',
  concurrency: 4,
  leaseMs: 5_000,
  pollMs: 200,
  maintenanceMs: 50,
};

async function steps(db: Database, tenantId: string, runId: string) {
  const rows = await db.tenantTx(tenantId, (tx) =>
    tx.query<{ step_key: string; state: string; attempt: number }>(
      'select step_key, state, attempt from run_steps where run_id = $1 order by step_key',
      [runId],
    ),
  );
  return Object.fromEntries(rows.rows.map((r) => [r.step_key, `${r.state}#${r.attempt}`]));
}

describe('worker', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let worker: Worker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'worker');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(() => t.drop());

  const run = async (
    raw: unknown,
    input: unknown,
    extra: StepExecutor[] = [],
    executors: ReadonlyMap<string, StepExecutor> = createBuiltinExecutors(extra),
  ) => {
    const published = await publishDefinition(t.db, tenant.tenantId, raw);
    const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
      createRun(tx, tenant.tenantId, {
        workflowId: published.workflowId,
        workflowVersion: published.version,
        input,
        steps: planSteps(published.definition),
      }),
    );
    worker ??= await startWorker({ db: t.db, logger: createLogger({ level: 'silent' }), executors }, OPTIONS);
    return runId;
  };

  it('evaluates expressions over input and earlier steps, skips a false `when`, and computes the output', async () => {
    const runId = await run(
      {
        name: 'arith',
        steps: [
          { id: 'a', type: 'transform', with: { value: '{{ input.x + 1 }}' } },
          { id: 'b', type: 'transform', needs: ['a'], with: { value: '{{ steps.a.output * 2 }}' } },
          {
            id: 'never',
            type: 'transform',
            needs: ['a'],
            when: '{{ input.x > 100 }}',
            with: { value: 'no' },
          },
          { id: 'below', type: 'transform', needs: ['never'], with: { value: 'no' } },
          { id: 'c', type: 'transform', needs: ['b', 'never'], with: { value: 'hello {{ input.name }}' } },
        ],
        output: { doubled: '{{ steps.b.output }}', greeting: '{{ steps.c.output }}' },
      },
      { x: 4, name: 'shoal' },
    );
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'succeeded',
      output: { doubled: 10, greeting: 'hello shoal' },
      error_code: null,
    });
    expect(await steps(t.db, tenant.tenantId, runId)).toEqual({
      a: 'succeeded#1',
      b: 'succeeded#1',
      below: 'skipped#0',
      c: 'succeeded#1',
      never: 'skipped#1',
    });
  });

  it('a sleeping step waits without a queue row or a running attempt, then wakes', async () => {
    const runId = await run(
      {
        name: 'nap',
        steps: [
          { id: 'nap', type: 'sleep', with: { duration: '400ms' } },
          { id: 'after', type: 'transform', needs: ['nap'], with: { value: 1 } },
        ],
      },
      {},
    );
    const deadline = Date.now() + 10_000;
    let parked = false;
    while (!parked && Date.now() < deadline) {
      parked = (await steps(t.db, tenant.tenantId, runId)).nap === 'waiting#1';
      if (!parked) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(parked).toBe(true);
    const held = await t.db.ownerTx((tx) =>
      tx.query<{ n: number }>(
        `select (select count(*)::int from step_queue where run_id = $1) + (select count(*)::int from step_attempts where run_id = $1 and outcome = 'running') as n`,
        [runId],
      ),
    );
    expect(held.rows[0]?.n).toBe(0);
    expect((await waitForRun(t.db, tenant.tenantId, runId)).state).toBe('succeeded');
    expect(await steps(t.db, tenant.tenantId, runId)).toEqual({ after: 'succeeded#1', nap: 'succeeded#1' });
  });

  it('a flaky executor is retried with the step retry policy and then succeeds', async () => {
    let calls = 0;
    const flaky: StepExecutor = {
      type: 'task',
      execute: async (ctx) => {
        calls += 1;
        if (ctx.attempt < 3) throw new StepError('UPSTREAM_DOWN', 'try later', true);
        return { kind: 'completed', output: { attempt: ctx.attempt, key: ctx.idempotencyKey.length } };
      },
    };
    const runId = await run(
      {
        name: 'flaky',
        steps: [
          {
            id: 'call',
            type: 'task',
            with: { queue: 'q' },
            retry: { maxAttempts: 3, backoff: { initial: '10ms', factor: 2, max: '50ms', jitter: 0 } },
          },
        ],
        output: '{{ steps.call.output }}',
      },
      {},
      [flaky],
    );
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'succeeded',
      output: { attempt: 3, key: 64 },
    });
    expect(calls).toBe(3);
  });

  it('a non-retryable error fails the run with its code', async () => {
    const broken: StepExecutor = {
      type: 'task',
      execute: async () => {
        throw new StepError('BAD_REQUEST', 'rejected', false);
      },
    };
    const runId = await run(
      {
        name: 'broken',
        steps: [{ id: 'call', type: 'task', with: { queue: 'q' }, retry: { maxAttempts: 5 } }],
      },
      {},
      [broken],
    );
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'failed',
      error_code: 'BAD_REQUEST',
    });
    expect(await steps(t.db, tenant.tenantId, runId)).toEqual({ call: 'failed#1' });
  });

  it('a step type with no executor on this worker fails the run, not the worker', async () => {
    const withoutTask = new Map(createBuiltinExecutors());
    withoutTask.delete('task');
    const runId = await run(
      { name: 'external', steps: [{ id: 'ok', type: 'task', with: { queue: 'nobody-serves-this' } }] },
      {},
      [],
      withoutTask,
    );
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'failed',
      error_code: 'STEP_TYPE_UNSUPPORTED',
    });
  });

  it('retrying a failed run redoes only the steps that did not succeed, with attempt numbers that keep counting', async () => {
    const calls = { first: 0, second: 0 };
    const twoQueues: StepExecutor = {
      type: 'task',
      execute: async (ctx) => {
        const queue = (ctx.input as { queue: 'first' | 'second' }).queue;
        calls[queue] += 1;
        if (queue === 'second' && calls.second === 1) throw new StepError('NOT_YET', 'fails once', false);
        return { kind: 'completed', output: `${queue}#${ctx.attempt}` };
      },
    };
    const runId = await run(
      {
        name: 'retry-me',
        steps: [
          { id: 'one', type: 'task', with: { queue: 'first' } },
          { id: 'two', type: 'task', needs: ['one'], with: { queue: 'second' } },
        ],
        output: '{{ steps.one.output & " " & steps.two.output }}',
      },
      {},
      [twoQueues],
    );
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'failed',
      error_code: 'NOT_YET',
    });
    const { resetSteps } = await t.db.tenantTx(tenant.tenantId, (tx) => retryRun(tx, tenant.tenantId, runId));
    expect(resetSteps).toEqual(['two']);
    expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
      state: 'succeeded',
      output: 'first#1 second#2',
    });
    expect(calls).toEqual({ first: 1, second: 2 });
    await expect(
      t.db.tenantTx(tenant.tenantId, (tx) => retryRun(tx, tenant.tenantId, runId)),
    ).rejects.toMatchObject({
      code: 'RUN_NOT_RETRYABLE',
    });
  });
});
