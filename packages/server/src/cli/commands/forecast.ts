import type { Command } from '../command.ts';
import { openRemote, REMOTE_OPTIONS, REMOTE_USAGE, runRemote } from '../remote.ts';
import { usd } from './budget-output.ts';

const usage = `Usage: shoal forecast [--budget ID] [--url URL] [--json]

Where each budget's spend is heading this period: spent so far, the daily rate weighted to
recent days, the projected end-of-period spend against the limit, and when the limit would be
reached at that rate (docs/alerts.md).

${REMOTE_USAGE}`;

export const forecastCommand: Command = {
  name: 'forecast',
  summary: "Project each budget's spend to the end of its period",
  usage,
  options: { ...REMOTE_OPTIONS, budget: { type: 'string' } },
  async run(values, io) {
    const client = openRemote(values, io, usage);
    return runRemote(io, async () => {
      const { data } = await client.getForecast(
        typeof values.budget === 'string' ? { budgetId: values.budget } : {},
      );
      if (values.json) return io.out(JSON.stringify({ data }));
      if (data.length === 0) return io.out('No budget has a period open now');
      for (const f of data) {
        const verdict = f.exceedsLimit ? 'OVER the limit' : 'within the limit';
        const exhaustion = f.projectedExhaustionAt ? `, limit reached ${f.projectedExhaustionAt}` : '';
        io.out(
          `${f.budgetName}  spent ${usd(f.spentMicroUsd)} USD, ${usd(f.dailyRateMicroUsd)} USD/day, projected ${usd(f.projectedMicroUsd)} of ${usd(f.limitMicroUsd)} USD by ${f.periodEnd}: ${verdict}${exhaustion}`,
        );
      }
    });
  },
};
