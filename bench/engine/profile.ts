/**
 * bench/engine/profile: where the time of a sequential step goes, statement by statement.
 * Runs one N-step chain (default 400) on one in-process worker and prints, for each statement
 * the worker's tenant transactions sent, its mean time per step and how often it ran.
 * Not a benchmark (the wrapper adds its own cost); a map for the hot path.
 * Usage: DATABASE_URL=postgres://… npx tsx bench/engine/profile.ts [steps]
 *   KEEP=1 keeps the database (for EXPLAIN); LOGALL=1 logs every statement's server time;
 *   ANALYZE=1 analyzes once the run's steps exist, as autovacuum would in a running deployment
 *   (without statistics, generic plans filter `= any(...)` over the whole run instead of
 *   looking the keys up, and a step's statements grow with the chain's length).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  migrate,
  openPostgres,
  type Database,
  type Queryable,
  type Row,
} from '../../packages/server/src/db/index.ts';
import { createRun, planSteps, startWorker } from '../../packages/server/src/engine/index.ts';
import { createTenantWithOwner } from '../../packages/server/src/identity/index.ts';
import { createLogger } from '../../packages/server/src/observability/index.ts';
import { createBuiltinExecutors } from '../../packages/server/src/steps/index.ts';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  publishWorkflow,
  validateWorkflowDefinition,
} from '../../packages/server/src/workflows/index.ts';

const steps = Number(process.argv[2] ?? 400);
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const statements = new Map<string, { calls: number; ms: number }>();
let tenantTxMs = 0;
let beforeFirst = 0;
let afterLast = 0;
let between = 0;

/** Times every statement of the worker's tenant transactions. */
function timed(db: Database): Database {
  const wrap = (tx: Queryable, mark: { first: number; last: number }): Queryable => ({
    async query<R extends Row>(text: string, params?: readonly unknown[]) {
      const started = performance.now();
      if (mark.first === 0) mark.first = started;
      else between += started - mark.last;
      try {
        return await tx.query<R>(text, params);
      } finally {
        const key = text.replace(/\s+/g, ' ').trim().slice(0, 80);
        const entry = statements.get(key) ?? { calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += performance.now() - started;
        statements.set(key, entry);
        mark.last = performance.now();
      }
    },
  });
  return {
    ...db,
    async tenantTx(tenantId, fn) {
      const started = performance.now();
      const mark = { first: 0, last: 0 };
      try {
        return await db.tenantTx(tenantId, (tx) => fn(wrap(tx, mark)));
      } finally {
        const ended = performance.now();
        tenantTxMs += ended - started;
        if (mark.first) {
          beforeFirst += mark.first - started;
          afterLast += ended - mark.last;
        }
      }
    },
  };
}

const name = `profile_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${name}`);
if (process.env.LOGALL) await admin.query(`alter database ${name} set log_min_duration_statement = 0`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const db = openPostgres({ url: url.toString(), poolSize: 6 });
try {
  await migrate(db);
  const { tenant } = await db.systemTx((sys) =>
    createTenantWithOwner(
      sys,
      {
        tenantName: 'profile',
        plan: 'enterprise',
        email: `${name}@bench.test`,
        name: 'p',
        password: 'x'.repeat(12),
      },
      { requestId: null, ip: null },
    ),
  );
  const definition = {
    name: 'chain',
    steps: Array.from({ length: steps }, (_, i) => ({
      id: `s${i}`,
      type: 'transform',
      ...(i > 0 ? { needs: [`s${i - 1}`] } : {}),
      with: { value: i },
    })),
  };
  const valid = validateWorkflowDefinition(definition, {
    stepTypes: createStepTypeRegistry(BUILTIN_STEP_TYPES),
  });
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
  const published = await db.tenantTx(tenant.id, (tx) =>
    publishWorkflow(tx, tenant.id, {
      definition: valid.definition,
      contentHash: valid.contentHash,
      source: '',
      sourceFormat: 'json',
      createdBy: 'profile',
    }),
  );
  const worker = await startWorker(
    { db: timed(db), logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
    {
      pool: 'shared',
      workerId: 'profile',
      concurrency: 1,
      leaseMs: 30_000,
      pollMs: 1000,
      maintenanceMs: 60_000,
    },
  );
  const runStarted = db.tenantTx(tenant.id, (tx) =>
    createRun(tx, tenant.id, {
      workflowId: published.workflow.id,
      workflowVersion: published.version.version,
      input: {},
      steps: planSteps(valid.definition),
    }),
  );
  if (process.env.ANALYZE) {
    await runStarted;
    await db.ownerTx((tx) => tx.query('analyze'));
  }
  const started = performance.now();
  const { runId } = await runStarted;
  for (;;) {
    const run = await db.ownerTx((tx) =>
      tx.query<{ state: string }>('select state from runs where id = $1', [runId]),
    );
    if (run.rows[0]?.state === 'succeeded') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = performance.now() - started;
  await worker.stop();
  console.log(
    `${steps}-step chain: ${(elapsed / steps).toFixed(2)} ms per step, of which tenant transactions ${(tenantTxMs / steps).toFixed(2)} ms\n`,
  );
  console.log(
    `before first statement ${(beforeFirst / steps).toFixed(2)} ms, between statements ${(between / steps).toFixed(2)} ms, after last ${(afterLast / steps).toFixed(2)} ms\n`,
  );
  console.log('| ms per step | calls | statement |');
  console.log('| --: | --: | --- |');
  for (const [text, entry] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
    console.log(`| ${(entry.ms / steps).toFixed(3)} | ${entry.calls} | \`${text}\` |`);
} finally {
  await db.close();
  if (process.env.KEEP) console.log('kept', name);
  else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
