import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal statements list [--url URL] [--json]

Lists the tenant's monthly statements, newest first: status (open, closed or unpriced), the
total in USD and ledger rows recorded after the month closed (late, in no statement).

${REMOTE_USAGE}`;

export const statementsListCommand: Command = {
  name: 'statements list',
  summary: "List the tenant's monthly statements",
  usage,
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const { data } = await client.listStatements();
      if (values.json) return io.out(JSON.stringify({ data }));
      for (const row of data) {
        const late = row.lateEvents > 0 ? `  ${row.lateEvents} late event(s)` : '';
        io.out(
          `${row.month}  ${row.status.padEnd(8)}  ${(row.totalUsd ?? '-').padStart(14)} USD  ${row.plan}${late}`,
        );
      }
    });
  },
};
