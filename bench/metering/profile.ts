/**
 * Where the llm path's time goes: the same batches of call records inserted into llm_calls by
 * `writers` call logs with the ledger trigger as migrated, without budgets, without the ledger's
 * foreign key, and with the trigger off, each on its own fresh database (README.md).
 * Usage: tsx bench/metering/profile.ts [--events N] [--batch N] [--writers N] [--reps N]
 *   [--only a,b] (variants whose names start with these)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrate, openPostgres } from '../../packages/server/src/db/index.ts';
import { createCallLog } from '../../packages/server/src/gateway/call-log.ts';
import { createLogger } from '../../packages/server/src/observability/index.ts';
import { createFreshDatabase } from '../queue/fresh-database.ts';
import { seedBench } from './setup.ts';
import { batchesOf, callRecord, seeded } from './workload.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    batch: { type: 'string' },
    writers: { type: 'string' },
    reps: { type: 'string' },
    only: { type: 'string' },
  },
});
const reps = Number(values.reps ?? 3);
const events = Number(values.events ?? 20_000);
const batch = Number(values.batch ?? 500);
const writers = Number(values.writers ?? 4);
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Calls per second of one variant on its own fresh database. */
async function variant(prepare: string[]): Promise<number> {
  const fresh = await createFreshDatabase(base, 'mprof');
  const db = openPostgres({ url: fresh.url, poolSize: writers + 1 });
  try {
    await migrate(db);
    const setup = await seedBench(db, 20);
    for (const sql of prepare) await db.ownerTx((tx) => tx.query(sql));
    const random = seeded(1);
    let n = 0;
    const tenantOf = (i: number) => setup.tenants[i % setup.tenants.length] as (typeof setup.tenants)[number];
    const batches = batchesOf(
      events,
      batch,
      0,
      () => [callRecord(tenantOf(n++), setup.price, random)],
      random,
    );
    const logs = Array.from({ length: writers }, () =>
      createCallLog(
        { db, logger: createLogger({ level: 'silent' }) },
        { flushMs: 60_000, maxBatch: batch * 2 },
      ),
    );
    let next = 0;
    const began = performance.now();
    await Promise.all(
      logs.map(async (callLog) => {
        for (let i = next++; i < batches.length; i = next++) {
          for (const record of batches[i] ?? []) callLog.append(record);
          await callLog.flush();
        }
      }),
    );
    return events / ((performance.now() - began) / 1000);
  } finally {
    await db.close();
    await fresh.drop();
  }
}

// 0010's trigger: each new call's period of each covering budget computed call by call.
const migration0010 = readFileSync(
  new URL('../../packages/server/sql/migrations/0010_metering.sql', import.meta.url),
  'utf8',
);
const perCall = /create function metering_ingest_llm_calls\(\)[\s\S]*?\n\$\$;/.exec(migration0010)?.[0];
if (!perCall) throw new Error("0010's metering_ingest_llm_calls not found");

const VARIANTS: [string, string[]][] = [
  ['as migrated (ledger row, two budgets)', []],
  [
    "0010's trigger (periods call by call)",
    [perCall.replace('create function', 'create or replace function')],
  ],
  ['no budgets', ['delete from budgets']],
  [
    'no foreign key on usage_events',
    ['alter table usage_events drop constraint usage_events_tenant_id_fkey'],
  ],
  [
    'no alert triggers on budget_periods',
    [
      'drop trigger budget_periods_alerts_insert on budget_periods',
      'drop trigger budget_periods_alerts_update on budget_periods',
    ],
  ],
  ['ledger trigger off (llm_calls only)', ['alter table llm_calls disable trigger llm_calls_to_ledger']],
];

const only = values.only?.split(',');
const chosen = VARIANTS.filter(([name]) => !only || only.some((prefix) => name.startsWith(prefix)));
// Round robin, so a change in the machine's load falls on every variant alike.
const rates = new Map<string, number[]>(chosen.map(([name]) => [name, []]));
for (let rep = 0; rep < reps; rep += 1)
  for (const [name, prepare] of chosen) rates.get(name)?.push(await variant(prepare));
process.stdout.write(
  `| variant | calls/s, median (min–max) of ${reps}, ${writers} writers, batches of ${batch} |\n| --- | --- |\n`,
);
for (const [name, values] of rates) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  process.stdout.write(
    `| ${name} | ${median.toFixed(0)} (${(sorted[0] ?? 0).toFixed(0)}–${(sorted.at(-1) ?? 0).toFixed(0)}) |\n`,
  );
}
