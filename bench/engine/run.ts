/**
 * bench/engine: how fast the engine moves steps on PostgreSQL.
 *   - sequential: one run of a 400-step chain (each step needs the previous): ms per step;
 *   - throughput: many runs of a 1-step and of a 10-step chain: runs per second.
 * One in-process worker (LISTEN/NOTIFY wake-up). Prints a table and one JSON line.
 * Usage: DATABASE_URL=postgres://… npx tsx bench/engine/run.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { migrate, openPostgres, type Database } from '../../packages/server/src/db/index.ts';
import { createRun, startWorker } from '../../packages/server/src/engine/index.ts';
import { createTenantWithOwner } from '../../packages/server/src/identity/index.ts';
import { createLogger } from '../../packages/server/src/observability/index.ts';
import { createBuiltinExecutors } from '../../packages/server/src/steps/index.ts';
import { BUILTIN_STEP_TYPES, createStepTypeRegistry } from '../../packages/server/src/workflows/index.ts';
import { publishForBench } from '../publish.ts';

const quick = process.argv.includes('--quick');
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const registry = createStepTypeRegistry(BUILTIN_STEP_TYPES);

const chain = (name: string, length: number) => ({
  name,
  steps: Array.from({ length }, (_, i) => ({
    id: `s${i}`,
    type: 'transform',
    ...(i > 0 ? { needs: [`s${i - 1}`] } : {}),
    with: { value: i },
  })),
});

async function waitUntilDone(db: Database, expected: number): Promise<void> {
  for (;;) {
    const done = await db.ownerTx((tx) =>
      tx.query<{ n: number }>(`select count(*)::int as n from runs where state in ('succeeded', 'failed')`),
    );
    if ((done.rows[0]?.n ?? 0) >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function scenario(label: string, steps: number, runs: number, concurrency: number) {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = openPostgres({ url: url.toString(), poolSize: concurrency + 4 });
  try {
    await migrate(db);
    const { tenant } = await db.systemTx((sys) =>
      createTenantWithOwner(
        sys,
        {
          tenantName: 'bench',
          plan: 'enterprise',
          email: `${name}@bench.test`,
          name: 'b',
          password: 'x'.repeat(12),
        },
        { requestId: null, ip: null },
      ),
    );
    const wf = await publishForBench(db, tenant.id, chain('chain', steps), registry);
    const worker = await startWorker(
      { db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      { pool: 'shared', workerId: 'bench', concurrency, leaseMs: 30_000, pollMs: 1000, maintenanceMs: 1000 },
    );
    const started = performance.now();
    for (let i = 0; i < runs; i += 1) {
      await db.tenantTx(tenant.id, (tx) =>
        createRun(tx, tenant.id, {
          workflowId: wf.workflowId,
          workflowVersion: wf.version,
          input: {},
          steps: wf.steps,
        }),
      );
    }
    await waitUntilDone(db, runs);
    const elapsedMs = performance.now() - started;
    await worker.stop();
    const failed = await db.ownerTx((tx) =>
      tx.query<{ n: number }>(`select count(*)::int as n from runs where state <> 'succeeded'`),
    );
    return {
      scenario: label,
      steps,
      runs,
      concurrency,
      failed: failed.rows[0]?.n ?? 0,
      elapsedMs: Math.round(elapsedMs),
      msPerStep: Number((elapsedMs / (steps * runs)).toFixed(2)),
      runsPerSecond: Number(((runs * 1000) / elapsedMs).toFixed(1)),
    };
  } finally {
    await db.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const results = [
  await scenario('sequential 400-step chain', 400, 1, 1),
  await scenario('1-step runs', 1, quick ? 100 : 1000, 20),
  await scenario('10-step runs', 10, quick ? 20 : 200, 20),
];
console.log(`engine benchmark on PostgreSQL, ${cpus().length} cores, node ${process.version}\n`);
console.log('| scenario | steps/run | runs | worker slots | failed | total ms | ms/step | runs/s |');
console.log('| --- | --: | --: | --: | --: | --: | --: | --: |');
for (const r of results) {
  console.log(
    `| ${r.scenario} | ${r.steps} | ${r.runs} | ${r.concurrency} | ${r.failed} | ${r.elapsedMs} | ${r.msPerStep} | ${r.runsPerSecond} |`,
  );
}
console.log(`\n${JSON.stringify({ bench: 'engine', cores: cpus().length, node: process.version, results })}`);
