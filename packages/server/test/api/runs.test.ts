import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const WORKFLOW = {
  name: 'greet',
  input: {
    type: 'object',
    properties: { name: { type: 'string' } },
    required: ['name'],
    additionalProperties: false,
  },
  steps: [
    { id: 'hello', type: 'transform', with: { value: 'hello {{ input.name }}' } },
    { id: 'nap', type: 'sleep', needs: ['hello'], with: { duration: '1h' } },
  ],
  output: '{{ steps.hello.output }}',
};

const REVIEW = {
  name: 'review',
  input: { type: 'object', properties: { timeout: { type: 'string' } } },
  steps: [
    { id: 'ask', type: 'approval', with: { title: 'Ship {{ input.what }}?' } },
    {
      id: 'ship',
      type: 'transform',
      needs: ['ask'],
      when: '{{ steps.ask.output.decision = "approve" }}',
      with: { value: 'shipped' },
    },
  ],
  output: { decision: '{{ steps.ask.output.decision }}', by: '{{ steps.ask.output.decidedBy }}' },
};
const CALLER = {
  name: 'caller',
  timeout: '1h',
  steps: [{ id: 'review', type: 'workflow', with: { name: 'review', input: { what: 'child' } } }],
};
const TIMED = (name: string, extra: Record<string, unknown>) => ({
  name,
  steps: [{ id: 'ask', type: 'approval', with: { title: 'Quick?', timeout: '300ms', ...extra } }],
  output: '{{ steps.ask.output.decision }}',
});

interface RunBody {
  run: { id: string; state: string; workflowName: string };
  created: boolean;
}

describe('runs API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let other: TestTenant;
  let worker: Worker;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'runs');
    other = await seedTenant(t.db, 'runs-other');
    for (const definition of [
      REVIEW,
      CALLER,
      TIMED('timed-default', { default: 'reject' }),
      TIMED('timed-bare', {}),
    ]) {
      const published = await app.inject({
        method: 'POST',
        url: '/v1/workflows',
        headers: bearer(tenant.keys.developer),
        payload: { definition },
      });
      expect(published.statusCode).toBe(200);
    }
    for (const who of [tenant, other]) {
      const published = await app.inject({
        method: 'POST',
        url: '/v1/workflows',
        headers: bearer(who.keys.developer),
        payload: { definition: WORKFLOW },
      });
      expect(published.statusCode).toBe(200);
    }
    worker = await startWorker(
      { db: t.db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      {
        pool: 'shared',
        workerId: 'api-test',
        concurrency: 4,
        leaseMs: 5_000,
        pollMs: 100,
        maintenanceMs: 50,
      },
    );
  });
  afterAll(async () => {
    await worker.stop();
    await app.close();
    await t.drop();
  });

  const start = (payload: unknown, headers: Record<string, string> = {}, who = tenant) =>
    app.inject({
      method: 'POST',
      url: '/v1/workflows/greet/runs',
      headers: { ...bearer(who.keys.operator), ...headers },
      payload: payload as object,
    });

  const waitFor = async (
    runId: string,
    predicate: (run: { state: string; steps: { id: string; state: string }[] }) => boolean,
  ) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/runs/${runId}`,
        headers: bearer(tenant.keys.viewer),
      });
      const run = res.json<{ state: string; steps: { id: string; state: string }[] }>();
      if (predicate(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not get there: ${JSON.stringify(run)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('a started run executes on the worker and its detail shows the step timeline and attempts', async () => {
    const res = await start({ input: { name: 'ada' } });
    expect(res.statusCode).toBe(201);
    const { run } = res.json<RunBody>();
    expect(run).toMatchObject({ workflowName: 'greet', state: 'queued' });
    const parked = await waitFor(run.id, (r) => r.steps.some((s) => s.id === 'nap' && s.state === 'waiting'));
    expect(parked).toMatchObject({
      state: 'waiting',
      steps: expect.arrayContaining([
        expect.objectContaining({
          id: 'hello',
          state: 'succeeded',
          output: 'hello ada',
          attempts: [expect.objectContaining({ attempt: 1, outcome: 'succeeded' })],
        }),
        expect.objectContaining({ id: 'nap', state: 'waiting', waitReason: 'sleep' }),
      ]),
    });
  });

  it('the same Idempotency-Key returns the same run with 200, and is refused for another input', async () => {
    const first = await start({ input: { name: 'bob' } }, { 'idempotency-key': 'order-1' });
    const again = await start({ input: { name: 'bob' } }, { 'idempotency-key': 'order-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json<RunBody>()).toMatchObject({
      run: { id: first.json<RunBody>().run.id },
      created: false,
    });
    const reused = await start({ input: { name: 'eve' } }, { 'idempotency-key': 'order-1' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json<{ error: { code: string } }>().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys are per tenant: another tenant may use the same one.
    expect(
      (await start({ input: { name: 'bob' } }, { 'idempotency-key': 'order-1' }, other)).statusCode,
    ).toBe(201);
  });

  it('input that does not match the input schema is refused with RUN_INPUT_INVALID and starts nothing', async () => {
    const before = (
      await app.inject({ method: 'GET', url: '/v1/runs?limit=200', headers: bearer(tenant.keys.viewer) })
    ).json<{ data: unknown[] }>().data.length;
    const res = await start({ input: { name: 42, extra: true } });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>();
    expect(body.error.code).toBe('RUN_INPUT_INVALID');
    expect(body.error.details.issues.length).toBeGreaterThan(0);
    const after = (
      await app.inject({ method: 'GET', url: '/v1/runs?limit=200', headers: bearer(tenant.keys.viewer) })
    ).json<{ data: unknown[] }>().data.length;
    expect(after).toBe(before);
  });

  it('a run starts with the priority asked for (0 to 9); anything else is VALIDATION_FAILED', async () => {
    const res = await start({ input: { name: 'pri' }, priority: 7 });
    expect(res.statusCode).toBe(201);
    const row = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ priority: number }>('select priority from runs where id = $1', [res.json<RunBody>().run.id]),
    );
    expect(row.rows[0]?.priority).toBe(7);
    for (const priority of [10, -1, 1.5, 'high']) {
      const bad = await start({ input: { name: 'pri' }, priority });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('an unknown workflow answers WORKFLOW_NOT_FOUND and a bad Idempotency-Key VALIDATION_FAILED', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/workflows/nope/runs',
      headers: bearer(tenant.keys.operator),
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('WORKFLOW_NOT_FOUND');
    const bad = await start({ input: { name: 'x' } }, { 'idempotency-key': 'a b' });
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
  });

  it('cancelling a waiting run ends it and its steps; cancelling again is RUN_ALREADY_FINISHED', async () => {
    const { run } = (await start({ input: { name: 'cy' } })).json<RunBody>();
    await waitFor(run.id, (r) => r.steps.some((s) => s.id === 'nap' && s.state === 'waiting'));
    const cancelled = await app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: bearer(tenant.keys.operator),
      payload: { reason: 'no longer needed' },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({
      state: 'cancelled',
      errorCode: 'RUN_CANCELLED',
      errorMessage: 'no longer needed',
    });
    expect(
      cancelled.json<{ steps: { id: string; state: string }[] }>().steps.find((s) => s.id === 'nap')?.state,
    ).toBe('cancelled');
    const again = await app.inject({
      method: 'POST',
      url: `/v1/runs/${run.id}/cancel`,
      headers: bearer(tenant.keys.operator),
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('RUN_ALREADY_FINISHED');
  });

  it("another tenant's run answers 404 to read and cancel", async () => {
    const { run } = (await start({ input: { name: 'dee' } })).json<RunBody>();
    for (const [method, url] of [
      ['GET', `/v1/runs/${run.id}`],
      ['POST', `/v1/runs/${run.id}/cancel`],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: bearer(other.keys.owner),
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('RUN_NOT_FOUND');
    }
    const list = await app.inject({
      method: 'GET',
      url: '/v1/runs?limit=200',
      headers: bearer(other.keys.owner),
    });
    expect(list.json<{ data: { id: string }[] }>().data.map((r) => r.id)).not.toContain(run.id);
  });

  it('lists runs newest first with filters, and the cursor walks every run exactly once', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string; workflowName: string }[]; nextCursor: string | null } = (
        await app.inject({
          method: 'GET',
          url: `/v1/runs?workflow=greet&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          headers: bearer(tenant.keys.viewer),
        })
      ).json();
      all.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    const full = (
      await app.inject({ method: 'GET', url: '/v1/runs?limit=200', headers: bearer(tenant.keys.viewer) })
    ).json<{ data: { id: string }[] }>();
    expect(all).toEqual(full.data.map((r) => r.id));
    expect(new Set(all).size).toBe(all.length);
    const cancelledOnly = (
      await app.inject({
        method: 'GET',
        url: '/v1/runs?state=cancelled',
        headers: bearer(tenant.keys.viewer),
      })
    ).json<{ data: { state: string }[] }>();
    expect(cancelledOnly.data.length).toBeGreaterThan(0);
    expect(cancelledOnly.data.every((r) => r.state === 'cancelled')).toBe(true);
  });

  const startWorkflow = async (name: string, input: unknown = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/workflows/${name}/runs`,
      headers: bearer(tenant.keys.operator),
      payload: { input },
    });
    expect(res.statusCode).toBe(201);
    return res.json<RunBody>().run.id;
  };
  const decide = (runId: string, decision: string, key = tenant.keys.operator) =>
    app.inject({
      method: 'POST',
      url: `/v1/runs/${runId}/steps/ask/decision`,
      headers: bearer(key),
      payload: { decision, comment: 'looks good' },
    });
  const waitingApproval = (r: { steps: { id: string; state: string }[] }) =>
    r.steps.some((s) => s.id === 'ask' && s.state === 'waiting');
  const finished = (r: { state: string }) => ['succeeded', 'failed', 'cancelled'].includes(r.state);

  it('an approval waits for a decision; approving lets the guarded step run, and only the first decision counts', async () => {
    const runId = await startWorkflow('review', { what: 'v2' });
    await waitFor(runId, waitingApproval);
    const viewer = await decide(runId, 'approve', tenant.keys.viewer);
    expect(viewer.statusCode).toBe(403);
    const approved = await decide(runId, 'approve');
    expect(approved.statusCode).toBe(200);
    const run = await waitFor(runId, finished);
    expect(run).toMatchObject({
      state: 'succeeded',
      output: { decision: 'approve', by: `api_key:${tenant.keyIds.operator}` },
    });
    expect(run.steps.find((s) => s.id === 'ship')?.state).toBe('succeeded');
    const again = await decide(runId, 'reject');
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('STEP_NOT_AWAITING_DECISION');
  });

  it('rejecting succeeds the approval with the decision, and the guarded step is skipped', async () => {
    const runId = await startWorkflow('review', { what: 'v3' });
    await waitFor(runId, waitingApproval);
    expect((await decide(runId, 'reject')).statusCode).toBe(200);
    const run = await waitFor(runId, finished);
    expect(run).toMatchObject({ state: 'succeeded', output: { decision: 'reject' } });
    expect(run.steps.find((s) => s.id === 'ship')?.state).toBe('skipped');
  });

  it('an approval that times out takes its default decision, or fails the run without one', async () => {
    const withDefault = await startWorkflow('timed-default');
    const bare = await startWorkflow('timed-bare');
    expect(await waitFor(withDefault, finished)).toMatchObject({ state: 'succeeded', output: 'reject' });
    expect(await waitFor(bare, finished)).toMatchObject({ state: 'failed', errorCode: 'APPROVAL_TIMED_OUT' });
  });

  it('a child run shows its parent, and GET /v1/runs?parent= lists the children of a run', async () => {
    const parentId = await startWorkflow('caller');
    const parent = await waitFor(parentId, (r) =>
      r.steps.some((s) => s.id === 'review' && s.state === 'waiting'),
    );
    expect(parent).toMatchObject({ parentRunId: null, trigger: 'api' });
    expect((parent as unknown as { deadlineAt: string | null }).deadlineAt).not.toBeNull();
    const children = await app.inject({
      method: 'GET',
      url: `/v1/runs?parent=${parentId}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(children.statusCode).toBe(200);
    const [child, ...more] = children.json<{
      data: {
        id: string;
        parentRunId: string;
        parentStepKey: string;
        trigger: string;
        workflowName: string;
      }[];
    }>().data;
    expect(more).toHaveLength(0);
    expect(child).toMatchObject({
      parentRunId: parentId,
      parentStepKey: 'review',
      trigger: 'workflow',
      workflowName: 'review',
    });
    // Approving the child's step ends the child, which resolves the parent's step. The child's
    // approval is decided once it waits: a worker must claim and park it first.
    await waitFor(child!.id, (r) => r.steps.some((s) => s.state === 'waiting'));
    expect((await decide(child!.id, 'approve')).statusCode).toBe(200);
    const done = await waitFor(parentId, finished);
    expect(done.state).toBe('succeeded');
    const foreign = await app.inject({
      method: 'GET',
      url: `/v1/runs?parent=${parentId}`,
      headers: bearer(other.keys.viewer),
    });
    expect(foreign.json<{ data: unknown[] }>().data).toEqual([]);
  });
});
