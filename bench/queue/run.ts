/**
 * bench/queue: Shoal's queue and scheduler side by side with graphile-worker 0.17.3 (defaults and
 * its tuned perfTest settings) and pg-boss 10.4.2, on the same PostgreSQL, in one run. Each
 * system gets a fresh database per repetition and runs its worker in this process.
 *   W1 drain, W3 serial latency, W5 noisy neighbour, W8 weights 1:2:4 (README.md).
 * Prints a markdown table (median and min–max of the repetitions) and one JSON line; exits
 * non-zero when a job was lost or ran twice.
 * Usage: npm run bench:queue -- [--quick | --full] [--reps N] [--only W1,W3] [--systems shoal,pg-boss]
 */
import { cpus } from 'node:os';
import pg from 'pg';
import type { Measured } from './harness.ts';
import { compileOptions, type BenchOptions } from './options.ts';
import { Report } from './report.ts';
import { graphileDefaults, graphileTuned } from './systems/graphile-worker.ts';
import { pgBoss } from './systems/pg-boss.ts';
import { shoal } from './systems/shoal.ts';
import type { QueueSystem } from './system.ts';
import { drain } from './workloads/drain.ts';
import { latency } from './workloads/latency.ts';
import { noisyNeighbour } from './workloads/noisy-neighbour.ts';
import { weighted } from './workloads/weighted.ts';

const NO_WEIGHTS =
  'no per-tenant weights: its priority is strict ordering, not a share, so emulating 1:2:4 with it would not be honest';

async function serverVersion(baseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return (
      (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?'
    );
  } finally {
    await client.end();
  }
}

const sizeLabel = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

async function runAll(options: BenchOptions, systems: readonly QueueSystem[], report: Report) {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const record = <M>(system: QueueSystem, result: Measured<M>, describe: (m: M) => string) => {
    report.check(system.name, result.exactlyOnce);
    const e = result.exactlyOnce;
    log(
      `  ${system.name}: ${describe(result.metrics)}; jobs ${e.jobs}, ran ${e.ran}, lost ${e.lost}, dup ${e.duplicated}, failed ${e.failed}, cut off ${e.unfinished}${result.timedOut ? ' (hit its cap)' : ''}`,
    );
  };
  for (let rep = 1; rep <= options.reps; rep += 1) {
    if (rep > 1) log(`after rep ${rep - 1}:\n${report.markdown()}`);
    if (options.only.has('W1')) {
      for (const size of options.drainSizes) {
        log(`rep ${rep} W1 drain ${size}`);
        for (const system of systems) {
          const r = await drain(options.baseUrl, system, size, options.drainCapMs);
          report.add(system.name, `W1 ${sizeLabel(size)} jobs/s`, r.metrics.jobsPerSecond, r.timedOut);
          record(system, r, (m) => `${m.jobsPerSecond} jobs/s in ${m.elapsedMs} ms`);
        }
      }
    }
    if (options.only.has('W3')) {
      log(`rep ${rep} W3 latency ${options.latencyJobs}`);
      for (const system of systems) {
        const r = await latency(options.baseUrl, system, options.latencyJobs, options.latencyCapMs);
        report.add(system.name, 'W3 p50 ms', r.metrics.p50Ms, r.timedOut);
        report.add(system.name, 'W3 p99 ms', r.metrics.p99Ms, r.timedOut);
        record(system, r, (m) => `p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, max ${m.maxMs} ms over ${m.jobs}`);
      }
    }
    if (options.only.has('W5')) {
      log(`rep ${rep} W5 noisy neighbour, backlog ${options.noisy.backlog}`);
      for (const system of systems) {
        const r = await noisyNeighbour(options.baseUrl, system, options.noisy);
        report.add(system.name, 'W5 quiet p99 ms', r.metrics.quietP99Ms, r.metrics.quietCutOff > 0);
        report.add(system.name, 'W5 jobs/s', r.metrics.jobsPerSecond);
        report.add(system.name, 'W5 quiet cut off', r.metrics.quietCutOff);
        record(
          system,
          r,
          (m) =>
            `quiet p50 ${m.quietP50Ms} ms, p99 ${m.quietP99Ms} ms over ${m.quietJobs} (${m.quietCutOff} cut off), ${m.jobsPerSecond} jobs/s, A's share ${m.noisyShare}`,
        );
      }
    }
    if (options.only.has('W8')) {
      log(`rep ${rep} W8 weighted ${options.weighted.weights.join(':')}`);
      for (const system of systems) {
        if (!system.weights) {
          report.na(system.name, 'W8 Jain', NO_WEIGHTS);
          continue;
        }
        const r = await weighted(options.baseUrl, system, options.weighted);
        report.add(system.name, 'W8 Jain', r.metrics.jain);
        record(
          system,
          r,
          (m) =>
            `Jain ${m.jain}, jobs/s per tenant ${m.perTenant.join('/')}, share/weight ${m.relative.join('/')}`,
        );
      }
    }
  }
}

interface Target {
  target: string;
  met: boolean | null;
  detail: string;
}

function targets(options: BenchOptions, report: Report): Target[] {
  const out: Target[] = [];
  const sh = shoal.name;
  for (const size of options.only.has('W1') ? options.drainSizes : []) {
    const m = `W1 ${sizeLabel(size)} jobs/s`;
    const a = report.medianOf(sh, m);
    const b = report.medianOf(graphileTuned.name, m);
    out.push({
      target: `W1 ${sizeLabel(size)}: Shoal >= graphile-worker tuned`,
      met: a === undefined || b === undefined ? null : a >= b,
      detail: `${a ?? '–'} vs ${b ?? '–'} jobs/s (medians)`,
    });
  }
  if (options.only.has('W5') && options.only.has('W3')) {
    const q = report.medianOf(sh, 'W5 quiet p99 ms');
    const l = report.medianOf(sh, 'W3 p99 ms');
    out.push({
      target: "W5: Shoal quiet-tenant p99 <= 2x Shoal's W3 p99",
      met: q === undefined || l === undefined ? null : q <= 2 * l,
      detail: `${q ?? '–'} ms vs 2 x ${l ?? '–'} ms`,
    });
  }
  if (options.only.has('W8')) {
    const j = report.medianOf(sh, 'W8 Jain');
    out.push({
      target: "W8: Shoal Jain's index >= 0.99",
      met: j === undefined ? null : j >= 0.99,
      detail: `${j ?? '–'} (median)`,
    });
  }
  const bad = [...report.checks.entries()].filter(([, c]) => c.lost > 0 || c.duplicated > 0);
  out.push({
    target: 'zero lost or duplicated jobs (every system)',
    met: bad.length === 0,
    detail:
      bad.length === 0
        ? `${[...report.checks.values()].reduce((a, c) => a + c.jobs, 0)} jobs checked`
        : bad.map(([s, c]) => `${s}: ${c.lost} lost, ${c.duplicated} duplicated`).join('; '),
  });
  return out;
}

const options = compileOptions(process.argv.slice(2), process.env.DATABASE_URL);
const all = [shoal, graphileTuned, graphileDefaults, pgBoss];
const systems = options.systems.size === 0 ? all : all.filter((s) => options.systems.has(s.name));
if (systems.length === 0) throw new Error(`--systems names none of: ${all.map((s) => s.name).join(', ')}`);
const report = new Report(systems.map((s) => s.name));
const began = performance.now();
await runAll(options, systems, report);
const durationS = Math.round((performance.now() - began) / 1000);
const results = targets(options, report);
const postgres = await serverVersion(options.baseUrl);

console.log(
  `queue benchmark (${options.mode}, ${options.reps} rep${options.reps > 1 ? 's' : ''}, median (min–max)) on PostgreSQL ${postgres}, ${cpus().length} cores, node ${process.version}, ${durationS} s\n`,
);
console.log(report.markdown());
console.log(
  `\n⚠ a repetition hit its cap: for latency the value is a lower bound (jobs not started by the cut-off count up to it).`,
);
console.log(
  `W1: ${options.drainSizes.join(', ')} pre-queued no-op jobs. W3: ${options.latencyJobs} serial no-op jobs, enqueue committed to handler start. W5: tenant A ${options.noisy.backlog} jobs at t=0, ${options.noisy.quietTenants} quiet tenants x ${options.noisy.rate} jobs/s for ${options.noisy.windowMs / 1000} s, jobs sleep ${options.noisy.sleepMs} ms; "cut off": quiet jobs not started ${options.noisy.graceMs / 1000} s after the window. W8: weights ${options.weighted.weights.join(':')}, ${options.weighted.windowMs / 1000} s window after ${options.weighted.warmupMs / 1000} s, jobs sleep ${options.weighted.sleepMs} ms.\n`,
);
for (const s of systems)
  console.log(`- **${s.name}**: ${s.settings}${s.weights ? '' : `; W8 n/a: ${NO_WEIGHTS}`}`);
console.log('\n| target | met | detail |\n| --- | --- | --- |');
for (const t of results)
  console.log(`| ${t.target} | ${t.met === null ? 'not measured' : t.met ? 'yes' : 'NO'} | ${t.detail} |`);
console.log(
  `\n${JSON.stringify({
    bench: 'queue',
    mode: options.mode,
    reps: options.reps,
    cores: cpus().length,
    node: process.version,
    postgres,
    durationS,
    sizes: {
      drain: options.drainSizes,
      latency: options.latencyJobs,
      noisy: options.noisy,
      weighted: options.weighted,
    },
    results: report.json(),
    targets: results,
  })}`,
);
const broken = [...report.checks.values()].some((c) => c.lost > 0 || c.duplicated > 0);
process.exitCode = broken ? 1 : 0;
