/**
 * bench/queue/claim-cost: how long one `claimStep` takes with N tenants x M queued one-step runs
 * (no worker running), before and after ANALYZE. The W1 drain of bench/queue is bound by it.
 * Usage: npx tsx bench/queue/claim-cost.ts [tenants=1] [runsPerTenant=20000] [claims=50]
 */
import { openPostgres, type Queryable } from '../../packages/server/src/db/index.ts';
import { claimStep } from '../../packages/server/src/engine/index.ts';
import { createFreshDatabase } from './fresh-database.ts';
import { quantile } from './stats.ts';
import { shoal } from './systems/shoal.ts';

const [tenants = 1, perTenant = 20_000, claims = 50] = process.argv.slice(2).map(Number);
const database = await createFreshDatabase(
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  'claim_cost',
);
const names = Array.from({ length: tenants }, (_, i) => ({ name: `t${i}`, weight: 1 }));
const instance = await shoal.open(database.url, names, { start: () => undefined, end: () => undefined });
const db = openPostgres({ url: database.url, poolSize: 2 });
try {
  const created = performance.now();
  await instance.enqueueMany(
    names.flatMap((t) => Array.from({ length: perTenant }, () => ({ tenant: t.name, sleepMs: 0 }))),
  );
  console.log(`${tenants} x ${perTenant} runs created in ${Math.round(performance.now() - created)} ms`);
  const sys: Queryable = { query: (text, params) => db.systemQuery(text, params) };
  for (const analyzed of [false, true]) {
    if (analyzed) await db.ownerTx((tx) => tx.query('analyze'));
    const ms: number[] = [];
    let empty = 0;
    for (let i = 0; i < claims; i += 1) {
      const t = performance.now();
      if (!(await claimStep(sys, { pool: 'shared', workerId: 'claim-cost', leaseMs: 30_000 }))) empty += 1;
      ms.push(performance.now() - t);
    }
    console.log(
      `${analyzed ? 'after ANALYZE ' : 'never analyzed'}: ${claims} claims, ${empty} empty, p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms`,
    );
  }
} finally {
  await db.close();
  await instance.close();
  await database.drop();
}
