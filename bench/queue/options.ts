import type { NoisyOptions } from './workloads/noisy-neighbour.ts';
import type { WeightedOptions } from './workloads/weighted.ts';

export const WORKLOADS = ['W1', 'W3', 'W5', 'W8'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface BenchOptions {
  baseUrl: string;
  reps: number;
  only: ReadonlySet<Workload>;
  /** System names to run (all when empty). */
  systems: ReadonlySet<string>;
  drainSizes: readonly number[];
  drainCapMs: number;
  latencyJobs: number;
  latencyCapMs: number;
  noisy: NoisyOptions;
  weighted: WeightedOptions;
  mode: 'quick' | 'default' | 'full';
}

const USAGE = `usage: npm run bench:queue -- [--quick | --full] [--reps N] [--only W1,W3,W5,W8] [--systems a,b]`;

function valueOf(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i === -1) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
  return value;
}

/** The command line compiled once: validated, defaulted, frozen. */
export function compileOptions(argv: readonly string[], databaseUrl: string | undefined): BenchOptions {
  const known = new Set(['--quick', '--full', '--reps', '--only', '--systems']);
  for (const arg of argv)
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown flag ${arg}\n${USAGE}`);
  const quick = argv.includes('--quick');
  const full = argv.includes('--full');
  if (quick && full) throw new Error(`--quick and --full exclude each other\n${USAGE}`);
  const reps = Number(valueOf(argv, '--reps') ?? (quick ? 1 : 3));
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer\n${USAGE}`);
  const only = (valueOf(argv, '--only') ?? WORKLOADS.join(',')).split(',').map((w) => w.trim().toUpperCase());
  for (const w of only)
    if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`unknown workload ${w}\n${USAGE}`);
  const systems = (valueOf(argv, '--systems') ?? '').split(',').filter((s) => s !== '');
  const mode = quick ? 'quick' : full ? 'full' : 'default';
  return Object.freeze({
    baseUrl: databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    reps,
    only: new Set(only as Workload[]),
    systems: new Set(systems),
    drainSizes: quick ? [2000] : full ? [20_000, 100_000] : [5000],
    drainCapMs: quick ? 120_000 : 900_000,
    latencyJobs: quick ? 100 : 1000,
    latencyCapMs: quick ? 60_000 : 600_000,
    noisy: {
      backlog: quick ? 5000 : full ? 100_000 : 10_000,
      quietTenants: 49,
      rate: 4,
      windowMs: quick ? 10_000 : 60_000,
      sleepMs: 5,
      graceMs: quick ? 20_000 : full ? 60_000 : 15_000,
    },
    weighted: {
      weights: [1, 2, 4],
      warmupMs: quick ? 1000 : 3000,
      windowMs: quick ? 5000 : 20_000,
      sleepMs: 5,
      backlog: quick ? 500 : 1000,
    },
    mode,
  });
}
