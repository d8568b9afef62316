import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal alert-webhooks delete ID [--url URL]

Deletes an alert webhook; its deliveries not made yet are dropped.

${REMOTE_USAGE}`;

export const alertWebhooksDeleteCommand: Command = {
  name: 'alert-webhooks delete',
  summary: 'Delete an alert webhook',
  usage,
  positionals: ['id'],
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      await client.deleteAlertWebhook({ id: String(values.id) });
      io.out(values.json ? JSON.stringify({ deleted: values.id }) : `Deleted alert webhook ${values.id}`);
    });
  },
};
