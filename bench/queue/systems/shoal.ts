import { migrate, openPostgres, type Database } from '../../../packages/server/src/db/index.ts';
import { createRun, startWorker, type Worker } from '../../../packages/server/src/engine/index.ts';
import { createTenantWithOwner } from '../../../packages/server/src/identity/index.ts';
import { createLogger } from '../../../packages/server/src/observability/index.ts';
import { OPERATOR_CLI_ACTOR, updateTenantOverrides } from '../../../packages/server/src/scheduling/index.ts';
import { createBuiltinExecutors, type StepExecutor } from '../../../packages/server/src/steps/index.ts';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  type StepTypeSpec,
} from '../../../packages/server/src/workflows/index.ts';
import { publishForBench, type PublishedForBench } from '../../publish.ts';
import { chunk, mapParallel } from '../stats.ts';
import { sleep, type JobSpec, type Probe, type QueueInstance, type QueueSystem } from '../system.ts';

/** Worker slots, as graphile-worker's tuned perfTest (concurrency 24). */
export const SHOAL_SLOTS = 24;
const TERMINAL = `('succeeded', 'failed', 'cancelled', 'timed_out')`;
/** A step that sleeps `with.value` ms in the worker: registered only here, for W5 and W8. */
const BENCH_SLEEP = 'bench_sleep';

const transformSpec = BUILTIN_STEP_TYPES.find((s) => s.type === 'transform');
if (!transformSpec) throw new Error('no transform step type');
const benchSleepSpec: StepTypeSpec = {
  ...transformSpec,
  type: BENCH_SLEEP,
  description: 'bench/queue only: sleeps with.value ms in the worker process',
};
const stepTypes = createStepTypeRegistry([...BUILTIN_STEP_TYPES, benchSleepSpec]);

/** The built-in executors with `transform` reporting to the probe, and the bench's sleep step. */
function benchExecutors(probe: Probe): ReadonlyMap<string, StepExecutor> {
  const builtin = createBuiltinExecutors();
  const transform = builtin.get('transform');
  if (!transform) throw new Error('no transform executor');
  const probed: StepExecutor = {
    type: 'transform',
    async execute(ctx) {
      probe.start(ctx.runId);
      try {
        return await transform.execute(ctx);
      } finally {
        probe.end(ctx.runId);
      }
    },
  };
  const benchSleep: StepExecutor = {
    type: BENCH_SLEEP,
    async execute(ctx) {
      probe.start(ctx.runId);
      await sleep(Number((ctx.input as { value?: unknown }).value));
      probe.end(ctx.runId);
      return { kind: 'completed', output: null };
    },
  };
  return new Map([...builtin, ['transform', probed], [BENCH_SLEEP, benchSleep]]);
}

/** The bench workflow of one job: a no-op transform, or a bench_sleep step of `sleepMs`. */
function publish(db: Database, tenantId: string, sleepMs: number): Promise<PublishedForBench> {
  const step =
    sleepMs > 0
      ? { id: 'job', type: BENCH_SLEEP, with: { value: sleepMs } }
      : { id: 'job', type: 'transform', with: { value: 0 } };
  const definition = { name: sleepMs > 0 ? `sleep-${sleepMs}` : 'noop', steps: [step] };
  return publishForBench(db, tenantId, definition, stepTypes);
}

/**
 * Shoal: a job is a run of a one-step workflow (`transform`, or the bench's 5 ms sleep step)
 * created with createRun in a tenant transaction and run by startWorker in this process.
 * Tenants are real enterprise tenants; W8's weights are operator overrides (guarantee 0).
 */
export const shoal: QueueSystem = {
  name: 'shoal',
  settings: `startWorker in-process, ${SHOAL_SLOTS} slots, LISTEN/NOTIFY wake-up, poll 1 s; runs created with createRun (one transaction per enqueue; backlogs in batches of 100 per transaction, 4 in parallel); tenants on plan enterprise`,
  weights: true,
  async open(url, tenants, probe): Promise<QueueInstance> {
    const db = openPostgres({ url, poolSize: SHOAL_SLOTS + 8 });
    await migrate(db);
    const ids = new Map<string, string>();
    for (const t of tenants) {
      const { tenant } = await db.systemTx((sys) =>
        createTenantWithOwner(
          sys,
          {
            tenantName: t.name,
            plan: 'enterprise',
            email: `${t.name}@bench.test`,
            name: t.name,
            password: 'x'.repeat(12),
          },
          { requestId: null, ip: null },
        ),
      );
      ids.set(t.name, tenant.id);
    }
    const tenantIdOf = (name: string) => {
      const id = ids.get(name);
      if (!id) throw new Error(`unknown tenant ${name}`);
      return id;
    };
    if (tenants.some((t) => t.weight !== 1)) {
      // As an operator would (`shoal limits set`): a guarantee of 0, so that only weights decide.
      for (const t of tenants)
        await db.systemTx((sys) =>
          updateTenantOverrides(
            sys,
            tenantIdOf(t.name),
            { weight: t.weight, guaranteedConcurrency: 0 },
            { actor: OPERATOR_CLI_ACTOR, requestId: null, ip: null },
          ),
        );
    }
    const workflows = new Map<string, Promise<PublishedForBench>>();
    const workflowOf = (tenantId: string, sleepMs: number) => {
      const key = `${tenantId}:${sleepMs}`;
      let wf = workflows.get(key);
      if (!wf) {
        wf = publish(db, tenantId, sleepMs);
        workflows.set(key, wf);
      }
      return wf;
    };
    let worker: Worker | null = null;

    const create = async (tenantId: string, jobs: readonly JobSpec[]) => {
      const plans = await Promise.all(jobs.map((j) => workflowOf(tenantId, j.sleepMs)));
      return db.tenantTx(tenantId, async (tx) => {
        const runIds: string[] = [];
        for (const wf of plans) {
          const run = await createRun(tx, tenantId, {
            workflowId: wf.workflowId,
            workflowVersion: wf.version,
            input: {},
            steps: wf.steps,
          });
          runIds.push(run.runId);
        }
        return runIds;
      });
    };

    return {
      async enqueueMany(jobs) {
        // Batches of one tenant's jobs, in order: 100 createRun calls per transaction.
        const batches: { tenantId: string; jobs: JobSpec[] }[] = [];
        for (const part of chunk(jobs, 100)) {
          for (const job of part) {
            const last = batches.at(-1);
            const tenantId = tenantIdOf(job.tenant);
            if (last && last.tenantId === tenantId && last.jobs.length < 100) last.jobs.push(job);
            else batches.push({ tenantId, jobs: [job] });
          }
        }
        const results = await mapParallel(batches, 4, (b) => create(b.tenantId, b.jobs));
        return results.flat();
      },
      async prepare(jobs) {
        await Promise.all(jobs.map((job) => workflowOf(tenantIdOf(job.tenant), job.sleepMs)));
      },
      async enqueue(job) {
        const [runId] = await create(tenantIdOf(job.tenant), [job]);
        if (!runId) throw new Error('createRun returned no run');
        return runId;
      },
      async start() {
        worker = await startWorker(
          { db, logger: createLogger({ level: 'silent' }), executors: benchExecutors(probe) },
          {
            pool: 'shared',
            workerId: 'bench',
            concurrency: SHOAL_SLOTS,
            leaseMs: 30_000,
            pollMs: 1000,
            maintenanceMs: 1000,
          },
        );
      },
      async unfinished() {
        const rows = await db.ownerTx((tx) =>
          tx.query<{ id: string }>(`select id::text from runs where state not in ${TERMINAL}`),
        );
        return new Set(rows.rows.map((r) => r.id));
      },
      async failed() {
        const rows = await db.ownerTx((tx) =>
          tx.query<{ id: string }>(`select id::text from runs where state in ('failed', 'timed_out')`),
        );
        return new Set(rows.rows.map((r) => r.id));
      },
      async remaining() {
        const rows = await db.ownerTx((tx) =>
          tx.query<{ n: number }>(`select count(*)::int as n from runs where state not in ${TERMINAL}`),
        );
        return rows.rows[0]?.n ?? 0;
      },
      async stop() {
        await worker?.stop();
        worker = null;
      },
      async close() {
        await db.close();
      },
    };
  },
};
