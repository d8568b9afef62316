import { resolve } from 'node:path';

/** The bench's command line compiled once: validated, defaulted, frozen. */
export const SYSTEMS = ['direct', 'shoal', 'portkey'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface BenchOptions {
  baseUrl: string;
  reps: number;
  mode: 'quick' | 'default';
  upstreamLatencyMs: number;
  /** Closed-loop requests per concurrency level, after `warmup` unmeasured ones. */
  requests: Readonly<Record<1 | 32, number>>;
  warmup: number;
  /** Open-loop rates tried in order, per second; the ladder stops at the first that fails. */
  rates: readonly number[];
  /** Bisections between the last rate held and the first not held. */
  refine: number;
  /** Where the Shoal process writes a V8 CPU profile (`node --cpu-prof`); null: not profiled. */
  cpuProfDir: string | null;
  stepMs: number;
  /** Direct-to-upstream is only checked up to here: enough to show the upstream is not the limit. */
  directStopAt: number;
  /** A rate holds when its p99 is under this and no request failed. */
  p99LimitMs: number;
}

const USAGE = 'usage: npm run bench:gateway -- [--quick] [--reps N] [--cpu-prof DIR]';

export function compileOptions(argv: readonly string[], databaseUrl: string | undefined): BenchOptions {
  const known = new Set(['--quick', '--reps', '--cpu-prof']);
  for (const arg of argv)
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown flag ${arg}\n${USAGE}`);
  const p = argv.indexOf('--cpu-prof');
  const cpuProfDir = p === -1 ? null : (argv[p + 1] ?? '');
  if (cpuProfDir === '' || cpuProfDir?.startsWith('--'))
    throw new Error(`--cpu-prof needs a directory\n${USAGE}`);
  const quick = argv.includes('--quick');
  const i = argv.indexOf('--reps');
  const reps = i === -1 ? (quick ? 1 : 3) : Number(argv[i + 1]);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer\n${USAGE}`);
  // 200 × 1.25^k: each step 25% above the last, so "held" is within 25% of the true limit.
  const rates = Array.from({ length: 20 }, (_, k) => Math.round((200 * 1.25 ** k) / 10) * 10);
  return Object.freeze({
    baseUrl: databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    reps,
    mode: quick ? 'quick' : 'default',
    upstreamLatencyMs: 20,
    requests: Object.freeze({ 1: quick ? 200 : 2000, 32: quick ? 2000 : 3000 }),
    warmup: quick ? 100 : 300,
    rates: Object.freeze(rates),
    refine: 3,
    cpuProfDir: cpuProfDir === null ? null : resolve(cpuProfDir),
    stepMs: quick ? 1500 : 2000,
    directStopAt: 4000,
    p99LimitMs: 1000,
  });
}
