import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import {
  cancelRun,
  claimTask,
  completeTask,
  createRun,
  failTask,
  heartbeatTask,
  planSteps,
  startWorker,
  sweepTasks,
  type TaskDelivery,
  type Worker,
} from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const POOL = { pool: 'shared' };
const OPTIONS = {
  pool: 'shared',
  workerId: 'task-test-worker',
  concurrency: 1,
  leaseMs: 5_000,
  pollMs: 200,
  maintenanceMs: 50,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const errorCode = (call: Promise<unknown>) =>
  call.then(
    () => 'no error',
    (error: unknown) => (error as { code?: string }).code,
  );

describe('task steps', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let worker: Worker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'tasks');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(() => t.drop());

  const tx = <T>(fn: (q: Parameters<Parameters<Database['tenantTx']>[1]>[0]) => Promise<T>) =>
    t.db.tenantTx(tenant.tenantId, fn);

  const start = async (raw: unknown, input: unknown = {}) => {
    const published = await publishDefinition(t.db, tenant.tenantId, raw);
    const { runId } = await tx((q) =>
      createRun(q, tenant.tenantId, {
        workflowId: published.workflowId,
        workflowVersion: published.version,
        input,
        steps: planSteps(published.definition),
      }),
    );
    worker ??= await startWorker(
      { db: t.db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      OPTIONS,
    );
    return runId;
  };

  const poll = (queue: string, workerId = 'ext-1') =>
    tx((q) => claimTask(q, tenant.tenantId, { queue, workerId }));
  const pollUntil = (queue: string, workerId = 'ext-1') =>
    until(`a task on ${queue}`, () => poll(queue, workerId)) as Promise<TaskDelivery>;

  const runRow = (runId: string) =>
    tx(async (q) => {
      const r = await q.query<{ state: string; output: unknown; error_code: string | null }>(
        'select state, output, error_code from runs where id = $1',
        [runId],
      );
      return r.rows[0];
    });
  const finished = (runId: string) =>
    until(`run ${runId} to finish`, async () => {
      const row = await runRow(runId);
      return row && ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(row.state) ? row : null;
    });
  const stepStates = (runId: string) =>
    tx(async (q) => {
      const r = await q.query<{ step_key: string; state: string; attempt: number }>(
        'select step_key, state, attempt from run_steps where run_id = $1 order by step_key',
        [runId],
      );
      return Object.fromEntries(r.rows.map((row) => [row.step_key, `${row.state}#${row.attempt}`]));
    });

  it('a task step holds no worker slot: with one slot, other runs go on while tasks wait', async () => {
    const queue = 'slots';
    const waiting: string[] = [];
    for (let i = 0; i < 3; i += 1)
      waiting.push(await start({ name: 'slot-task', steps: [{ id: 't', type: 'task', with: { queue } }] }));
    const other = await start({
      name: 'slot-other',
      steps: [{ id: 'x', type: 'transform', with: { value: 7 } }],
    });
    expect(await finished(other)).toMatchObject({ state: 'succeeded', output: null });
    for (const runId of waiting)
      await until('the task step to park', async () => (await stepStates(runId)).t === 'waiting#1');
    const held = await t.db.ownerTx((q) =>
      q.query<{ n: number }>(
        `select (select count(*)::int from step_queue where run_id = any($1::uuid[]))
              + (select count(*)::int from step_attempts where run_id = any($1::uuid[]) and outcome = 'running') as n`,
        [waiting],
      ),
    );
    expect(held.rows[0]?.n).toBe(0);
    const deliveries = [await poll(queue), await poll(queue), await poll(queue)];
    expect(deliveries.map((d) => d?.runId).sort()).toEqual([...waiting].sort());
    for (const delivery of deliveries) {
      if (!delivery) throw new Error('no delivery');
      await tx((q) =>
        completeTask(q, tenant.tenantId, delivery.id, { token: delivery.token, output: 1 }, POOL),
      );
    }
    for (const runId of waiting) expect((await finished(runId)).state).toBe('succeeded');
  });

  it("complete succeeds the step with the worker's output, which flows to the next step and the run output", async () => {
    const queue = 'docs';
    const runId = await start(
      {
        name: 'complete-flow',
        steps: [
          { id: 'extract', type: 'task', with: { queue, input: { doc: '{{ input.doc }}' } } },
          {
            id: 'shout',
            type: 'transform',
            needs: ['extract'],
            with: { value: '{{ $uppercase(steps.extract.output.text) }}' },
          },
        ],
        output: { text: '{{ steps.shout.output }}' },
      },
      { doc: 'd-1' },
    );
    const task = await pollUntil(queue);
    expect(task).toMatchObject({
      queue,
      runId,
      stepKey: 'extract',
      attempt: 1,
      delivery: 1,
      input: { doc: 'd-1' },
    });
    expect(task.heartbeatTimeoutMs).toBe(60_000);
    await tx((q) =>
      completeTask(q, tenant.tenantId, task.id, { token: task.token, output: { text: 'hi' } }, POOL),
    );
    expect(await finished(runId)).toEqual({ state: 'succeeded', output: { text: 'HI' }, error_code: null });
    expect(
      await errorCode(
        tx((q) => completeTask(q, tenant.tenantId, task.id, { token: task.token, output: 2 }, POOL)),
      ),
    ).toBe('TASK_LEASE_LOST');
  });

  it('two pollers never get the same task', async () => {
    const queue = 'race';
    const runs: string[] = [];
    for (let i = 0; i < 6; i += 1)
      runs.push(await start({ name: 'race', steps: [{ id: 't', type: 'task', with: { queue } }] }));
    for (const runId of runs) await until('park', async () => (await stepStates(runId)).t === 'waiting#1');
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => poll(queue, `poller-${i}`)));
    const ids = got.filter((d) => d !== null).map((d) => d.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('a retryable failure makes a new attempt with a new task; a non-retryable one fails the run', async () => {
    const queue = 'flaky';
    const runId = await start({
      name: 'fail-retry',
      steps: [
        {
          id: 't',
          type: 'task',
          with: { queue },
          retry: { maxAttempts: 3, backoff: { initial: '10ms', factor: 1, max: '10ms', jitter: 0 } },
        },
      ],
    });
    const first = await pollUntil(queue);
    const failed = await tx((q) =>
      failTask(
        q,
        tenant.tenantId,
        first.id,
        { token: first.token, code: 'BUSY', message: 'later', retryable: true },
        POOL,
      ),
    );
    expect(failed.outcome).toBe('retrying');
    const second = await pollUntil(queue);
    expect(second).toMatchObject({ runId, attempt: 2, delivery: 1 });
    expect(second.id).not.toBe(first.id);
    const final = await tx((q) =>
      failTask(
        q,
        tenant.tenantId,
        second.id,
        { token: second.token, code: 'BAD_DOC', message: 'unreadable', retryable: false },
        POOL,
      ),
    );
    expect(final.outcome).toBe('failed');
    expect(await finished(runId)).toMatchObject({ state: 'failed', error_code: 'BAD_DOC' });
    expect(await stepStates(runId)).toEqual({ t: 'failed#2' });
  });

  it('a cancelled run’s task is not delivered, and its complete is refused with TASK_CANCELLED', async () => {
    const queue = 'cancel';
    const leased = await start({ name: 'cancel-a', steps: [{ id: 't', type: 'task', with: { queue } }] });
    const task = await pollUntil(queue);
    const queued = await start({ name: 'cancel-b', steps: [{ id: 't', type: 'task', with: { queue } }] });
    await until('park', async () => (await stepStates(queued)).t === 'waiting#1');
    for (const runId of [leased, queued]) await tx((q) => cancelRun(q, tenant.tenantId, runId, 'test'));
    expect(await poll(queue)).toBeNull();
    expect(await tx((q) => heartbeatTask(q, tenant.tenantId, task.id, task.token))).toEqual({
      cancelled: true,
      reason: 'TASK_CANCELLED',
    });
    expect(
      await errorCode(
        tx((q) => completeTask(q, tenant.tenantId, task.id, { token: task.token, output: 1 }, POOL)),
      ),
    ).toBe('TASK_CANCELLED');
    await sweepTasks(t.db, POOL);
    const states = await tx((q) =>
      q.query<{ state: string }>('select state from tasks where run_id = any($1::uuid[])', [
        [leased, queued],
      ]),
    );
    expect(states.rows.map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('a silent worker loses the task after its heartbeat timeout: it is delivered again and the stale token is refused', async () => {
    const queue = 'silent';
    const runId = await start({
      name: 'silent',
      steps: [{ id: 't', type: 'task', with: { queue, heartbeatTimeout: '300ms' } }],
    });
    const first = await pollUntil(queue, 'slow-worker');
    expect(await tx((q) => heartbeatTask(q, tenant.tenantId, first.id, first.token))).toMatchObject({
      cancelled: false,
    });
    expect(await poll(queue, 'other-worker')).toBeNull();
    const second = await pollUntil(queue, 'other-worker');
    expect(second).toMatchObject({ id: first.id, runId, attempt: 1, delivery: 2 });
    expect(second.token).not.toBe(first.token);
    expect(await errorCode(tx((q) => heartbeatTask(q, tenant.tenantId, first.id, first.token)))).toBe(
      'TASK_LEASE_LOST',
    );
    expect(
      await errorCode(
        tx((q) => completeTask(q, tenant.tenantId, first.id, { token: first.token, output: 'late' }, POOL)),
      ),
    ).toBe('TASK_LEASE_LOST');
    await tx((q) => completeTask(q, tenant.tenantId, second.id, { token: second.token, output: 'ok' }, POOL));
    expect(await finished(runId)).toMatchObject({ state: 'succeeded' });
  });

  it('a task step past its timeout is timed out and its task can no longer be completed', async () => {
    const queue = 'slow';
    const runId = await start({
      name: 'timeout',
      steps: [{ id: 't', type: 'task', timeout: '300ms', with: { queue } }],
    });
    const task = await pollUntil(queue);
    expect(task.deadline).not.toBeNull();
    expect(await finished(runId)).toMatchObject({ state: 'failed', error_code: 'STEP_TIMEOUT' });
    expect(await stepStates(runId)).toEqual({ t: 'timed_out#1' });
    expect(
      await errorCode(
        tx((q) => completeTask(q, tenant.tenantId, task.id, { token: task.token, output: 1 }, POOL)),
      ),
    ).toBe('TASK_TIMED_OUT');
  });
});
