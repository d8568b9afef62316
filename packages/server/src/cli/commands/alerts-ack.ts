import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';

const usage = `Usage: shoal alerts ack ID [--url URL] [--json]

Acknowledges a budget alert (the first acknowledgement is kept).

${REMOTE_USAGE}`;

export const alertsAckCommand: Command = {
  name: 'alerts ack',
  summary: 'Acknowledge a budget alert',
  usage,
  positionals: ['id'],
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const alert = await client.acknowledgeAlert({ id: String(values.id) });
      if (values.json) return io.out(JSON.stringify(alert));
      io.out(
        `Acknowledged alert ${alert.id} (${alert.budgetName}) at ${alert.acknowledgedAt} by ${alert.acknowledgedBy}`,
      );
    });
  },
};
