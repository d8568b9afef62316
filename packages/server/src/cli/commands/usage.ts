import { USAGE_GROUP_BYS, type UsageGroupBy } from '../../metering/index.ts';
import { CliUsageError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal usage [--from DAY|TIME] [--to DAY|TIME] [--group-by day|model|workflow|key|pool] [--json]

Prints the tenant's metered usage and spend from the ledger: LLM calls, cache hits, tokens,
cost, runs started, step attempts and worker time, per day (the tenant's time zone), model,
workflow, API key or worker pool. --from is inclusive, --to exclusive; a DAY is 2026-12-01.
Default: the 30 days up to the end of today, by day.

${REMOTE_USAGE}`;

interface Row {
  group: string | null;
  name: string | null;
  calls: number;
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: string;
  runs: number;
  steps: number;
  workerSeconds: string;
}

const COLUMNS: [string, (row: Row) => string][] = [
  ['GROUP', (r) => (r.name ? `${r.name} (${r.group ?? ''})` : (r.group ?? '-'))],
  ['CALLS', (r) => String(r.calls)],
  ['CACHE HITS', (r) => String(r.cacheHits)],
  ['TOKENS IN', (r) => String(r.tokensIn)],
  ['TOKENS OUT', (r) => String(r.tokensOut)],
  ['COST USD', (r) => r.costUsd],
  ['RUNS', (r) => String(r.runs)],
  ['STEPS', (r) => String(r.steps)],
  ['WORKER S', (r) => r.workerSeconds],
];

/** Columns padded to their widest cell; numbers right-aligned. */
function table(rows: Row[]): string[] {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const header = COLUMNS.map(([title]) => title);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]) =>
    values.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...cells.map(line)];
}

export const usageCommand: Command = {
  name: 'usage',
  summary: "Print the tenant's usage and spend by day, model, workflow, key or pool",
  usage,
  options: {
    ...REMOTE_OPTIONS,
    from: { type: 'string' },
    to: { type: 'string' },
    'group-by': { type: 'string' },
  },
  async run(values, io) {
    const groupBy = (values['group-by'] ?? 'day') as UsageGroupBy;
    if (!USAGE_GROUP_BYS.includes(groupBy))
      throw new CliUsageError(`--group-by must be one of ${USAGE_GROUP_BYS.join(', ')}`, usage);
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const report = await client.getUsage({
        groupBy,
        ...(typeof values.from === 'string' ? { from: values.from } : {}),
        ...(typeof values.to === 'string' ? { to: values.to } : {}),
      });
      if (values.json) {
        io.out(JSON.stringify(report));
        return;
      }
      io.out(`Usage ${report.from} to ${report.to} (${report.timeZone}), by ${report.groupBy}`);
      const rows = [...report.data, { ...report.total, group: 'TOTAL', name: null }];
      for (const line of table(rows)) io.out(line);
      if (report.total.storedBytes !== null)
        io.out(`Stored: ${report.total.storedBytes} bytes (newest daily snapshot)`);
    });
  },
};
