/**
 * bench/gateway: the latency Shoal's LLM gateway adds to a chat completion, and the highest
 * request rate it holds with p99 under 1 s, side by side with Portkey's gateway 1.15.2, both
 * against the same fake OpenAI upstream (20 ms per answer), in one run (README.md).
 * Processes: this one is the load client; the upstream, Shoal (`shoal serve --role api` on
 * PostgreSQL) and Portkey (`build/start-server.js`) run one process each.
 * Prints a markdown table (median and min–max of the repetitions) and one JSON line; exits 1
 * when a Shoal request was not answered 200 or llm_calls does not hold one row per request.
 * Usage: npm run bench:gateway -- [--quick] [--reps N] [--cpu-prof DIR]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createFreshDatabase } from '../queue/fresh-database.ts';
import { closedLoop, createClient, openLoop, type Sample, type Target } from './load.ts';
import { compileOptions, type BenchOptions, type SystemName } from './options.ts';
import { freePort, firstJsonLine, ROOT, startChild, waitForHttp, type Child } from './processes.ts';
import { failures, p50, p99, Report } from './report.ts';
import { countCalls, setUpShoal, SHOAL_PROVIDER, UPSTREAM_MODEL } from './shoal-setup.ts';

const PORTKEY_DIR = join(ROOT, 'node_modules/@portkey-ai/gateway');
const PORTKEY_VERSION = (
  JSON.parse(readFileSync(join(PORTKEY_DIR, 'package.json'), 'utf8')) as { version: string }
).version;
const BUDGETS_NOTE =
  'on: a hard monthly tenant budget; every call reserves its worst case from the process escrow and settles to its cost';
const MEASURE_DIGITS: Record<string, number> = { 'rate held req/s': 0 };

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const chatBody = (model: string) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello to the sea' }], max_tokens: 64 });

/** Shoal's requests and answers, over the whole run, for the end-of-run check against llm_calls. */
const shoalTally = { sent: 0, ok: 0 };

function tally(system: SystemName, samples: readonly Sample[]): readonly Sample[] {
  if (system === 'shoal') {
    shoalTally.sent += samples.length;
    shoalTally.ok += samples.length - failures(samples);
  }
  return samples;
}

/**
 * The highest rate held (p99 under the limit, no failure): the ×1.25 ladder up to the first rate
 * that is not held, then `options.refine` bisections between the last held rate and that one, so
 * the figure is within 25% / 2^refine below the true limit (0: not even the first rate).
 */
async function rateHeld(system: SystemName, target: Target, options: BenchOptions): Promise<number> {
  const client = createClient(target, 2048);
  const holds = async (rate: number) => {
    const samples = tally(system, await openLoop(client, rate, options.stepMs));
    const p = p99(samples);
    const failed = failures(samples);
    const ok = p < options.p99LimitMs && failed === 0;
    log(`  ${system} ${rate}/s: p99 ${p.toFixed(1)} ms, ${failed} failed${ok ? '' : ' — not held'}`);
    // The queue a failed step left behind drains before the next step starts.
    await new Promise((resolve) => setTimeout(resolve, ok ? 300 : 1500));
    return ok;
  };
  let held = 0;
  let failedAt: number | null = null;
  try {
    for (const rate of options.rates) {
      if (!(await holds(rate))) {
        failedAt = rate;
        break;
      }
      held = rate;
      if (system === 'direct' && rate >= options.directStopAt) break;
    }
    for (let i = 0; held > 0 && failedAt !== null && i < options.refine; i += 1) {
      const rate: number = Math.round((held + failedAt) / 20) * 10;
      if (rate <= held || rate >= failedAt) break;
      if (await holds(rate)) held = rate;
      else failedAt = rate;
    }
  } finally {
    client.close();
  }
  return held;
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (
      (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?'
    );
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const options = compileOptions(process.argv.slice(2), process.env.DATABASE_URL);
  const systems: SystemName[] = ['direct', 'shoal', 'portkey'];
  const report = new Report(systems);
  const children: Child[] = [];
  const database = await createFreshDatabase(options.baseUrl, 'gw');
  try {
    const upstream = startChild(
      'upstream',
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/gateway/upstream-process.ts',
        '--latency-ms',
        String(options.upstreamLatencyMs),
      ],
      {},
      log,
    );
    children.push(upstream);
    const { url: upstreamUrl } = await firstJsonLine<{ url: string }>(upstream);
    const setup = await setUpShoal(database.url, upstreamUrl);

    const shoalPort = await freePort();
    const shoal = startChild(
      'shoal',
      process.execPath,
      [
        ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
        'packages/server/bin/shoal.js',
        'serve',
        '--role',
        'api',
        '--port',
        String(shoalPort),
      ],
      {
        DATABASE_URL: database.url,
        HOST: '127.0.0.1',
        SHOAL_MASTER_KEY: setup.masterKey,
        SHOAL_DEMO: 'false',
        // Per-request info logs would be the biggest cost on this path; warn is what we compare.
        SHOAL_LOG_LEVEL: 'warn',
        // The HTTP API's per-key limit (600/min by default) would refuse the load itself.
        SHOAL_RATE_LIMIT_PER_MINUTE: '1000000000',
      },
      log,
    );
    children.push(shoal);
    const portkeyPort = await freePort();
    const portkey = startChild(
      'portkey',
      process.execPath,
      [join(PORTKEY_DIR, 'build/start-server.js'), `--port=${portkeyPort}`, '--headless'],
      {},
      log,
    );
    children.push(portkey);
    await waitForHttp(`http://127.0.0.1:${shoalPort}/healthz`, shoal);
    await waitForHttp(`http://127.0.0.1:${portkeyPort}/`, portkey);

    const targets: Record<SystemName, Target> = {
      direct: {
        url: new URL(`${upstreamUrl}/v1/chat/completions`),
        headers: { authorization: 'Bearer sk-bench-direct' },
        body: chatBody(UPSTREAM_MODEL),
      },
      shoal: {
        url: new URL(`http://127.0.0.1:${shoalPort}/v1/chat/completions`),
        headers: { authorization: `Bearer ${setup.apiKey}` },
        body: chatBody(`${SHOAL_PROVIDER}/${UPSTREAM_MODEL}`),
      },
      portkey: {
        url: new URL(`http://127.0.0.1:${portkeyPort}/v1/chat/completions`),
        headers: {
          authorization: 'Bearer sk-bench-portkey',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${upstreamUrl}/v1`,
        },
        body: chatBody(UPSTREAM_MODEL),
      },
    };

    for (let rep = 1; rep <= options.reps; rep += 1) {
      const direct: Partial<Record<1 | 32, Sample[]>> = {};
      for (const system of systems) {
        log(`rep ${rep} ${system}`);
        const client = createClient(targets[system], 64);
        try {
          const warm = tally(system, await closedLoop(client, 8, options.warmup));
          if (failures(warm) > 0) throw new Error(`${system}: ${failures(warm)} warm-up requests failed`);
          for (const concurrency of [1, 32] as const) {
            const samples = tally(
              system,
              await closedLoop(client, concurrency, options.requests[concurrency]),
            ) as Sample[];
            report.add(system, `c${concurrency} p50 ms`, p50(samples));
            report.add(system, `c${concurrency} p99 ms`, p99(samples));
            if (system === 'direct') direct[concurrency] = samples;
            else {
              const base = direct[concurrency] ?? [];
              report.add(system, `added c${concurrency} p50 ms`, p50(samples) - p50(base));
              report.add(system, `added c${concurrency} p99 ms`, p99(samples) - p99(base));
            }
            log(
              `  ${system} c${concurrency}: p50 ${p50(samples).toFixed(2)} ms, p99 ${p99(samples).toFixed(2)} ms, ${failures(samples)} failed`,
            );
          }
        } finally {
          client.close();
        }
        // The upstream's own ceiling (with this client) once: it bounds what any gateway can show.
        if (system !== 'direct' || rep === 1)
          report.add(system, 'rate held req/s', await rateHeld(system, targets[system], options));
      }
    }
    for (const m of ['added c1 p50 ms', 'added c1 p99 ms', 'added c32 p50 ms', 'added c32 p99 ms'])
      report.note('direct', m, 'baseline');
    report.note('shoal', 'budgets', BUDGETS_NOTE);
    report.note('portkey', 'budgets', 'none (Portkey OSS has no budgets)');
    report.note('direct', 'budgets', 'n/a');

    await shoal.stop(); // flushes the call log
    const rows = await countCalls(database.url, setup.tenantId);
    const rowTotal = Object.values(rows).reduce((a, b) => a + b, 0);
    const checks = {
      shoalRequests: shoalTally.sent,
      shoalAnswered200: shoalTally.ok,
      llmCallsRows: rowTotal,
      llmCallsByOutcome: rows,
      ok:
        shoalTally.ok === shoalTally.sent &&
        rowTotal === shoalTally.sent &&
        rows.succeeded === shoalTally.sent,
    };
    const shoalAdded = report.summary('shoal', 'added c1 p99 ms');
    const shoalRate = report.summary('shoal', 'rate held req/s');
    const portkeyRate = report.summary('portkey', 'rate held req/s');
    const targetsMet = {
      addedP99C1Under2ms: shoalAdded ? shoalAdded.median < 2 : false,
      rateAtLeastTwicePortkey: shoalRate && portkeyRate ? shoalRate.median >= 2 * portkeyRate.median : false,
    };
    const environment = {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? '?',
      postgres: await postgresVersion(options.baseUrl),
      portkey: PORTKEY_VERSION,
      upstreamLatencyMs: options.upstreamLatencyMs,
    };

    const digits = (m: string) => MEASURE_DIGITS[m] ?? 2;
    process.stdout.write(
      [
        `bench/gateway (${options.mode}, ${options.reps} rep${options.reps > 1 ? 's' : ''}): median (min–max); Node ${environment.node}, ${environment.cpus} cores, PostgreSQL ${environment.postgres}, Portkey ${PORTKEY_VERSION}, upstream ${options.upstreamLatencyMs} ms`,
        '',
        report.markdown(digits),
        '',
        `- added = the system's quantile minus direct's quantile in the same repetition; c1/c32 = closed-loop concurrency; rate held = highest open-loop rate (×1.25 ladder from 200/s, then ${options.refine} bisections below the first rate not held; ${options.stepMs / 1000} s a step) with p99 < ${options.p99LimitMs} ms and no failure; direct stops at the first rate ≥ ${options.directStopAt}/s (a floor of the upstream's ceiling, not its limit).`,
        `- Shoal: rate limits on (tenant llmRequestsPerMinute / llmTokensPerMinute overrides), every call recorded in llm_calls, budgets ${BUDGETS_NOTE}.`,
        `- check: ${checks.shoalRequests} Shoal requests, ${checks.shoalAnswered200} answered 200, ${checks.llmCallsRows} llm_calls rows ${JSON.stringify(rows)}: ${checks.ok ? 'ok' : 'FAILED'}`,
        `- targets: Shoal added p99 at c1 < 2 ms: ${targetsMet.addedP99C1Under2ms ? 'met' : 'NOT met'}; Shoal rate ≥ 2× Portkey's: ${targetsMet.rateAtLeastTwicePortkey ? 'met' : 'NOT met'}`,
        '',
        JSON.stringify({
          bench: 'gateway',
          mode: options.mode,
          reps: options.reps,
          environment,
          results: report.json(),
          checks,
          targets: targetsMet,
        }),
        '',
      ].join('\n'),
    );
    return checks.ok ? 0 : 1;
  } finally {
    for (const child of children.reverse()) await child.stop();
    await database.drop();
  }
}

process.exitCode = await main();
