import { Logger, makeWorkerUtils, run, type Runner } from 'graphile-worker';
import pg from 'pg';
import { chunk } from '../stats.ts';
import { sleep, type JobSpec, type QueueSystem } from '../system.ts';

const TASK = 'bench';
const silent = new Logger(() => () => undefined);

/** graphile-worker's perfTest settings (perfTest/graphile.config.js in graphile/worker). */
const TUNED = {
  concurrentJobs: 24,
  maxPoolSize: 25,
  localQueue: { size: 500, refetchDelay: { durationMs: 10 } },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
};

/**
 * graphile-worker 0.17.3, one runner in this process. Its jobs have no tenant: the tenant is a
 * payload field and every job shares one task and no queue_name (a named queue would run one
 * tenant's jobs serially), so it is FIFO across tenants (priority, run_at, id).
 */
function graphileWorker(name: string, settings: string, preset: Record<string, unknown>): QueueSystem {
  return {
    name,
    settings,
    weights: false,
    async open(url, _tenants, probe) {
      // Our own pools, so that close() ends every connection before the database is dropped.
      const pgPool = new pg.Pool({ connectionString: url, max: Number(preset.maxPoolSize ?? 10) });
      const inspect = new pg.Pool({ connectionString: url, max: 2 });
      for (const pool of [pgPool, inspect]) {
        pool.on('error', () => undefined);
        pool.on('connect', (client) => client.on('error', () => undefined));
      }
      const utils = await makeWorkerUtils({ pgPool: inspect, logger: silent });
      await utils.migrate();
      let runner: Runner | null = null;
      const spec = (job: JobSpec) => ({ identifier: TASK, payload: job });
      return {
        async enqueueMany(jobs) {
          const ids: string[] = [];
          for (const part of chunk(jobs, 2000)) {
            const added = await utils.addJobs(part.map(spec));
            ids.push(...added.map((j) => String(j.id)));
          }
          return ids;
        },
        async enqueue(job) {
          return String((await utils.addJob(TASK, job)).id);
        },
        async start() {
          runner = await run({
            pgPool,
            logger: silent,
            noHandleSignals: true,
            preset: { worker: preset },
            taskList: {
              [TASK]: async (payload, helpers) => {
                const id = String(helpers.job.id);
                probe.start(id);
                const ms = (payload as JobSpec).sleepMs;
                if (ms > 0) await sleep(ms);
                probe.end(id);
              },
            },
          });
        },
        async unfinished() {
          const rows = await inspect.query<{ id: string }>(
            'select id::text from graphile_worker._private_jobs',
          );
          return new Set(rows.rows.map((r) => r.id));
        },
        async failed() {
          const rows = await inspect.query<{ id: string }>(
            'select id::text from graphile_worker._private_jobs where last_error is not null',
          );
          return new Set(rows.rows.map((r) => r.id));
        },
        async remaining() {
          const rows = await inspect.query<{ n: number }>(
            'select count(*)::int as n from graphile_worker._private_jobs',
          );
          return rows.rows[0]?.n ?? 0;
        },
        async stop() {
          await runner?.stop();
          runner = null;
        },
        async close() {
          await utils.release();
          await pgPool.end();
          await inspect.end();
        },
      };
    },
  };
}

export const graphileDefaults = graphileWorker(
  'graphile-worker defaults',
  'graphile-worker 0.17.3 `run()` with its defaults: concurrency 1, pool 10, no local queue, no completion batching; LISTEN/NOTIFY, poll 2 s',
  {},
);

export const graphileTuned = graphileWorker(
  'graphile-worker tuned',
  'graphile-worker 0.17.3 with its perfTest settings: concurrentJobs 24, maxPoolSize 25, localQueue { size 500, refetchDelay 10 ms }, completeJobBatchDelay 0, failJobBatchDelay 0 (one process, not perfTest`s 4)',
  TUNED,
);
