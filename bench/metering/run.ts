/**
 * bench/metering: priced, idempotent usage events recorded per second on PostgreSQL, against
 * the machine's own limit measured in the same run (README.md):
 *   (a) llm path — batched llm_calls inserts (the gateway's call log) firing the ledger trigger:
 *       a priced ledger row per new call and its cost added to every covering budget period;
 *   (b) ledger writer — createUsageLedger.recordNow with run/step/worker events;
 *   (c) plain insert — the same batches of (b) into a table of usage_events' width with only a
 *       primary key: no trigger, check, foreign key, index or row-level security.
 * Same batch size and writers for all three; a share of each batch of (a) and (b) repeats the
 * previous batch's events, and only new events count. After the run, every count is checked.
 * Prints a markdown table (median and min–max of the repetitions) and one JSON line; exits 1 when
 * a check fails. Usage: npm run bench:metering -- [--quick] [--reps N] [--events N] [--batch N]
 *   [--writers N] [--duplicates F]   (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate, openPostgres, type Database } from '../../packages/server/src/db/index.ts';
import { createCallLog } from '../../packages/server/src/gateway/call-log.ts';
import { createUsageLedger, usageReportSql } from '../../packages/server/src/metering/index.ts';
import { createLogger } from '../../packages/server/src/observability/index.ts';
import { createFreshDatabase } from '../queue/fresh-database.ts';
import { median } from '../queue/stats.ts';
import {
  seedBench,
  PLAIN_CALLS_INSERT_SQL,
  PLAIN_INSERT_SQL,
  plainCallColumnsOf,
  plainColumnsOf,
  type BenchSetup,
} from './setup.ts';
import { batchesOf, callRecord, runEvents, seeded } from './workload.ts';

const TARGET_EVENTS_PER_S = 10_000;
const TARGET_RATIO = 3;
const PATHS = ['llm path', 'ledger writer', 'plain insert', 'plain insert, call width'] as const;
type Path = (typeof PATHS)[number];

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

function compileOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      reps: { type: 'string' },
      events: { type: 'string' },
      batch: { type: 'string' },
      writers: { type: 'string' },
      duplicates: { type: 'string' },
      tenants: { type: 'string' },
    },
  });
  const int = (v: string | undefined, d: number) => (v === undefined ? d : Number.parseInt(v, 10));
  return Object.freeze({
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    reps: int(values.reps, values.quick ? 1 : 3),
    events: int(values.events, values.quick ? 20_000 : 100_000),
    batch: int(values.batch, 500),
    writers: int(values.writers, 4),
    duplicates: values.duplicates === undefined ? 0.1 : Number(values.duplicates),
    tenants: int(values.tenants, 20),
  });
}
type Options = ReturnType<typeof compileOptions>;

/** Runs `writers` loops over the batches, each taking the next; resolves to the elapsed seconds. */
async function timed<T>(
  batches: T[][],
  writers: number,
  write: (batch: T[]) => Promise<void>,
): Promise<number> {
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < batches.length; i = next++) await write(batches[i] as T[]);
    }),
  );
  return (performance.now() - began) / 1000;
}

/** One repetition of the three paths with `options.events` new events each. */
async function repetition(db: Database, setup: BenchSetup, options: Options, rep: number) {
  const random = seeded(rep + 1);
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const tenantOf = (i: number) => setup.tenants[i % setup.tenants.length] as BenchSetup['tenants'][number];
  let n = 0;
  const calls = batchesOf(
    options.events,
    options.batch,
    options.duplicates,
    () => [callRecord(tenantOf(n++), setup.price, random)],
    random,
  );
  const ledgerBatches = batchesOf(
    options.events,
    options.batch,
    options.duplicates,
    () => runEvents(tenantOf(n++), random, 4),
    random,
  );
  const plainBatches = batchesOf(
    options.events,
    options.batch,
    0,
    () => runEvents(tenantOf(n++), random, 4),
    random,
  );
  const rates = {} as Record<Path, number>;

  // One call log per writer, like one per gateway process; each flush is one multi-row insert.
  const logs = Array.from({ length: options.writers }, () =>
    createCallLog({ db, logger }, { flushMs: 60_000, maxBatch: options.batch * 2 }),
  );
  let w = 0;
  const llmSeconds = await timed(calls, options.writers, async (batch) => {
    const callLog = logs[w++ % logs.length] as (typeof logs)[number];
    for (const record of batch) callLog.append(record);
    await callLog.flush();
  });
  rates['llm path'] = options.events / llmSeconds;

  const ledger = createUsageLedger({ db, logger }, { flushMs: 60_000, maxBatch: options.batch * 2 });
  const ledgerSeconds = await timed(ledgerBatches, options.writers, async (batch) => {
    await ledger.recordNow(batch);
  });
  rates['ledger writer'] = options.events / ledgerSeconds;

  const plainSeconds = await timed(plainBatches, options.writers, async (batch) => {
    await db.systemQuery(PLAIN_INSERT_SQL, plainColumnsOf(batch));
  });
  rates['plain insert'] = options.events / plainSeconds;

  // The call records of the llm path, new ones only, into a table of their own width.
  const seen = new Set<string>();
  const freshCalls = calls.map((batch) => batch.filter((r) => !seen.has(r.id) && Boolean(seen.add(r.id))));
  const plainCallSeconds = await timed(freshCalls, options.writers, async (batch) => {
    await db.systemQuery(PLAIN_CALLS_INSERT_SQL, plainCallColumnsOf(batch));
  });
  rates['plain insert, call width'] = options.events / plainCallSeconds;
  log(`rep ${rep + 1}: ${PATHS.map((path) => `${path} ${rates[path].toFixed(0)}/s`).join(', ')}`);
  return rates;
}

/** Every new event recorded exactly once, and each budget spent exactly its tenant's new calls' cost. */
async function check(
  db: Database,
  setup: BenchSetup,
  expected: { calls: number; ledger: number; plain: number; costs: Map<string, number> },
) {
  const problems: string[] = [];
  await db.ownerTx(async (tx) => {
    const one = async (sql: string) => Number((await tx.query<{ n: string }>(sql)).rows[0]?.n);
    const calls = await one('select count(*) as n from llm_calls');
    const llmEvents = await one(`select count(*) as n from usage_events where kind = 'llm_call'`);
    const ledger = await one(
      `select count(*) as n from usage_events where kind in ('run_started', 'step_executed', 'worker_seconds')`,
    );
    const plain = await one('select count(*) as n from bench_plain_events');
    if (calls !== expected.calls) problems.push(`llm_calls holds ${calls} rows, not ${expected.calls}`);
    if (llmEvents !== expected.calls)
      problems.push(`the ledger holds ${llmEvents} llm events, not ${expected.calls}`);
    if (ledger !== expected.ledger)
      problems.push(`the ledger holds ${ledger} run/step events, not ${expected.ledger}`);
    if (plain !== expected.plain) problems.push(`the plain table holds ${plain} rows, not ${expected.plain}`);
    const spent = await tx.query<{ tenant_id: string; kind: string; spent: string }>(
      `select b.tenant_id, b.kind, sum(p.spent_micro_usd) as spent from budgets b
         join budget_periods p on p.tenant_id = b.tenant_id and p.budget_id = b.id group by 1, 2`,
    );
    for (const tenant of setup.tenants) {
      const want = expected.costs.get(tenant.tenantId) ?? 0;
      for (const kind of ['hard', 'soft']) {
        const got = Number(
          spent.rows.find((r) => r.tenant_id === tenant.tenantId && r.kind === kind)?.spent ?? 0,
        );
        if (got !== want) problems.push(`tenant ${tenant.tenantId} ${kind} budget spent ${got}, not ${want}`);
      }
    }
  });
  return problems;
}

/** The usage report's plan for one tenant over the whole ledger, as the API runs it (the tenant's RLS). */
async function explainReport(db: Database, setup: BenchSetup): Promise<string> {
  const tenantId = setup.tenants[0]?.tenantId as string;
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  return db.tenantTx(tenantId, async (tx) => {
    const plan = await tx.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off, timing off, summary on) ${usageReportSql('day')}`,
      [tenantId, from, to, 'UTC'],
    );
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

async function serverFacts(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query<{ v: string }>(sql)).rows[0]?.v ?? '?';
    return {
      version: await q(`select current_setting('server_version') as v`),
      synchronousCommit: await q(`select current_setting('synchronous_commit') as v`),
    };
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const options = compileOptions(process.argv.slice(2));
  const fresh = await createFreshDatabase(options.databaseUrl, 'metering');
  const db = openPostgres({ url: fresh.url, poolSize: options.writers + 1 });
  try {
    log(`migrating ${fresh.url.replace(/\/\/[^@]*@/, '//')}`);
    await migrate(db);
    const setup = await seedBench(db, options.tenants);
    const facts = await serverFacts(fresh.url);
    const runs: Record<Path, number>[] = [];
    for (let rep = 0; rep < options.reps; rep += 1) runs.push(await repetition(db, setup, options, rep));
    // The expected counts come from the ledger of unique inputs: new calls' costs per tenant.
    const costs = await db.ownerTx(async (tx) => {
      const r = await tx.query<{ tenant_id: string; cost: string }>(
        'select tenant_id, sum(cost_micro_usd) as cost from llm_calls group by 1',
      );
      return new Map(r.rows.map((row) => [row.tenant_id, Number(row.cost)]));
    });
    const total = options.events * options.reps;
    const problems = await check(db, setup, { calls: total, ledger: total, plain: total, costs });
    await db.ownerTx((tx) => tx.query('analyze usage_events'));
    log(
      `usage report (groupBy=day) of one tenant's ${Math.round((2 * total) / options.tenants)} events:\n${await explainReport(db, setup)}`,
    );

    const summary = Object.fromEntries(
      PATHS.map((path) => {
        const values = runs.map((r) => r[path]);
        return [path, { median: median(values), min: Math.min(...values), max: Math.max(...values) }];
      }),
    ) as Record<Path, { median: number; min: number; max: number }>;
    const plain = summary['plain insert'].median;
    const plainCalls = summary['plain insert, call width'].median;
    const cell = (path: Path) => {
      const s = summary[path];
      return runs.length === 1
        ? s.median.toFixed(0)
        : `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
    };
    const verdict = (path: Path) => {
      const rate = summary[path].median;
      const ratio = plain / rate;
      const met = rate >= TARGET_EVENTS_PER_S && ratio <= TARGET_RATIO;
      return { rate, ratio, ratioToCallWidth: plainCalls / rate, met };
    };
    const lines = [
      `| path | events/s, median (min–max) of ${runs.length} | plain ÷ path | plain (call width) ÷ path | ≥ ${TARGET_EVENTS_PER_S} events/s and ≤ ${TARGET_RATIO}× plain |`,
      '| --- | --- | --- | --- | --- |',
      ...PATHS.map((path) => {
        const v = verdict(path);
        if (path.startsWith('plain'))
          return `| ${path} (the machine's limit) | ${cell(path)} | ${v.ratio.toFixed(2)} | ${v.ratioToCallWidth.toFixed(2)} | — |`;
        return `| ${path} | ${cell(path)} | ${v.ratio.toFixed(2)} | ${v.ratioToCallWidth.toFixed(2)} | ${v.met ? 'met' : 'not met'} |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n\n`);
    process.stdout.write(
      `${options.events} new events per path per repetition in batches of ${options.batch} ` +
        `(${Math.round(options.duplicates * 100)}% of each batch of the llm path and the ledger writer repeat the previous batch), ` +
        `${options.writers} concurrent writers, ${options.tenants} tenants with a hard and a soft monthly budget each; ` +
        `PostgreSQL ${facts.version} (synchronous_commit ${facts.synchronousCommit}), ${cpus().length} CPUs. ` +
        `Checks: ${problems.length === 0 ? 'every new event recorded once, duplicates once, budgets spent exactly the new calls\u2019 cost' : problems.join('; ')}.\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'metering',
        options: { ...options, databaseUrl: undefined },
        postgres: facts,
        cpus: cpus().length,
        eventsPerSecond: Object.fromEntries(PATHS.map((p) => [p, runs.map((r) => Math.round(r[p]))])),
        median: Object.fromEntries(PATHS.map((p) => [p, Math.round(summary[p].median)])),
        targets: {
          eventsPerSecond: TARGET_EVENTS_PER_S,
          ratioToPlain: TARGET_RATIO,
          llmPath: verdict('llm path'),
          ledgerWriter: verdict('ledger writer'),
        },
        problems,
      })}\n`,
    );
    return problems.length === 0 ? 0 : 1;
  } finally {
    await db.close();
    await fresh.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
