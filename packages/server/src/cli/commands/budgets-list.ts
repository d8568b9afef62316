import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';
import { percentOf, usd } from './budget-output.ts';

const usage = `Usage: shoal budgets list [--url URL] [--json]

Lists the tenant's budgets by name: id, kind, period and scope, and what the current period
spent of the limit (USD).

${REMOTE_USAGE}`;

export const budgetsListCommand: Command = {
  name: 'budgets list',
  summary: "List the tenant's budgets and their current period",
  usage,
  options: REMOTE_OPTIONS,
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const { data } = await client.listBudgets();
      if (values.json) return io.out(JSON.stringify({ data }));
      if (data.length === 0) return io.out('No budgets');
      for (const budget of data) {
        const scope = budget.scopeId ? `${budget.scope}:${budget.scopeId}` : budget.scope;
        const spent = budget.current
          ? `${usd(budget.current.spentMicroUsd)} of ${usd(budget.limitMicroUsd)} USD (${percentOf(budget.current.spentMicroUsd, budget.limitMicroUsd)}%)`
          : `no period open of ${usd(budget.limitMicroUsd)} USD`;
        io.out(`${budget.id}  ${budget.name}  ${budget.kind} ${budget.period} ${scope}  ${spent}`);
      }
    });
  },
};
