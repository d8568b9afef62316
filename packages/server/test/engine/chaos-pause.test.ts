import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { claimStep, reapExpiredLeases, startRun, type Claim } from '../../src/engine/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { SHOAL_BIN } from '../support/run-cli.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';
import { allowManyRunStarts } from '../support/scheduling.ts';

/**
 * Real worker processes (`shoal serve --role worker`) on PostgreSQL; one that holds leases is
 * frozen with SIGSTOP past its lease and the reaper's interval, so the others reap and re-run its
 * steps, then resumed with SIGCONT. Its late heartbeats and completions must all be fenced out:
 * every step's recorded output was written by the attempt that succeeded, and the frozen
 * worker's attempts end as `lost`. Replay with SHOAL_TEST_SEED.
 */
const WORKERS = 3;
const PAUSES = 6;
const RUNS_PER_PAUSE = 60;
const LEASE_MS = 2000;
/** `shoal serve` reaps expired leases every second. */
const MAINTENANCE_MS = 1000;
/** Long enough past the lease and one reaper tick for the others to have reaped and re-claimed. */
const MIN_PAUSE_MS = LEASE_MS + MAINTENANCE_MS + 500;
const MAX_PAUSE_MS = 15_000;
const LEASE_LOST_LOG = 'attempt lost its lease';

/**
 * Every step writes the attempt that computed it (`run.attempt`) into its output, and burns a
 * little CPU in JSONata so a worker spends its time inside attempts rather than in transactions.
 */
const BURN = '{{ $reduce([1..800], function($a, $b) { $a + $b }) }}';
const BURNED = (800 * 801) / 2;
const chain = {
  name: 'paused-chain',
  steps: [
    {
      id: 'a',
      type: 'transform',
      with: { value: { v: '{{ input.n * 2 }}', attempt: '{{ run.attempt }}', burn: BURN } },
    },
    {
      id: 'b',
      type: 'transform',
      needs: ['a'],
      with: { value: { v: '{{ steps.a.output.v + 1 }}', attempt: '{{ run.attempt }}', burn: BURN } },
    },
    {
      id: 'c',
      type: 'transform',
      needs: ['b'],
      with: { value: { v: '{{ steps.b.output.v * 3 }}', attempt: '{{ run.attempt }}', burn: BURN } },
    },
  ],
  output: '{{ steps.c.output.v }}',
};
const expectedOutput = (n: number) => (n * 2 + 1) * 3;

interface WorkerProcess {
  child: ChildProcess;
  workerId: string;
  leaseLostLogs: number;
}

interface AttemptRef {
  run_id: string;
  step_key: string;
  attempt: number;
  [column: string]: unknown;
}

interface Pause {
  workerId: string;
  /** The frozen worker's running attempts, seen once it stopped. */
  held: AttemptRef[];
  /** Of those, the ones the other workers reaped (closed as `lost`) while it was frozen. */
  reaped: (AttemptRef & { reaped_at: Date; rerun_at: Date | null })[];
  /** Still running when it was resumed (the reaper did not get to them). */
  unreaped: AttemptRef[];
  /** Of those, the ones whose run or queue row it held locked in a transaction when it froze. */
  frozenInTx: AttemptRef[];
  stoppedAt: Date;
  resumedAt: Date;
  leaseLostLogsAfterResume: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const latest = (dates: (Date | null)[]) => Math.max(0, ...dates.map((d) => d?.getTime() ?? 0));
const refKey = (a: AttemptRef) => `${a.run_id}/${a.step_key}#${a.attempt}`;

describe.runIf(TEST_DRIVER === 'postgres')('engine chaos: paused workers', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('a worker frozen past its lease has its steps re-run by others, and its late writes are refused', async () => {
    onTestFailed(() => console.error(`chaos-pause seed: ${TEST_SEED} (rerun with SHOAL_TEST_SEED)`));
    const random = createRandom(TEST_SEED);
    const tenants: TestTenant[] = await Promise.all([
      seedTenant(t.db, 'pause-a'),
      seedTenant(t.db, 'pause-b'),
    ]);
    for (const tenant of tenants) {
      await allowManyRunStarts(t.db, tenant.tenantId);
      await publishDefinition(t.db, tenant.tenantId, chain);
    }

    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: t.url ?? '',
      PORT: '0',
      // info: the worker reports each attempt that lost its lease (counted, never asserted on).
      SHOAL_LOG_LEVEL: 'info',
      SHOAL_LEASE_MS: String(LEASE_MS),
      SHOAL_WORKER_CONCURRENCY: '8',
    };
    const spawnWorker = (): WorkerProcess => {
      const child = spawn(process.execPath, [SHOAL_BIN, 'serve', '--role', 'worker'], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const worker: WorkerProcess = { child, workerId: `${hostname()}:${child.pid}`, leaseLostLogs: 0 };
      let pending = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.includes(LEASE_LOST_LOG)) worker.leaseLostLogs += 1;
      });
      return worker;
    };
    const workers = Array.from({ length: WORKERS }, spawnWorker);

    const query = <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      t.db.ownerTx(async (tx) => (await tx.query<R>(sql, params)).rows);
    const runningAttemptsOf = (workerId: string) =>
      query<AttemptRef>(
        `select run_id, step_key, attempt from step_attempts where worker_id = $1 and outcome = 'running'`,
        [workerId],
      );

    const asArrays = (refs: AttemptRef[]) => [
      refs.map((r) => r.run_id),
      refs.map((r) => r.step_key),
      refs.map((r) => r.attempt),
    ];
    const HELD = `unnest($1::uuid[], $2::text[], $3::int[]) as h(run_id, step_key, attempt)`;
    const stillRunning = (refs: AttemptRef[]) =>
      query<AttemptRef>(
        `select a.run_id, a.step_key, a.attempt from step_attempts a join ${HELD}
            on a.run_id = h.run_id and a.step_key = h.step_key and a.attempt = h.attempt
          where a.outcome = 'running'`,
        asArrays(refs),
      );
    /** Held attempts closed as lost, with when they were reaped and when the next attempt started. */
    const lostOf = (refs: AttemptRef[]) =>
      query<AttemptRef & { reaped_at: Date; rerun_at: Date | null }>(
        `select a.run_id, a.step_key, a.attempt, a.ended_at as reaped_at, n.started_at as rerun_at
           from step_attempts a join ${HELD}
             on a.run_id = h.run_id and a.step_key = h.step_key and a.attempt = h.attempt
           left join step_attempts n
             on n.tenant_id = a.tenant_id and n.run_id = a.run_id and n.step_key = a.step_key and n.attempt = a.attempt + 1
          where a.outcome = 'lost'`,
        asArrays(refs),
      );
    /** Held attempts whose step no other worker has started again yet. */
    const notReclaimedYet = (refs: AttemptRef[]) =>
      query<AttemptRef>(
        `select h.run_id, h.step_key, h.attempt from run_steps s join ${HELD}
            on s.run_id = h.run_id and s.step_key = h.step_key
          where s.attempt <= h.attempt`,
        asArrays(refs),
      );
    /** Attempts whose run row or queue row another transaction holds locked right now. */
    const lockedByOthers = async (refs: AttemptRef[]): Promise<AttemptRef[]> => {
      if (refs.length === 0) return [];
      const free = await t.db.ownerTx(async (tx) => {
        const runs = await tx.query<{ id: string }>(
          `select id from runs where id = any($1::uuid[]) for update skip locked`,
          [refs.map((r) => r.run_id)],
        );
        const queued = await tx.query<{ run_id: string; step_key: string }>(
          `select q.run_id, q.step_key from step_queue q join ${HELD}
              on q.run_id = h.run_id and q.step_key = h.step_key
            for update of q skip locked`,
          asArrays(refs),
        );
        const locked = await tx.query<{ run_id: string; step_key: string }>(
          `select q.run_id, q.step_key from step_queue q join ${HELD}
              on q.run_id = h.run_id and q.step_key = h.step_key`,
          asArrays(refs),
        );
        // Only probing: the transaction ends without changing anything.
        const freeQueue = new Set(queued.rows.map((r) => `${r.run_id}/${r.step_key}`));
        return {
          runs: new Set(runs.rows.map((r) => r.id)),
          lockedQueue: new Set(
            locked.rows.map((r) => `${r.run_id}/${r.step_key}`).filter((k) => !freeQueue.has(k)),
          ),
        };
      });
      return refs.filter(
        (r) => !free.runs.has(r.run_id) || free.lockedQueue.has(`${r.run_id}/${r.step_key}`),
      );
    };

    let n = 0;
    const startBatch = async () => {
      for (let i = 0; i < RUNS_PER_PAUSE; i += 1, n += 1) {
        const tenant = random.pick(tenants);
        await t.db.tenantTx(tenant.tenantId, (tx) =>
          startRun(tx, tenant.tenantId, { workflowName: chain.name, input: { n }, idempotencyKey: null }),
        );
      }
    };

    /** The live worker holding the most unexpired leases (ties broken by the seed), or null. */
    const pickLeaseHolder = async (): Promise<WorkerProcess | null> => {
      const holders = await query<{ owner: string; leases: number }>(
        `select lease_owner as owner, count(*)::int as leases from step_queue
          where lease_owner is not null and lease_expires_at > clock_timestamp() group by 1`,
      );
      const best = Math.max(0, ...holders.map((h) => h.leases));
      if (best < 2) return null;
      const top = holders.filter((h) => h.leases === best).map((h) => h.owner);
      const owner = random.pick(top);
      return workers.find((w) => w.workerId === owner) ?? null;
    };

    const pauses: Pause[] = [];
    try {
      // Boot: every worker has connected once it has taken part in a first batch.
      await startBatch();
      while (pauses.length < PAUSES) {
        if (pauses.length > 0) await startBatch();
        let victim: WorkerProcess | null = null;
        for (let tries = 0; !victim && tries < 400; tries += 1) {
          victim = await pickLeaseHolder();
          if (!victim) await sleep(25);
        }
        if (!victim) throw new Error(`seed ${TEST_SEED}: no worker ever held two leases`);
        victim.child.kill('SIGSTOP');
        const stoppedAt = new Date();
        // Anything it sent before the signal has landed by now; what is running is what it holds.
        await sleep(200);
        const held = await runningAttemptsOf(victim.workerId);
        // Stay frozen past lease + a reaper tick, and until the others have reaped and re-claimed
        // every attempt it held, except those whose run it has locked in a transaction it was
        // frozen in the middle of (a completion that may still commit: nobody took a newer attempt).
        let frozenInTx: AttemptRef[] = [];
        let unreaped: AttemptRef[] = held;
        for (;;) {
          const elapsed = Date.now() - stoppedAt.getTime();
          if (elapsed >= MIN_PAUSE_MS) {
            unreaped = await stillRunning(held);
            const notReclaimed = await notReclaimedYet(held);
            frozenInTx = await lockedByOthers(unreaped);
            if (notReclaimed.every((a) => frozenInTx.some((f) => refKey(f) === refKey(a)))) break;
          }
          if (elapsed >= MAX_PAUSE_MS) break;
          await sleep(100);
        }
        // A live worker locks a run for milliseconds: count only what stays locked.
        await sleep(150);
        const lockedAgain = new Set((await lockedByOthers(frozenInTx)).map(refKey));
        frozenInTx = frozenInTx.filter((a) => lockedAgain.has(refKey(a)));
        const reaped = await lostOf(held);
        const logsBefore = victim.leaseLostLogs;
        const resumedAt = new Date();
        victim.child.kill('SIGCONT');
        // Let its timers fire: the stale heartbeats and completions it now sends are refused.
        await sleep(1000);
        pauses.push({
          workerId: victim.workerId,
          held,
          reaped,
          unreaped,
          frozenInTx,
          stoppedAt,
          resumedAt,
          leaseLostLogsAfterResume: victim.leaseLostLogs - logsBefore,
        });
      }
      const open = () =>
        query<{ n: number }>(
          `select count(*)::int as n from runs where state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`,
        ).then((rows) => rows[0]?.n ?? 0);
      const deadline = Date.now() + 60_000;
      while ((await open()) > 0 && Date.now() < deadline) await sleep(250);
      expect(await open(), `seed ${TEST_SEED}: runs left unfinished`).toBe(0);
    } finally {
      for (const worker of workers) {
        worker.child.kill('SIGCONT');
        worker.child.kill('SIGKILL');
      }
    }

    const runs = n;
    const inTx = new Set(pauses.flatMap((p) => p.frozenInTx).map(refKey));
    // The attempts a frozen worker held outside any transaction: these must all have been fenced.
    const held = pauses.flatMap((p) => p.held).filter((a) => !inTx.has(refKey(a)));
    const summary = pauses.map(
      (p) =>
        `${p.workerId}: held ${p.held.length} (${p.frozenInTx.length} mid-transaction), ` +
        `reaped ${p.reaped.length} (last ${latest(p.reaped.map((r) => r.reaped_at)) - p.stoppedAt.getTime()} ms ` +
        `and re-run ${latest(p.reaped.map((r) => r.rerun_at)) - p.stoppedAt.getTime()} ms after SIGSTOP), ` +
        `resumed after ${p.resumedAt.getTime() - p.stoppedAt.getTime()} ms, ` +
        `${p.leaseLostLogsAfterResume} '${LEASE_LOST_LOG}' logs after SIGCONT`,
    );
    console.info(`chaos-pause seed ${TEST_SEED}: ${runs} runs, ${PAUSES} pauses\n  ${summary.join('\n  ')}`);

    // Each pause froze a worker holding leases, and the others reaped what it held while it was frozen.
    expect(pauses).toHaveLength(PAUSES);
    for (const pause of pauses) expect(pause.held.length, pause.workerId).toBeGreaterThan(0);
    expect(
      pauses.flatMap((p) => p.unreaped.filter((a) => !inTx.has(refKey(a))).map(refKey)),
      `seed ${TEST_SEED}: attempts of a frozen worker that nobody reaped while it was frozen`,
    ).toEqual([]);
    expect(held.length, `seed ${TEST_SEED}`).toBeGreaterThan(PAUSES);

    await t.db.ownerTx(async (tx) => {
      const states = await tx.query<{ state: string; n: number }>(
        'select state, count(*)::int as n from runs group by 1',
      );
      expect(states.rows).toEqual([{ state: 'succeeded', n: runs }]);
      const outputs = await tx.query<{ input: { n: number }; output: unknown }>(
        'select input, output from runs',
      );
      const wrong = { rows: outputs.rows.filter((r) => r.output !== expectedOutput(r.input.n)) };
      expect(wrong.rows, 'a run with a wrong output').toEqual([]);

      // Exactly one succeeded attempt per step, and it is the step's current attempt.
      const steps = await tx.query<{ n: number }>('select count(*)::int as n from run_steps');
      expect(steps.rows[0]?.n).toBe(runs * chain.steps.length);
      const notOnce = await tx.query(
        `select s.run_id, s.step_key, count(a.*) filter (where a.outcome = 'succeeded') as succeeded
           from run_steps s left join step_attempts a
             on a.tenant_id = s.tenant_id and a.run_id = s.run_id and a.step_key = s.step_key
          group by 1, 2 having count(a.*) filter (where a.outcome = 'succeeded') <> 1`,
      );
      expect(notOnce.rows, 'a step without exactly one succeeded attempt').toEqual([]);
      // The recorded output was computed by that attempt, not by a stale one that wrote late.
      const stale = await tx.query(
        `select s.run_id, s.step_key, s.attempt, a.attempt as succeeded_attempt, s.output
           from run_steps s join step_attempts a
             on a.tenant_id = s.tenant_id and a.run_id = s.run_id and a.step_key = s.step_key and a.outcome = 'succeeded'
          where s.state <> 'succeeded' or a.attempt <> s.attempt
             or (s.output ->> 'attempt')::int <> s.attempt or (s.output ->> 'burn')::int <> $1`,
        [BURNED],
      );
      expect(stale.rows, 'an output recorded by a stale attempt').toEqual([]);

      // What the frozen workers held ended as lost, never succeeded, and was re-run by a later
      // attempt (one frozen mid-completion may still commit: no newer attempt existed).
      const fates = await tx.query<AttemptRef & { outcome: string; current: number }>(
        `select a.run_id, a.step_key, a.attempt, a.outcome, s.attempt as current
           from step_attempts a
           join unnest($1::uuid[], $2::text[], $3::int[]) as h(run_id, step_key, attempt)
             on a.run_id = h.run_id and a.step_key = h.step_key and a.attempt = h.attempt
           join run_steps s on s.tenant_id = a.tenant_id and s.run_id = a.run_id and s.step_key = a.step_key`,
        asArrays(held),
      );
      expect(fates.rows).toHaveLength(held.length);
      expect(fates.rows.filter((f) => f.outcome !== 'lost' || f.current <= f.attempt)).toEqual([]);
      const leftovers = await tx.query<{ queued: number; running: number }>(
        `select (select count(*)::int from step_queue) as queued,
                (select count(*)::int from step_attempts where outcome = 'running') as running`,
      );
      expect(leftovers.rows[0]).toEqual({ queued: 0, running: 0 });
      const lost = await tx.query<{ n: number }>(
        `select count(*)::int as n from step_attempts where outcome = 'lost'`,
      );
      console.info(
        `chaos-pause seed ${TEST_SEED}: ${held.length} attempts held by frozen workers, all lost and re-run; ` +
          `${lost.rows[0]?.n ?? 0} attempts lost in all`,
      );
    });
  }, 180_000);
});

describe.runIf(TEST_DRIVER === 'postgres')('engine reaper and a frozen transaction', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  // A worker frozen inside a completion holds its run's lock until it wakes (found by the test above).
  it('the reaper does not wait behind a run locked by a frozen transaction: it reaps the others', async () => {
    const tenant = await seedTenant(t.db, 'frozen-tx');
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'one-step',
      steps: [{ id: 'a', type: 'transform', with: { value: 1 } }],
    });
    const runs: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
        startRun(tx, tenant.tenantId, { workflowName: 'one-step', input: {}, idempotencyKey: null }),
      );
      runs.push(runId);
    }
    const claims: Claim[] = [];
    for (let i = 0; i < 2; i += 1) {
      const claim = await t.db.systemTx((sys) =>
        claimStep(sys, { pool: 'shared', workerId: 'frozen', leaseMs: 30_000 }),
      );
      if (!claim) throw new Error('nothing to claim');
      claims.push(claim);
    }
    await t.db.ownerTx((tx) =>
      tx.query(`update step_queue set lease_expires_at = now() - interval '1 second'`),
    );
    const [locked, free] = claims as [Claim, Claim];

    // The frozen worker's transaction: it locked the run (as a completion does) and went quiet.
    let release: () => void = () => undefined;
    let lockTaken: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const frozen = t.db.ownerTx(async (tx) => {
      await tx.query('select 1 from runs where id = $1 for update', [locked.runId]);
      lockTaken();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await taken;
    try {
      const reaped = await Promise.race([
        t.db.systemTx((sys) => reapExpiredLeases(sys)),
        sleep(10_000).then(() => 'still waiting for the locked run after 10 s'),
      ]);
      expect(reaped).toEqual({ requeued: 1, failed: 0 });
    } finally {
      release();
      await frozen;
    }
    const outcomes = await t.db.ownerTx((tx) =>
      tx.query<{ run_id: string; outcome: string }>(
        'select run_id, outcome from step_attempts where run_id = any($1::uuid[])',
        [runs],
      ),
    );
    expect(Object.fromEntries(outcomes.rows.map((r) => [r.run_id, r.outcome]))).toEqual({
      [locked.runId]: 'running',
      [free.runId]: 'lost',
    });
    // Once the lock is gone, the next tick reaps it.
    expect(await t.db.systemTx((sys) => reapExpiredLeases(sys))).toEqual({ requeued: 1, failed: 0 });
  });
});
