import type { Command } from '../command.ts';
import { oneOf } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';
import { requirePositiveInteger, usd } from './budget-output.ts';

const KINDS = ['threshold', 'forecast'] as const;

const usage = `Usage: shoal alerts list [--budget ID] [--kind threshold|forecast] [--unacknowledged] [--limit N]

Lists the tenant's budget alerts, newest first: when, the budget, what fired (a threshold
crossed or a forecast over the limit), the spend then, and who acknowledged it.
Options:
  --budget ID        only this budget's alerts
  --kind KIND        threshold | forecast
  --unacknowledged   only alerts nobody acknowledged yet
  --limit N          at most N alerts (default 50, at most 200)

${REMOTE_USAGE}`;

export const alertsListCommand: Command = {
  name: 'alerts list',
  summary: "List the tenant's budget alerts",
  usage,
  options: {
    ...REMOTE_OPTIONS,
    budget: { type: 'string' },
    kind: { type: 'string' },
    unacknowledged: { type: 'boolean' },
    limit: { type: 'string' },
  },
  async run(values, io) {
    const query = {
      ...(typeof values.budget === 'string' ? { budgetId: values.budget } : {}),
      ...(typeof values.kind === 'string' ? { kind: oneOf(values.kind, KINDS, 'kind', usage) } : {}),
      ...(values.unacknowledged ? { acknowledged: 'false' as const } : {}),
      ...(typeof values.limit === 'string'
        ? { limit: requirePositiveInteger(values.limit, 'limit', usage) }
        : {}),
    };
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const page = await client.listAlerts(query);
      if (values.json) return io.out(JSON.stringify(page));
      if (page.data.length === 0) return io.out('No alerts');
      for (const alert of page.data) {
        const what =
          alert.kind === 'threshold'
            ? `reached ${alert.threshold}%`
            : `projected ${usd(alert.projectedMicroUsd ?? 0)} USD`;
        const seen = alert.acknowledgedAt ? `  acknowledged by ${alert.acknowledgedBy}` : '';
        io.out(
          `${alert.createdAt}  ${alert.id}  ${alert.budgetName}  ${what}: ${usd(alert.spentMicroUsd)} of ${usd(alert.limitMicroUsd)} USD${seen}`,
        );
      }
    });
  },
};
