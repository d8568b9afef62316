import { CliUsageError } from '../cli-error.ts';
import { oneOf, type Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const FORMATS = ['summary', 'json', 'csv'] as const;
const usage = `Usage: shoal statements show MONTH [--format summary|json|csv] [--url URL]

Prints the tenant's statement of MONTH (YYYY-MM, in the tenant's time zone): a summary, or the
JSON or CSV exactly as the API serves them (the same bytes every time once the month closed).

${REMOTE_USAGE}`;

export const statementsShowCommand: Command = {
  name: 'statements show',
  summary: "Print a month's statement (summary, JSON or CSV)",
  usage,
  options: { ...REMOTE_OPTIONS, format: { type: 'string' } },
  positionals: ['month'],
  async run(values, io) {
    const month = String(values.month);
    if (!/^\d{4}-\d{2}$/.test(month))
      throw new CliUsageError(`MONTH must be YYYY-MM (got "${month}")`, usage);
    const format = values.json ? 'json' : oneOf(String(values.format ?? 'summary'), FORMATS, 'format', usage);
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      if (format === 'csv') {
        // io.out adds a line end; the CSV's last CRLF is part of it.
        const csv = await client.getStatement({ month }, { format: 'csv' });
        return io.out(csv.replace(/\r\n$/, ''));
      }
      const doc = await client.getStatement({ month });
      if (format === 'json') return io.out(JSON.stringify(doc, null, 2));
      io.out(
        `${doc.month} ${doc.status}${doc.closedAt ? ` (closed ${doc.closedAt})` : ''}: ${doc.tenant.name}, plan ${doc.plan}, ${doc.timeZone}`,
      );
      for (const line of doc.lines) {
        const label = line.type === 'base' ? 'base price' : `${line.meter} ${line.quantity} ${line.unit}`;
        io.out(`  ${label.padEnd(40)} ${line.amountUsd.padStart(14)}`);
      }
      io.out(`  ${'total USD'.padEnd(40)} ${doc.totals.totalUsd.padStart(14)}`);
    });
  },
};
