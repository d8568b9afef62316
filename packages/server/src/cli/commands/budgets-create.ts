import type { Command } from '../command.ts';
import { oneOf, requireString } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';
import { parseThresholds, usd } from './budget-output.ts';

const KINDS = ['hard', 'soft'] as const;
const PERIODS = ['daily', 'monthly', 'fixed'] as const;
const SCOPES = ['tenant', 'workflow', 'api_key'] as const;

const usage = `Usage: shoal budgets create --name NAME --limit USD --kind hard|soft [options]

Creates a budget. A hard budget refuses gateway calls it cannot cover; a soft one only counts.
Alerts fire at each threshold once per period (default 50, 80 and 100 % of the limit).
Options:
  --name NAME           unique in the tenant
  --limit USD           e.g. 25 or 12.50
  --kind KIND           hard | soft
  --period PERIOD       daily | monthly (default) | fixed, in the tenant's time zone
  --starts-at ISO       fixed period only: the window opens
  --ends-at ISO         fixed period only: the window closes
  --scope SCOPE         tenant (default) | workflow | api_key
  --scope-id ID         the workflow's or API key's id (scope workflow or api_key)
  --thresholds LIST     alert percentages, ascending, e.g. 50,80,100

${REMOTE_USAGE}`;

export const budgetsCreateCommand: Command = {
  name: 'budgets create',
  summary: 'Create a budget of the tenant, a workflow or an API key',
  usage,
  options: {
    ...REMOTE_OPTIONS,
    name: { type: 'string' },
    limit: { type: 'string' },
    kind: { type: 'string' },
    period: { type: 'string' },
    'starts-at': { type: 'string' },
    'ends-at': { type: 'string' },
    scope: { type: 'string' },
    'scope-id': { type: 'string' },
    thresholds: { type: 'string' },
  },
  async run(values, io) {
    const name = requireString(values, 'name', usage);
    const limitUsd = requireString(values, 'limit', usage);
    const kind = oneOf(requireString(values, 'kind', usage), KINDS, 'kind', usage);
    const period = oneOf(String(values.period ?? 'monthly'), PERIODS, 'period', usage);
    const scope = oneOf(String(values.scope ?? 'tenant'), SCOPES, 'scope', usage);
    const optional = (option: string) =>
      typeof values[option] === 'string' ? String(values[option]) : undefined;
    const startsAt = optional('starts-at');
    const endsAt = optional('ends-at');
    const scopeId = optional('scope-id');
    const thresholds = optional('thresholds');
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const budget = await client.createBudget({
        name,
        limitUsd,
        kind,
        period,
        scope,
        ...(scopeId === undefined ? {} : { scopeId }),
        ...(startsAt === undefined ? {} : { startsAt }),
        ...(endsAt === undefined ? {} : { endsAt }),
        ...(thresholds === undefined ? {} : { alertThresholds: parseThresholds(thresholds, usage) }),
      });
      if (values.json) return io.out(JSON.stringify(budget));
      io.out(
        `Created budget ${budget.id} ${budget.name}: ${budget.kind} ${budget.period}, ${usd(budget.limitMicroUsd)} USD, alerts at ${budget.alertThresholds.join(', ')} %`,
      );
    });
  },
};
