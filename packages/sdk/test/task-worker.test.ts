import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../server/src/engine/index.ts';
import { createLogger } from '../../server/src/observability/index.ts';
import { createBuiltinExecutors } from '../../server/src/steps/index.ts';
import { createTestApp, seedTenant, type TestTenant } from '../../server/test/support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/support/test-db.ts';
import {
  createShoalClient,
  createTaskWorker,
  NonRetryableTaskError,
  type ShoalClient,
  type TaskWorker,
} from '../src/index.ts';
// Brings in the harness's typing of vitest's `inject()` keys, which test-db.ts uses.
import type {} from '../../server/test/support/global-setup.ts';

type ApiServer = ReturnType<typeof createTestApp>;

describe('createTaskWorker against a live server', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let client: ShoalClient;
  let engine: Worker;
  let taskWorker: TaskWorker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    tenant = await seedTenant(t.db, 'sdk-tasks');
    client = createShoalClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: tenant.keys.developer });
    engine = await startWorker(
      { db: t.db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      { pool: 'shared', workerId: 'engine', concurrency: 2, leaseMs: 5_000, pollMs: 100, maintenanceMs: 100 },
    );
  });
  afterEach(async () => {
    await taskWorker?.stop();
    taskWorker = null;
  });
  afterAll(async () => {
    await engine.stop();
    // fetch's aborted long-polls leave sockets the server counts as busy until headersTimeout
    // (60 s); the workers have stopped, so nothing is lost by closing them now.
    app.server.closeAllConnections();
    await app.close();
    await t.drop();
  });

  const finished = async (runId: string) => {
    for (let i = 0; i < 500; i += 1) {
      const run = await client.getRun({ id: runId });
      if (['succeeded', 'failed', 'cancelled', 'timed_out'].includes(run.state)) return run;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`run ${runId} did not finish`);
  };

  const startTaskRun = async (name: string, queue: string, input: unknown, retry?: unknown) => {
    await client.publishWorkflow({
      definition: {
        name,
        steps: [
          { id: 'work', type: 'task', with: { queue, input: '{{ input }}' }, ...(retry ? { retry } : {}) },
          { id: 'after', type: 'transform', needs: ['work'], with: { value: '{{ steps.work.output.sum }}' } },
        ],
        output: '{{ steps.after.output }}',
      },
    });
    return (await client.startRun({ name }, { input })).run.id;
  };

  it('runs the handler for each task and completes it with what the handler returns', async () => {
    const seen: unknown[] = [];
    taskWorker = createTaskWorker({
      client,
      queue: 'sums',
      concurrency: 2,
      pollWaitMs: 2_000,
      handler: async (input) => {
        seen.push(input);
        const { a, b } = input as { a: number; b: number };
        return { sum: a + b };
      },
    });
    const runId = await startTaskRun('sdk-sum', 'sums', { a: 2, b: 3 });
    expect(await finished(runId)).toMatchObject({ state: 'succeeded', output: 5 });
    expect(seen).toEqual([{ a: 2, b: 3 }]);
  });

  it('a thrown error is retried under the step policy; a NonRetryableTaskError fails the run with its code', async () => {
    let calls = 0;
    taskWorker = createTaskWorker({
      client,
      queue: 'flaky',
      pollWaitMs: 2_000,
      handler: async (_input, { task }) => {
        calls += 1;
        if (task.attempt === 1) throw Object.assign(new Error('busy'), { code: 'BUSY' });
        throw new NonRetryableTaskError('this document cannot be read', { code: 'BAD_DOCUMENT' });
      },
    });
    const runId = await startTaskRun(
      'sdk-flaky',
      'flaky',
      { a: 1, b: 1 },
      {
        maxAttempts: 5,
        backoff: { initial: '10ms', factor: 1, max: '10ms', jitter: 0 },
      },
    );
    const run = await finished(runId);
    expect(run).toMatchObject({ state: 'failed', errorCode: 'BAD_DOCUMENT' });
    expect(calls).toBe(2);
  });

  it('cancelling the run aborts the handler’s signal through the heartbeat', async () => {
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    let abortedWith: unknown = null;
    taskWorker = createTaskWorker({
      client,
      queue: 'long',
      pollWaitMs: 2_000,
      heartbeatIntervalMs: 50,
      handler: (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => {
            abortedWith = signal.reason;
            reject(new Error('aborted'));
          });
        }),
    });
    const runId = await startTaskRun('sdk-long', 'long', { a: 0, b: 0 });
    await running;
    await client.cancelRun({ id: runId }, { reason: 'enough' });
    for (let i = 0; i < 200 && !abortedWith; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(abortedWith)).toContain('cancelled');
    expect((await client.getRun({ id: runId })).state).toBe('cancelled');
  });

  it('pollTask answers undefined when no task comes within waitMs', async () => {
    expect(await client.pollTask({ queue: 'nobody-here' }, { workerId: 'x', waitMs: 50 })).toBeUndefined();
  });
});
