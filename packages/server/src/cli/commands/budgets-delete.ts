import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal budgets delete ID [--url URL]

Deletes a budget with its periods and alerts; calls it covered are no longer checked against it.

${REMOTE_USAGE}`;

export const budgetsDeleteCommand: Command = {
  name: 'budgets delete',
  summary: 'Delete a budget',
  usage,
  positionals: ['id'],
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      await client.deleteBudget({ id: String(values.id) });
      io.out(values.json ? JSON.stringify({ deleted: values.id }) : `Deleted budget ${values.id}`);
    });
  },
};
