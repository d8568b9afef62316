/**
 * A worker process for the ceiling test (test/engine/fair-ceilings.test.ts): the real worker
 * loop on PostgreSQL, whose `transform` steps hold a request to the test's counting server for
 * `with.value` ms, so the server sees every tenant's steps running at once across processes.
 * Run with `node --import tsx`; env: DATABASE_URL, POOL, WORKER_ID, CONCURRENCY, REPORT_URL.
 */
import { openPostgres } from '../../src/db/index.ts';
import { startWorker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors, StepError, type StepExecutor } from '../../src/steps/index.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const report = env('REPORT_URL');

const held: StepExecutor = {
  type: 'transform',
  async execute(ctx) {
    const ms = Number((ctx.input as { value?: unknown }).value);
    const url = `${report}/hold?tenant=${ctx.tenantId}&run=${ctx.runId}&ms=${ms}`;
    const response = await fetch(url, { signal: ctx.signal });
    if (!response.ok) throw new StepError('HOLD_FAILED', `counting server answered ${response.status}`, true);
    return { kind: 'completed', output: null };
  },
};

const db = openPostgres({ url: env('DATABASE_URL'), poolSize: 4 });
const worker = await startWorker(
  { db, logger: createLogger({ level: 'error' }), executors: createBuiltinExecutors([held]) },
  {
    pool: env('POOL'),
    workerId: env('WORKER_ID'),
    concurrency: Number(env('CONCURRENCY')),
    leaseMs: 10_000,
    pollMs: 250,
    maintenanceMs: 100,
  },
);
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
process.stdout.write('ready\n');
