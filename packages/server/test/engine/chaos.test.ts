import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, planSteps } from '../../src/engine/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { SHOAL_BIN } from '../support/run-cli.ts';
import { seedTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

/**
 * Real worker processes (`shoal serve --role worker`) on PostgreSQL, killed with SIGKILL at
 * random and restarted while they run 1,000 runs: every run finishes, no step is recorded
 * twice, and nothing stays stuck past lease + backoff. Replay with SHOAL_TEST_SEED.
 */
const RUNS = 1000;
const WORKERS = 3;
const KILLS = 20;
const LEASE_MS = 1000;

describe.runIf(TEST_DRIVER === 'postgres')('engine chaos', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('SIGKILLed worker processes lose no run and record no step twice', async () => {
    const random = createRandom(TEST_SEED);
    const tenants = await Promise.all([seedTenant(t.db, 'chaos-a'), seedTenant(t.db, 'chaos-b')]);
    const workflows = new Map<string, Awaited<ReturnType<typeof publishDefinition>>>();
    for (const tenant of tenants) {
      workflows.set(
        tenant.tenantId,
        await publishDefinition(t.db, tenant.tenantId, {
          name: 'chain',
          steps: [
            { id: 'a', type: 'transform', with: { value: '{{ input.n }}' } },
            { id: 'b', type: 'transform', needs: ['a'], with: { value: '{{ steps.a.output + 1 }}' } },
            { id: 'c', type: 'sleep', needs: ['a'], with: { duration: '20ms' } },
            { id: 'd', type: 'transform', needs: ['b', 'c'], with: { value: '{{ steps.b.output * 2 }}' } },
          ],
          output: '{{ steps.d.output }}',
        }),
      );
    }
    for (let i = 0; i < RUNS; i += 1) {
      const tenant = random.pick(tenants);
      const wf = workflows.get(tenant.tenantId);
      if (!wf) throw new Error('no workflow');
      await t.db.tenantTx(tenant.tenantId, (tx) =>
        createRun(tx, tenant.tenantId, {
          workflowId: wf.workflowId,
          workflowVersion: wf.version,
          input: { n: i },
          steps: planSteps(wf.definition),
        }),
      );
    }

    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: t.url ?? '',
      PORT: '0',
      SHOAL_LOG_LEVEL: 'error',
      SHOAL_LEASE_MS: String(LEASE_MS),
      SHOAL_WORKER_CONCURRENCY: '8',
    };
    const spawnWorker = (): ChildProcess =>
      spawn(process.execPath, [SHOAL_BIN, 'serve', '--role', 'worker'], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    const workers: ChildProcess[] = Array.from({ length: WORKERS }, spawnWorker);
    const open = async () =>
      t.db.ownerTx(async (tx) => {
        const r = await tx.query<{ n: number }>(
          `select count(*)::int as n from runs where state not in ('succeeded', 'failed', 'cancelled')`,
        );
        return r.rows[0]?.n ?? 0;
      });

    let kills = 0;
    try {
      while (kills < KILLS) {
        // A restarted worker needs a few seconds to boot: kill at a pace that catches them working.
        await new Promise((resolve) => setTimeout(resolve, 1500 + random.int(2500)));
        const index = random.int(WORKERS);
        const victim = workers[index];
        if (!victim) continue;
        victim.kill('SIGKILL');
        kills += 1;
        workers[index] = spawnWorker();
      }
      const deadline = Date.now() + 240_000;
      while ((await open()) > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      for (const worker of workers) worker.kill('SIGKILL');
    }

    expect(kills).toBe(KILLS);
    expect(await open(), `seed ${TEST_SEED}: runs left unfinished`).toBe(0);
    await t.db.ownerTx(async (tx) => {
      const states = await tx.query<{ state: string; n: number }>(
        'select state, count(*)::int as n from runs group by 1',
      );
      expect(states.rows).toEqual([{ state: 'succeeded', n: RUNS }]);
      const wrong = await tx.query(
        `select id from runs where output <> to_jsonb(((input ->> 'n')::int + 1) * 2)`,
      );
      expect(wrong.rows, 'a run with a wrong output').toEqual([]);
      const twice = await tx.query(
        `select run_id, step_key from step_attempts where outcome = 'succeeded' group by 1, 2 having count(*) > 1`,
      );
      expect(twice.rows, 'a step recorded twice').toEqual([]);
      const notCurrent = await tx.query(
        `select s.run_id, s.step_key from run_steps s join step_attempts a
            on a.tenant_id = s.tenant_id and a.run_id = s.run_id and a.step_key = s.step_key and a.outcome = 'succeeded'
          where a.attempt <> s.attempt`,
      );
      expect(notCurrent.rows, 'a result recorded by a stale attempt').toEqual([]);
      const leftovers = await tx.query<{ queued: number; running: number }>(
        `select (select count(*)::int from step_queue) as queued,
                (select count(*)::int from step_attempts where outcome = 'running') as running`,
      );
      expect(leftovers.rows[0]).toEqual({ queued: 0, running: 0 });
      const lost = await tx.query<{ n: number }>(
        `select count(*)::int as n from step_attempts where outcome = 'lost'`,
      );
      console.info(
        `chaos seed ${TEST_SEED}: ${kills} kills, ${lost.rows[0]?.n ?? 0} attempts lost and retried`,
      );
    });
  }, 420_000);
});
