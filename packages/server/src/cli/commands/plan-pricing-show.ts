import { listPlanPricing } from '../../metering/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';

const usage = `Usage: shoal plans pricing show PLAN [--json]

Lists a plan's pricing versions, newest first: the month each applies from, the base price and
each meter's allowance and tiers (micro-USD per unit block).`;

export const planPricingShowCommand: Command = {
  name: 'plans pricing show',
  summary: "Show a plan's pricing versions",
  usage,
  options: { json: { type: 'boolean' } },
  positionals: ['plan'],
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const plan = String(values.plan);
      const versions = await runtime.db.systemTx((sys) => listPlanPricing(sys, plan));
      if (values.json) {
        io.out(JSON.stringify({ plan, versions }));
        return 0;
      }
      if (versions.length === 0) io.out(`${plan}: no pricing (its tenants' statements are refused)`);
      for (const version of versions) {
        io.out(`${plan} from ${version.effectiveFrom}: base ${version.basePriceMicroUsd} micro-USD`);
        for (const [meter, pricing] of Object.entries(version.meters))
          io.out(`  ${meter} ${JSON.stringify(pricing)}`);
      }
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
