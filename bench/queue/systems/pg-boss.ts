import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { chunk } from '../stats.ts';
import { sleep, type JobSpec, type QueueSystem } from '../system.ts';

const QUEUE = 'bench';
const WORKERS = 24;

/**
 * pg-boss 10.4.2 in this process: one queue for every tenant (the tenant is a data field), so it
 * is FIFO across tenants (priority, created_on). 24 `work()` loops of one job each give 24 slots.
 * v10 has no LISTEN/NOTIFY: a loop sleeps `pollingIntervalSeconds` (0.5 s, the minimum) after
 * every fetch, which caps 24 loops at ~48 jobs/s; each handler calls `notifyWorker` on its own
 * loop so that a loop that found a job fetches again at once (generous to pg-boss).
 */
export const pgBoss: QueueSystem = {
  name: 'pg-boss',
  settings: `pg-boss 10.4.2, one queue, ${WORKERS} work() loops with batchSize 1, pollingIntervalSeconds 0.5 (minimum; no LISTEN/NOTIFY in v10), a loop that got a job re-polls at once (notifyWorker), pool max ${WORKERS + 2}`,
  weights: false,
  async open(url, _tenants, probe) {
    const boss = new PgBoss({ connectionString: url, max: WORKERS + 2 });
    // Once closed, its last connections end when the database is dropped: not worth a line.
    let closed = false;
    boss.on('error', (error: Error) => {
      if (!closed) console.error('pg-boss:', error.message);
    });
    await boss.start();
    await boss.createQueue(QUEUE);
    const loops: string[] = [];
    return {
      async enqueueMany(jobs) {
        const ids = jobs.map(() => randomUUID());
        let i = 0;
        for (const part of chunk(jobs, 2000)) {
          await boss.insert(part.map((data) => ({ id: ids[i++] as string, name: QUEUE, data })));
        }
        return ids;
      },
      async enqueue(job) {
        const id = await boss.send(QUEUE, job);
        if (!id) throw new Error('pg-boss send returned no id');
        return id;
      },
      async start() {
        for (let n = 0; n < WORKERS; n += 1) {
          let self = '';
          self = await boss.work<JobSpec>(
            QUEUE,
            { batchSize: 1, pollingIntervalSeconds: 0.5 },
            async (jobs) => {
              for (const job of jobs) {
                probe.start(job.id);
                if (job.data.sleepMs > 0) await sleep(job.data.sleepMs);
                probe.end(job.id);
              }
              if (self) boss.notifyWorker(self);
            },
          );
          loops.push(self);
        }
      },
      async unfinished() {
        const rows = await boss
          .getDb()
          .executeSql(`select id::text from pgboss.job where state < 'completed'`, []);
        return new Set(rows.rows.map((r: { id: string }) => r.id));
      },
      async failed() {
        const rows = await boss
          .getDb()
          .executeSql(`select id::text from pgboss.job where state = 'failed'`, []);
        return new Set(rows.rows.map((r: { id: string }) => r.id));
      },
      async remaining() {
        const rows = await boss
          .getDb()
          .executeSql(`select count(*)::int as n from pgboss.job where state < 'completed'`, []);
        return Number(rows.rows[0]?.n ?? 0);
      },
      async stop() {
        for (const id of loops.splice(0)) await boss.offWork({ id });
      },
      async close() {
        closed = true;
        await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      },
    };
  },
};
