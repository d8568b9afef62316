import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import { cancelRun, startRun, startWorker, type Worker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors, StepError, type StepExecutor } from '../../src/steps/index.ts';
import { readRun, waitForRun } from '../support/engine.ts';
import { publishDefinition } from '../support/publish.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const OPTIONS = {
  pool: 'shared',
  workerId: 'composite-worker',
  concurrency: 8,
  leaseMs: 5_000,
  pollMs: 100,
  maintenanceMs: 50,
};

async function stepStates(db: Database, tenantId: string, runId: string) {
  const rows = await db.tenantTx(tenantId, (tx) =>
    tx.query<{ step_key: string; state: string; error_code: string | null }>(
      'select step_key, state, error_code from run_steps where run_id = $1 order by step_key',
      [runId],
    ),
  );
  return Object.fromEntries(rows.rows.map((r) => [r.step_key, r.state]));
}

async function childRuns(db: Database, tenantId: string, parentRunId: string) {
  const rows = await db.tenantTx(tenantId, (tx) =>
    tx.query<{ id: string; state: string; trigger_kind: string; depth: number; error_code: string | null }>(
      `select id, state, trigger_kind, depth, error_code from runs where parent_run_id = $1 order by created_at`,
      [parentRunId],
    ),
  );
  return rows.rows;
}

/** A `task` stand-in that runs in-process: waits `ms`, tracks how many run at once, fails on demand. */
function probeExecutor() {
  const probe = { running: 0, most: 0, calls: 0 };
  const executor: StepExecutor = {
    type: 'task',
    async execute(ctx) {
      probe.calls += 1;
      probe.running += 1;
      probe.most = Math.max(probe.most, probe.running);
      try {
        const input = ctx.input as { input?: { value?: unknown; failWith?: string; ms?: number } };
        const job = input.input ?? {};
        await new Promise((resolve) => setTimeout(resolve, job.ms ?? 30));
        if (job.failWith) throw new StepError(job.failWith, `told to fail with ${job.failWith}`, false);
        return { kind: 'completed', output: job.value ?? null };
      } finally {
        probe.running -= 1;
      }
    },
  };
  return { probe, executor };
}

describe('composite steps: branch, map and workflow', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let worker: Worker | null = null;
  const { probe, executor } = probeExecutor();

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'composite');
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(() => t.drop());

  const publish = (raw: unknown) => publishDefinition(t.db, tenant.tenantId, raw);
  const start = async (workflowName: string, input: unknown) => {
    const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
      startRun(tx, tenant.tenantId, { workflowName, input, idempotencyKey: null }),
    );
    worker ??= await startWorker(
      {
        db: t.db,
        logger: createLogger({ level: 'silent' }),
        executors: createBuiltinExecutors([executor]),
      },
      OPTIONS,
    );
    return runId;
  };

  describe('branch', () => {
    const routed = {
      name: 'routed',
      steps: [
        {
          id: 'route',
          type: 'branch',
          with: {
            cases: [
              { when: '{{ input.n > 100 }}', next: ['big'] },
              { when: '{{ input.n > 10 }}', next: ['medium'] },
            ],
            default: ['small'],
          },
        },
        { id: 'big', type: 'transform', needs: ['route'], with: { value: 'big' } },
        { id: 'medium', type: 'transform', needs: ['route'], with: { value: 'medium' } },
        { id: 'small', type: 'transform', needs: ['route'], with: { value: 'small' } },
        { id: 'after_big', type: 'transform', needs: ['big'], with: { value: 'after big' } },
        {
          id: 'join',
          type: 'transform',
          needs: ['big', 'medium', 'small'],
          // Skipped steps have no output: keep the one path that ran.
          with: {
            value:
              '{{ steps.big.state = "succeeded" ? steps.big.output : steps.medium.state = "succeeded" ? steps.medium.output : steps.small.output }}',
          },
        },
      ],
      output: { size: '{{ steps.join.output }}', chosen: '{{ steps.route.output }}' },
    };

    it('a branch runs the first case that holds and skips the other paths, not failing them', async () => {
      await publish(routed);
      const runId = await start('routed', { n: 50 });
      const run = await waitForRun(t.db, tenant.tenantId, runId);
      expect(run).toMatchObject({
        state: 'succeeded',
        output: { size: 'medium', chosen: { case: 1, next: ['medium'] } },
      });
      expect(await stepStates(t.db, tenant.tenantId, runId)).toEqual({
        route: 'succeeded',
        big: 'skipped',
        medium: 'succeeded',
        small: 'skipped',
        after_big: 'skipped',
        join: 'succeeded',
      });
    });

    it('a branch takes its default path when no case holds, and the steps below a skipped path are skipped too', async () => {
      await publish(routed);
      const runId = await start('routed', { n: 1 });
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'succeeded',
        output: { size: 'small', chosen: { case: 'default', next: ['small'] } },
      });
      const states = await stepStates(t.db, tenant.tenantId, runId);
      expect(states).toMatchObject({
        big: 'skipped',
        after_big: 'skipped',
        medium: 'skipped',
        small: 'succeeded',
      });
    });
  });

  describe('map', () => {
    it('map runs its step for every item at most `concurrency` at a time and outputs the results in item order', async () => {
      await publish({
        name: 'fan-out',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: {
              items: '{{ input.values }}',
              concurrency: 2,
              step: {
                type: 'task',
                with: {
                  queue: 'probe',
                  // Later items finish first, so a result in order is not an accident of timing.
                  input: { value: '{{ item * 10 + index }}', ms: '{{ 80 - index * 10 }}' },
                },
              },
            },
          },
          {
            id: 'total',
            type: 'transform',
            needs: ['each'],
            with: { value: '{{ $sum(steps.each.output) }}' },
          },
        ],
        output: { results: '{{ steps.each.output }}', total: '{{ steps.total.output }}' },
      });
      probe.most = 0;
      const runId = await start('fan-out', { values: [1, 2, 3, 4, 5, 6, 7] });
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'succeeded',
        output: { results: [10, 21, 32, 43, 54, 65, 76], total: 301 },
      });
      expect(probe.most).toBeLessThanOrEqual(2);
      expect(probe.most).toBe(2);
      const states = await stepStates(t.db, tenant.tenantId, runId);
      expect(Object.keys(states).filter((k) => k.startsWith('each['))).toHaveLength(7);
      expect(states['each[6]']).toBe('succeeded');
    });

    it('a map over an empty list outputs an empty list without starting anything', async () => {
      await publish({
        name: 'fan-out-empty',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: { items: '{{ input.values }}', step: { type: 'transform', with: { value: '{{ item }}' } } },
          },
        ],
        output: '{{ steps.each.output }}',
      });
      const runId = await start('fan-out-empty', { values: [] });
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'succeeded',
        output: [],
        error_message: null,
      });
    });

    it('map items that are not a list fail the run with MAP_ITEMS_INVALID', async () => {
      await publish({
        name: 'fan-out-bad',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: { items: '{{ input.values }}', step: { type: 'transform', with: { value: '{{ item }}' } } },
          },
        ],
      });
      const runId = await start('fan-out-bad', { values: 'not a list' });
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'failed',
        error_code: 'MAP_ITEMS_INVALID',
      });
    });

    it('an item that fails for good fails the map and the run, and the items not yet done are cancelled', async () => {
      await publish({
        name: 'fan-out-fail',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: {
              items: '{{ input.values }}',
              concurrency: 1,
              step: {
                type: 'task',
                with: {
                  queue: 'probe',
                  input: { value: '{{ item }}', failWith: '{{ item = 2 ? "BOOM" : "" }}' },
                },
              },
            },
          },
        ],
      });
      const runId = await start('fan-out-fail', { values: [1, 2, 3, 4] });
      const run = await waitForRun(t.db, tenant.tenantId, runId);
      expect(run).toMatchObject({ state: 'failed', error_code: 'BOOM' });
      expect(run.error_message).toContain('each[1]');
      expect(await stepStates(t.db, tenant.tenantId, runId)).toMatchObject({
        each: 'cancelled',
        'each[0]': 'succeeded',
        'each[1]': 'failed',
        'each[2]': 'cancelled',
        'each[3]': 'cancelled',
      });
    });

    it("a map whose items would take the run past the plan's max_steps_per_run fails with RUN_TOO_LARGE", async () => {
      const small = await seedTenant(t.db, 'composite-small');
      await t.db.systemTx((sys) =>
        sys.query('insert into tenant_limits (tenant_id, max_steps_per_run) values ($1, 4)', [
          small.tenantId,
        ]),
      );
      await publishDefinition(t.db, small.tenantId, {
        name: 'wide',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: { items: '{{ input.xs }}', step: { type: 'transform', with: { value: 1 } } },
          },
        ],
      });
      const startSmall = async (xs: number[]) => {
        const { runId } = await t.db.tenantTx(small.tenantId, (tx) =>
          startRun(tx, small.tenantId, { workflowName: 'wide', input: { xs }, idempotencyKey: null }),
        );
        worker ??= await startWorker(
          {
            db: t.db,
            logger: createLogger({ level: 'silent' }),
            executors: createBuiltinExecutors([executor]),
          },
          OPTIONS,
        );
        return runId;
      };
      // The map and 3 items make 4 steps: allowed. 4 items would make 5.
      expect(await waitForRun(t.db, small.tenantId, await startSmall([1, 2, 3]))).toMatchObject({
        state: 'succeeded',
      });
      const tooWide = await startSmall([1, 2, 3, 4]);
      const run = await waitForRun(t.db, small.tenantId, tooWide);
      expect(run).toMatchObject({ state: 'failed', error_code: 'RUN_TOO_LARGE' });
      expect(Object.keys(await stepStates(t.db, small.tenantId, tooWide))).toEqual(['each']);
    });

    it('a map can run a sub-workflow for each item', async () => {
      await publish({
        name: 'square',
        steps: [{ id: 'sq', type: 'transform', with: { value: '{{ input.x * input.x }}' } }],
        output: '{{ steps.sq.output }}',
      });
      await publish({
        name: 'squares',
        steps: [
          {
            id: 'each',
            type: 'map',
            with: {
              items: '{{ input.xs }}',
              concurrency: 3,
              step: { type: 'workflow', with: { name: 'square', input: { x: '{{ item }}' } } },
            },
          },
        ],
        output: '{{ steps.each.output }}',
      });
      const runId = await start('squares', { xs: [2, 3, 4, 5] });
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'succeeded',
        output: [4, 9, 16, 25],
      });
      const children = await childRuns(t.db, tenant.tenantId, runId);
      expect(children).toHaveLength(4);
      expect(
        children.every((c) => c.state === 'succeeded' && c.trigger_kind === 'workflow' && c.depth === 1),
      ).toBe(true);
    });
  });

  describe('workflow', () => {
    it('a workflow step starts a child run, waits for it holding no worker slot, and outputs its output', async () => {
      await publish({
        name: 'child-slow',
        input: { type: 'object', required: ['who'], properties: { who: { type: 'string' } } },
        steps: [
          { id: 'nap', type: 'sleep', with: { duration: '1s' } },
          { id: 'greet', type: 'transform', needs: ['nap'], with: { value: 'hello {{ input.who }}' } },
        ],
        output: { greeting: '{{ steps.greet.output }}' },
      });
      await publish({
        name: 'parent',
        steps: [
          { id: 'call', type: 'workflow', with: { name: 'child-slow', input: { who: '{{ input.name }}' } } },
          {
            id: 'shout',
            type: 'transform',
            needs: ['call'],
            with: { value: '{{ $uppercase(steps.call.output.greeting) }}' },
          },
        ],
        output: '{{ steps.shout.output }}',
      });
      const runId = await start('parent', { name: 'ada' });
      // While the child sleeps, the parent's step waits with no queue row and no running attempt.
      const [child] = await (async () => {
        for (;;) {
          const found = await childRuns(t.db, tenant.tenantId, runId);
          if (found.length > 0) return found;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const parked = await t.db.tenantTx(tenant.tenantId, (tx) =>
        tx.query<{ state: string; wait_reason: string; queued: number; running: number }>(
          `select s.state, s.wait_reason,
                  (select count(*)::int from step_queue q where q.run_id = s.run_id and q.step_key = s.step_key) as queued,
                  (select count(*)::int from step_attempts a where a.run_id = s.run_id and a.step_key = s.step_key and a.outcome = 'running') as running
             from run_steps s where s.run_id = $1 and s.step_key = 'call'`,
          [runId],
        ),
      );
      expect(parked.rows[0]).toEqual({ state: 'waiting', wait_reason: 'workflow', queued: 0, running: 0 });
      // Nothing of the parent is ready or running: the run itself is waiting.
      expect((await readRun(t.db, tenant.tenantId, runId))?.state).toBe('waiting');
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'succeeded',
        output: 'HELLO ADA',
      });
      expect(await readRun(t.db, tenant.tenantId, child!.id)).toMatchObject({
        state: 'succeeded',
        parent_run_id: runId,
        output: { greeting: 'hello ada' },
      });
    });

    it('a child run that fails fails the workflow step and the parent run with CHILD_RUN_FAILED', async () => {
      await publish({
        name: 'child-fails',
        steps: [{ id: 'boom', type: 'task', with: { queue: 'probe', input: { failWith: 'KAPUTT' } } }],
      });
      await publish({
        name: 'parent-of-failure',
        steps: [{ id: 'call', type: 'workflow', with: { name: 'child-fails' } }],
      });
      const runId = await start('parent-of-failure', {});
      const run = await waitForRun(t.db, tenant.tenantId, runId);
      expect(run).toMatchObject({ state: 'failed', error_code: 'CHILD_RUN_FAILED' });
      expect(run.error_message).toContain('KAPUTT');
      const [child] = await childRuns(t.db, tenant.tenantId, runId);
      expect(child).toMatchObject({ state: 'failed', error_code: 'KAPUTT' });
    });

    it('cancelling a parent run cancels its running child runs', async () => {
      await publish({
        name: 'child-sleeps',
        steps: [{ id: 'nap', type: 'sleep', with: { duration: '1h' } }],
      });
      await publish({
        name: 'parent-cancelled',
        steps: [{ id: 'call', type: 'workflow', with: { name: 'child-sleeps' } }],
      });
      const runId = await start('parent-cancelled', {});
      await waitForRun(t.db, tenant.tenantId, runId, ['waiting', 'running']);
      let children = await childRuns(t.db, tenant.tenantId, runId);
      for (let i = 0; children.length === 0 && i < 500; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        children = await childRuns(t.db, tenant.tenantId, runId);
      }
      await t.db.tenantTx(tenant.tenantId, (tx) => cancelRun(tx, tenant.tenantId, runId, 'stop it'));
      expect(await readRun(t.db, tenant.tenantId, runId)).toMatchObject({ state: 'cancelled' });
      expect(await childRuns(t.db, tenant.tenantId, runId)).toMatchObject([
        { state: 'cancelled', error_code: 'PARENT_RUN_ENDED' },
      ]);
      const open = await t.db.tenantTx(tenant.tenantId, (tx) =>
        tx.query(
          `select 1 from run_steps where run_id = any($1::uuid[]) and state in ('pending', 'ready', 'running', 'waiting')`,
          [[runId, children[0]!.id]],
        ),
      );
      expect(open.rows).toHaveLength(0);
    });

    it('a workflow step that waits past its timeout times out with STEP_TIMEOUT and cancels its child run', async () => {
      await publish({ name: 'child-naps', steps: [{ id: 'nap', type: 'sleep', with: { duration: '1h' } }] });
      await publish({
        name: 'impatient',
        steps: [{ id: 'call', type: 'workflow', timeout: '300ms', with: { name: 'child-naps' } }],
      });
      const runId = await start('impatient', {});
      const run = await waitForRun(t.db, tenant.tenantId, runId);
      expect(run).toMatchObject({ state: 'failed', error_code: 'STEP_TIMEOUT' });
      expect(await stepStates(t.db, tenant.tenantId, runId)).toEqual({ call: 'timed_out' });
      expect(await childRuns(t.db, tenant.tenantId, runId)).toMatchObject([
        { state: 'cancelled', error_code: 'PARENT_RUN_ENDED' },
      ]);
    });

    it('a workflow that calls itself stops at the depth limit with CHILD_DEPTH_EXCEEDED', async () => {
      await publish({
        name: 'ouroboros',
        steps: [{ id: 'again', type: 'workflow', with: { name: 'ouroboros' } }],
      });
      const runId = await start('ouroboros', {});
      const run = await waitForRun(t.db, tenant.tenantId, runId);
      expect(run).toMatchObject({ state: 'failed', error_code: 'CHILD_RUN_FAILED' });
      const depths = await t.db.tenantTx(tenant.tenantId, (tx) =>
        tx.query<{ depth: number; error_code: string }>(
          `select depth, error_code from runs where root_run_id = $1 order by depth`,
          [runId],
        ),
      );
      expect(depths.rows.map((r) => r.depth)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(depths.rows.at(-1)?.error_code).toBe('CHILD_DEPTH_EXCEEDED');
    });

    it('a workflow step naming an unknown workflow or giving it invalid input fails with a CHILD_ code', async () => {
      await publish({
        name: 'needs-a-number',
        input: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
        steps: [{ id: 'x', type: 'transform', with: { value: '{{ input.n }}' } }],
      });
      await publish({
        name: 'calls-nobody',
        steps: [{ id: 'call', type: 'workflow', with: { name: 'does-not-exist' } }],
      });
      await publish({
        name: 'calls-badly',
        steps: [{ id: 'call', type: 'workflow', with: { name: 'needs-a-number', input: { n: 'seven' } } }],
      });
      const nobody = await start('calls-nobody', {});
      const badly = await start('calls-badly', {});
      expect(await waitForRun(t.db, tenant.tenantId, nobody)).toMatchObject({
        state: 'failed',
        error_code: 'CHILD_WORKFLOW_NOT_FOUND',
      });
      const bad = await waitForRun(t.db, tenant.tenantId, badly);
      expect(bad).toMatchObject({ state: 'failed', error_code: 'CHILD_RUN_INPUT_INVALID' });
      expect(bad.error_message).toContain('/n');
      expect(await childRuns(t.db, tenant.tenantId, badly)).toHaveLength(0);
    });
  });

  describe('run timeout', () => {
    it('a run past its workflow timeout ends as timed_out, and its running attempt is aborted', async () => {
      let aborted: unknown = null;
      const stubborn: StepExecutor = {
        type: 'http',
        execute: (ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              aborted = ctx.signal.reason;
              reject(ctx.signal.reason as Error);
            });
          }),
      };
      await publish({
        name: 'too-slow',
        timeout: '300ms',
        steps: [
          { id: 'wait', type: 'http', with: { url: 'https://example.com/' } },
          { id: 'nap', type: 'sleep', with: { duration: '1h' } },
        ],
      });
      const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
        startRun(tx, tenant.tenantId, { workflowName: 'too-slow', input: {}, idempotencyKey: null }),
      );
      worker = await startWorker(
        {
          db: t.db,
          logger: createLogger({ level: 'silent' }),
          executors: createBuiltinExecutors([executor, stubborn]),
        },
        { ...OPTIONS, leaseMs: 600 },
      );
      expect(await waitForRun(t.db, tenant.tenantId, runId)).toMatchObject({
        state: 'timed_out',
        error_code: 'RUN_TIMED_OUT',
      });
      expect(await stepStates(t.db, tenant.tenantId, runId)).toEqual({ wait: 'cancelled', nap: 'cancelled' });
      for (let i = 0; aborted === null && i < 200; i += 1) await new Promise((r) => setTimeout(r, 10));
      expect((aborted as { code?: string } | null)?.code).toBe('LEASE_LOST');
      const attempts = await t.db.tenantTx(tenant.tenantId, (tx) =>
        tx.query<{ outcome: string; error_code: string }>(
          `select outcome, error_code from step_attempts where run_id = $1 and step_key = 'wait'`,
          [runId],
        ),
      );
      expect(attempts.rows).toEqual([{ outcome: 'cancelled', error_code: 'RUN_TIMED_OUT' }]);
    });
  });
});
