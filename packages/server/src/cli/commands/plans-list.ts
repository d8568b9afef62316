import { LIMIT_NAMES, listPlans } from '../../scheduling/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { limitFlag } from './limits-output.ts';

const usage = `Usage: shoal plans list [--json]

Lists the plan catalogue with every limit and the number of tenants on each plan.`;

export const plansListCommand: Command = {
  name: 'plans list',
  summary: 'List plans and their limits',
  usage,
  options: { json: { type: 'boolean' } },
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const plans = await runtime.db.systemTx((sys) => listPlans(sys));
      if (values.json) io.out(JSON.stringify({ plans }));
      else
        for (const plan of plans) {
          io.out(`${plan.name}${plan.builtin ? ' (built-in)' : ''}: ${plan.tenants} tenant(s)`);
          io.out(LIMIT_NAMES.map((n) => `  ${limitFlag(n)} ${plan[n]}`).join('\n'));
        }
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
