import { CliUsageError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { oneOf } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';
import { parseThresholds, usd } from './budget-output.ts';

const KINDS = ['hard', 'soft'] as const;

const usage = `Usage: shoal budgets update ID [--name NAME] [--limit USD] [--kind hard|soft] [--thresholds LIST]

Changes a budget's name, limit, kind or alert thresholds (its scope and period stay). A lower
limit or new thresholds alert at once for what the current period already spent.

${REMOTE_USAGE}`;

export const budgetsUpdateCommand: Command = {
  name: 'budgets update',
  summary: "Change a budget's name, limit, kind or alert thresholds",
  usage,
  positionals: ['id'],
  options: {
    ...REMOTE_OPTIONS,
    name: { type: 'string' },
    limit: { type: 'string' },
    kind: { type: 'string' },
    thresholds: { type: 'string' },
  },
  async run(values, io) {
    const change = {
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
      ...(typeof values.limit === 'string' ? { limitUsd: values.limit } : {}),
      ...(typeof values.kind === 'string' ? { kind: oneOf(values.kind, KINDS, 'kind', usage) } : {}),
      ...(typeof values.thresholds === 'string'
        ? { alertThresholds: parseThresholds(values.thresholds, usage) }
        : {}),
    };
    if (Object.keys(change).length === 0)
      throw new CliUsageError('Name at least one of --name, --limit, --kind, --thresholds', usage);
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const budget = await client.updateBudget({ id: String(values.id) }, change);
      if (values.json) return io.out(JSON.stringify(budget));
      io.out(
        `Updated budget ${budget.id} ${budget.name}: ${budget.kind} ${budget.period}, ${usd(budget.limitMicroUsd)} USD, alerts at ${budget.alertThresholds.join(', ')} %`,
      );
    });
  },
};
