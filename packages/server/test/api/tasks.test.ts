import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { createTaskFixture } from '../support/route-fixtures.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface Task {
  id: string;
  token: string;
  runId: string;
  stepKey: string;
  input: unknown;
}

describe('task-queue API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  let worker: Worker | null = null;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'tasks-a');
    b = await seedTenant(t.db, 'tasks-b');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const post = (tenant: TestTenant, url: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url, headers: bearer(tenant.keys.developer), payload });
  const poll = (tenant: TestTenant, queue: string, waitMs = 0) =>
    post(tenant, `/v1/task-queues/${queue}/poll`, { workerId: 'api-test', waitMs });
  const runOf = async (tenant: TestTenant, runId: string) =>
    (
      await app.inject({ method: 'GET', url: `/v1/runs/${runId}`, headers: bearer(tenant.keys.viewer) })
    ).json<{
      state: string;
      output: unknown;
      steps: { key: string; state: string }[];
    }>();

  it('a long-poll answers with a task put on its queue while it waits, well before waitMs', async () => {
    const queue = 'live';
    const publish = await post(a, '/v1/workflows', {
      definition: {
        name: 'live-task',
        steps: [{ id: 'ask', type: 'task', with: { queue, input: { q: '{{ input.q }}' } } }],
        output: '{{ steps.ask.output }}',
      },
    });
    expect(publish.statusCode, publish.body).toBeLessThan(300);
    const waiting = poll(a, queue, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    worker = await startWorker(
      { db: t.db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      { pool: 'shared', workerId: 'w', concurrency: 2, leaseMs: 5_000, pollMs: 100, maintenanceMs: 100 },
    );
    const started = await post(a, '/v1/workflows/live-task/runs', { input: { q: 'why?' } });
    const runId = started.json<{ run: { id: string } }>().run.id;
    const res = await waiting;
    expect(res.statusCode, res.body).toBe(200);
    const task = res.json<Task>();
    expect(task).toMatchObject({ runId, stepKey: 'ask', input: { q: 'why?' } });

    const done = await post(a, `/v1/tasks/${task.id}/complete`, { token: task.token, output: 'because' });
    expect(done.json()).toEqual({ id: task.id, runId, state: 'completed' });
    expect(await runOf(a, runId)).toMatchObject({ state: 'succeeded', output: 'because' });

    const again = await post(a, `/v1/tasks/${task.id}/complete`, { token: task.token, output: 'twice' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'TASK_LEASE_LOST' } });
  });

  it('a poll with nothing on its queue answers 204 when its wait ends', async () => {
    const res = await poll(a, 'empty-queue', 150);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('tenant B cannot poll, heartbeat, complete or fail tenant A’s tasks, even on a queue of the same name', async () => {
    const queue = 'shared-name';
    const ofA = await createTaskFixture(t.db, a, { queue });
    const ofB = await createTaskFixture(t.db, b, { queue });
    const gotB = await poll(b, queue);
    expect(gotB.json<Task>()).toMatchObject({ id: ofB.taskId, runId: ofB.runId });
    expect((await poll(b, queue)).statusCode).toBe(204);

    const gotA = (await poll(a, queue)).json<Task>();
    expect(gotA.id).toBe(ofA.taskId);
    for (const [action, payload] of [
      ['heartbeat', { token: gotA.token }],
      ['complete', { token: gotA.token, output: 'stolen' }],
      ['fail', { token: gotA.token, error: { code: 'NOPE', message: 'x' } }],
    ] as const) {
      const res = await post(b, `/v1/tasks/${gotA.id}/${action}`, payload);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'TASK_NOT_FOUND', message: 'Task not found' } });
    }
    expect((await runOf(a, ofA.runId)).state).toBe('waiting');
  });

  it('after a cancel the task is not delivered, heartbeats say cancelled and complete is refused', async () => {
    const fixture = await createTaskFixture(t.db, a, { leased: true });
    const queued = await createTaskFixture(t.db, a, { queue: fixture.queue });
    for (const runId of [fixture.runId, queued.runId]) {
      const res = await post(a, `/v1/runs/${runId}/cancel`, { reason: 'test' });
      expect(res.statusCode).toBe(200);
    }
    expect((await poll(a, fixture.queue)).statusCode).toBe(204);
    const beat = await post(a, `/v1/tasks/${fixture.taskId}/heartbeat`, { token: fixture.token });
    expect(beat.json()).toEqual({ cancelled: true, reason: 'TASK_CANCELLED' });
    const done = await post(a, `/v1/tasks/${fixture.taskId}/complete`, { token: fixture.token, output: 1 });
    expect(done.statusCode).toBe(409);
    expect(done.json()).toMatchObject({
      error: { code: 'TASK_CANCELLED', message: expect.stringContaining('no longer waits') },
    });
  });

  it('a fail with retryable false fails the run with the worker’s code; a wrong token is TASK_LEASE_LOST', async () => {
    const fixture = await createTaskFixture(t.db, a, { leased: true });
    const wrong = await post(a, `/v1/tasks/${fixture.taskId}/fail`, {
      token: 'not-the-token',
      error: { code: 'BAD_DOC', message: 'x' },
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: { code: 'TASK_LEASE_LOST' } });
    const res = await post(a, `/v1/tasks/${fixture.taskId}/fail`, {
      token: fixture.token,
      error: { code: 'BAD_DOC', message: 'unreadable' },
      retryable: false,
    });
    expect(res.json()).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(await runOf(a, fixture.runId)).toMatchObject({
      state: 'failed',
      steps: [{ key: 'work', state: 'failed' }],
    });
  });

  it('a viewer key may not poll', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/task-queues/anything/poll',
      headers: bearer(a.keys.viewer),
      payload: { workerId: 'x', waitMs: 0 },
    });
    expect(res.statusCode).toBe(403);
  });
});
