import type { Command } from '../command.ts';
import { requireString } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal alert-webhooks create --endpoint URL [--description TEXT] [--url URL] [--json]

Adds a webhook every budget alert is POSTed to, signed with Shoal-Signature (docs/alerts.md).
Prints the signing secret: it is shown this once, store it now.
Options:
  --endpoint URL        https://…, or http:// to localhost, 127.0.0.1 or [::1]
  --description TEXT    what it is for

${REMOTE_USAGE}`;

export const alertWebhooksCreateCommand: Command = {
  name: 'alert-webhooks create',
  summary: 'Add an alert webhook (prints its secret once)',
  usage,
  options: { ...REMOTE_OPTIONS, endpoint: { type: 'string' }, description: { type: 'string' } },
  async run(values, io) {
    const endpoint = requireString(values, 'endpoint', usage);
    const description = typeof values.description === 'string' ? values.description : undefined;
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const created = await client.createAlertWebhook({
        url: endpoint,
        ...(description === undefined ? {} : { description }),
      });
      if (values.json) return io.out(JSON.stringify(created));
      io.out(`Created alert webhook ${created.webhook.id} to ${created.webhook.url}`);
      io.out(`Signing secret (shown once, store it now): ${created.secret}`);
    });
  },
};
