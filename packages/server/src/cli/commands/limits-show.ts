import { getTenantLimits } from '../../scheduling/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { printTenantLimits } from './limits-output.ts';

const usage = `Usage: shoal limits show <tenantId> [--json]

Shows a tenant's plan, pool and effective limits, marking the overridden ones.`;

export const limitsShowCommand: Command = {
  name: 'limits show',
  summary: "Show a tenant's plan, pool and effective limits",
  usage,
  options: { json: { type: 'boolean' } },
  positionals: ['tenantId'],
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const limits = await runtime.db.systemTx((sys) => getTenantLimits(sys, String(values.tenantId)));
      printTenantLimits(io, limits, values.json === true);
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
