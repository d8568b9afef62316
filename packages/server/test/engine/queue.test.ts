import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import {
  claimStep,
  completeStep,
  createRun,
  failStep,
  heartbeat,
  LOST_LEASE_ATTEMPTS,
  reapExpiredLeases,
  type Claim,
  type RetryPolicy,
  type StepPlan,
} from '../../src/engine/index.ts';
import { seedWorkflowVersion } from '../support/engine.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const RETRY_3: RetryPolicy = {
  maxAttempts: 3,
  initialMs: 60_000,
  factor: 2,
  maxMs: 600_000,
  jitter: 0,
  nonRetryable: ['BAD_INPUT'],
};
const POOL = { pool: 'shared' };

const step = (id: string, needs: string[] = [], retry: RetryPolicy = RETRY_3): StepPlan => ({
  key: id,
  id,
  type: 'transform',
  needs,
  retry,
});
/** a → (b, c) → d */
const DIAMOND = [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])];

const claim = (db: Database, workerId = 'w1', leaseMs = 30_000) =>
  db.systemTx((sys) => claimStep(sys, { pool: 'shared', workerId, leaseMs }));

async function stepStates(db: Database, tenantId: string, runId: string) {
  return db.tenantTx(tenantId, async (tx) => {
    const rows = await tx.query<{ step_key: string; state: string; attempt: number }>(
      'select step_key, state, attempt from run_steps where run_id = $1 order by step_key',
      [runId],
    );
    return Object.fromEntries(rows.rows.map((r) => [r.step_key, `${r.state}#${r.attempt}`]));
  });
}

async function runState(db: Database, tenantId: string, runId: string) {
  return db.tenantTx(tenantId, async (tx) => {
    const rows = await tx.query<{ state: string; error_code: string | null }>(
      'select state, error_code from runs where id = $1',
      [runId],
    );
    return rows.rows[0];
  });
}

/** Moves a leased step's lease into the past, as if its worker had stalled. */
async function expireLease(db: Database, c: Claim) {
  await db.ownerTx((tx) =>
    tx.query(
      `update step_queue set lease_expires_at = now() - interval '1 second' where tenant_id = $1 and run_id = $2 and step_key = $3`,
      [c.tenantId, c.runId, c.stepKey],
    ),
  );
}

describe('engine queue', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let other: TestTenant;
  let workflowId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'engine');
    other = await seedTenant(t.db, 'engine-other');
    workflowId = await seedWorkflowVersion(t.db, tenant.tenantId);
  });
  afterAll(() => t.drop());

  const start = (steps: StepPlan[], idempotencyKey?: string) =>
    t.db.tenantTx(tenant.tenantId, (tx) =>
      createRun(tx, tenant.tenantId, {
        workflowId,
        workflowVersion: 1,
        input: {},
        steps,
        idempotencyKey: idempotencyKey ?? null,
      }),
    );
  const complete = (c: Claim, output: unknown) =>
    t.db.tenantTx(c.tenantId, (tx) => completeStep(tx, c, output, POOL));
  const drain = async () => {
    for (let c = await claim(t.db); c; c = await claim(t.db)) await complete(c, null);
  };

  it('a diamond runs a, then b and c, then d, and the run succeeds once d is done', async () => {
    await drain();
    const { runId } = await start(DIAMOND);
    const a = await claim(t.db);
    expect(a).toMatchObject({ runId, stepKey: 'a', attempt: 1 });
    expect(await claim(t.db)).toBeNull();
    expect(await complete(a!, { n: 1 })).toEqual({ runSucceeded: false, readied: ['b', 'c'], chained: null });
    const b = await claim(t.db);
    const c = await claim(t.db);
    expect(new Set([b?.stepKey, c?.stepKey])).toEqual(new Set(['b', 'c']));
    expect((await complete(b!, 2)).readied).toEqual([]);
    expect((await complete(c!, 3)).readied).toEqual(['d']);
    const d = await claim(t.db);
    expect(await complete(d!, 4)).toEqual({ runSucceeded: true, readied: [], chained: null });
    expect(await runState(t.db, tenant.tenantId, runId)).toEqual({ state: 'succeeded', error_code: null });
    expect(await stepStates(t.db, tenant.tenantId, runId)).toEqual({
      a: 'succeeded#1',
      b: 'succeeded#1',
      c: 'succeeded#1',
      d: 'succeeded#1',
    });
  });

  it('a completion that makes the step it chains to ready claims it in the same statement; the rest stay queued', async () => {
    await drain();
    const { runId } = await start(DIAMOND);
    const a = await claim(t.db);
    const chain = { after: 'a', key: 'b', workerId: 'w-chain', leaseMs: 30_000, reads: ['a'] };
    const done = await t.db.tenantTx(tenant.tenantId, (tx) =>
      completeStep(tx, a!, { n: 1 }, { ...POOL, chain }),
    );
    expect(done.readied).toEqual(['c']);
    expect(done.chained).toMatchObject({
      step_key: 'b',
      attempt: 1,
      input: {},
      steps: { a: { output: { n: 1 } } },
    });
    expect(await stepStates(t.db, tenant.tenantId, runId)).toMatchObject({ b: 'running#1', c: 'ready#0' });
    const rows = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ step_key: string; lease_owner: string | null; worker_id: string | null }>(
        `select q.step_key, q.lease_owner, a.worker_id from step_queue q
           left join step_attempts a on a.run_id = q.run_id and a.step_key = q.step_key and a.attempt = 1
          where q.run_id = $1 order by q.step_key`,
        [runId],
      ),
    );
    expect(rows.rows).toEqual([
      { step_key: 'b', lease_owner: 'w-chain', worker_id: 'w-chain' },
      { step_key: 'c', lease_owner: null, worker_id: null },
    ]);
    // The chained attempt is a claim like any other: its worker completes it with attempt 1.
    const c = await claim(t.db);
    expect(c?.stepKey).toBe('c');
    await complete(c!, 3);
    expect(
      (await complete({ ...a!, stepKey: 'b', stepId: 'b', attempt: 1, workerId: 'w-chain' }, 2)).readied,
    ).toEqual(['d']);
    await drain();
    expect(await runState(t.db, tenant.tenantId, runId)).toEqual({ state: 'succeeded', error_code: null });
  });

  it('the same idempotency key returns the same run', async () => {
    const first = await start([step('a')], 'order-42');
    const again = await start([step('a')], 'order-42');
    expect(again).toEqual({ runId: first.runId, created: false });
    await drain();
  });

  it('a stale attempt cannot complete or heartbeat once its lease was reaped and the step reclaimed', async () => {
    const { runId } = await start([step('a')]);
    const first = await claim(t.db, 'w-stalled', 30_000);
    await expireLease(t.db, first!);
    expect(await t.db.systemTx((sys) => reapExpiredLeases(sys))).toEqual({ requeued: 1, failed: 0 });
    await expect(complete(first!, 'late')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    const second = await claim(t.db, 'w-healthy');
    expect(second?.attempt).toBe(2);
    expect(await t.db.systemTx((sys) => heartbeat(sys, first!, 30_000))).toBe(false);
    expect(await t.db.systemTx((sys) => heartbeat(sys, second!, 30_000))).toBe(true);
    await complete(second!, 'fresh');
    await expect(complete(first!, 'late')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    const attempts = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ attempt: number; outcome: string; worker_id: string }>(
        'select attempt, outcome, worker_id from step_attempts where run_id = $1 order by attempt',
        [runId],
      ),
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, outcome: 'lost', worker_id: 'w-stalled' },
      { attempt: 2, outcome: 'succeeded', worker_id: 'w-healthy' },
    ]);
    const output = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query<{ output: unknown }>('select output from run_steps where run_id = $1', [runId]),
    );
    expect(output.rows[0]?.output).toBe('fresh');
  });

  it('a retryable failure waits out its backoff before the next attempt', async () => {
    await drain();
    const { runId } = await start([step('a')]);
    const first = await claim(t.db);
    const result = await t.db.tenantTx(tenant.tenantId, (tx) =>
      failStep(tx, first!, { code: 'TIMEOUT', message: 'slow upstream' }, RETRY_3),
    );
    expect(result).toEqual({ outcome: 'retrying', delayMs: 60_000 });
    expect(await claim(t.db)).toBeNull();
    await t.db.ownerTx((tx) =>
      tx.query(`update step_queue set available_at = now() where run_id = $1`, [runId]),
    );
    const second = await claim(t.db);
    expect(second?.attempt).toBe(2);
    await complete(second!, 'ok');
    expect((await runState(t.db, tenant.tenantId, runId))?.state).toBe('succeeded');
  });

  it('a non-retryable failure fails the step and the run, and cancels what was left', async () => {
    await drain();
    const { runId } = await start(DIAMOND);
    const a = await claim(t.db);
    await complete(a!, null);
    const b = await claim(t.db);
    const c = await claim(t.db);
    const result = await t.db.tenantTx(tenant.tenantId, (tx) =>
      failStep(tx, b!, { code: 'BAD_INPUT', message: 'no' }, RETRY_3),
    );
    expect(result).toEqual({ outcome: 'failed' });
    expect(await runState(t.db, tenant.tenantId, runId)).toEqual({
      state: 'failed',
      error_code: 'BAD_INPUT',
    });
    expect(await stepStates(t.db, tenant.tenantId, runId)).toEqual({
      a: 'succeeded#1',
      b: 'failed#1',
      c: 'cancelled#1',
      d: 'cancelled#0',
    });
    // The sibling that was running is fenced out: its result is refused.
    await expect(complete(c!, 'too late')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await claim(t.db)).toBeNull();
  });

  it('a lost worker is retried even past a stingy retry policy, and a poison step fails after LOST_LEASE_ATTEMPTS', async () => {
    await drain();
    const { runId } = await start([step('a', [], { ...RETRY_3, maxAttempts: 1 })]);
    const outcomes = Array.from({ length: LOST_LEASE_ATTEMPTS }, (_, i) =>
      i < LOST_LEASE_ATTEMPTS - 1 ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 },
    );
    for (const expected of outcomes) {
      const c = await claim(t.db);
      await expireLease(t.db, c!);
      expect(await t.db.systemTx((sys) => reapExpiredLeases(sys))).toEqual(expected);
    }
    expect(await runState(t.db, tenant.tenantId, runId)).toEqual({
      state: 'failed',
      error_code: 'LEASE_EXPIRED',
    });
    expect(await claim(t.db)).toBeNull();
  });

  it("a worker cannot complete a step through another tenant's transaction", async () => {
    await drain();
    await start([step('a')]);
    const c = await claim(t.db);
    await expect(
      t.db.tenantTx(other.tenantId, (tx) => completeStep(tx, { ...c!, tenantId: other.tenantId }, 'x', POOL)),
    ).rejects.toMatchObject({
      code: 'LEASE_LOST',
    });
    await complete(c!, 'mine');
  });
});
