import { changeTenantPlan, OPERATOR_CLI_ACTOR } from '../../scheduling/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { printTenantLimits } from './limits-output.ts';

const usage = `Usage: shoal plan set <tenantId> <plan> [--json]

Moves a tenant to another plan, audited in the tenant's log (tenant.plan.change).`;

export const planSetCommand: Command = {
  name: 'plan set',
  summary: "Change a tenant's plan",
  usage,
  options: { json: { type: 'boolean' } },
  positionals: ['tenantId', 'plan'],
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const limits = await runtime.db.systemTx((sys) =>
        changeTenantPlan(sys, String(values.tenantId), String(values.plan), {
          actor: OPERATOR_CLI_ACTOR,
          requestId: null,
          ip: null,
        }),
      );
      printTenantLimits(io, limits, values.json === true);
      return 0;
    } finally {
      await runtime.db.close();
    }
  },
};
