import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal alert-webhooks list [--url URL] [--json]

Lists the tenant's alert webhooks: id, URL, the signing secret's fingerprint (never the secret)
and how their deliveries stand.

${REMOTE_USAGE}`;

export const alertWebhooksListCommand: Command = {
  name: 'alert-webhooks list',
  summary: "List the tenant's alert webhooks",
  usage,
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const { data } = await client.listAlertWebhooks();
      if (values.json) return io.out(JSON.stringify({ data }));
      if (data.length === 0) return io.out('No alert webhooks');
      for (const hook of data) {
        const { pending, delivered, dead } = hook.deliveries;
        io.out(
          `${hook.id}  ${hook.url}  ${hook.secretFingerprint}  ${delivered} delivered, ${pending} pending, ${dead} dead`,
        );
      }
    });
  },
};
