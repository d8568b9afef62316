import { verifyAuditChain } from '../../audit/index.ts';
import { listTenantIds } from '../../identity/index.ts';
import type { Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: "Verify tenants' audit hash chains",
  usage: `Usage: shoal audit verify [--tenant ID] [--json]

Walks each tenant's audit chain (or one tenant's) and reports the first broken link.
Exits 1 if any chain is broken.`,
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, io) {
    const runtime = await openRuntime(io.env, { logToStderr: true });
    try {
      const tenants =
        typeof values.tenant === 'string'
          ? [values.tenant]
          : await runtime.db.systemTx((sys) => listTenantIds(sys));
      let broken = 0;
      for (const tenantId of tenants) {
        const result = await runtime.db.systemTx((sys) => verifyAuditChain(sys, tenantId));
        if (!result.ok) broken += 1;
        if (values.json) io.out(JSON.stringify({ tenantId, ...result }));
        else if (result.ok) io.out(`${tenantId} ok (${result.checked} events)`);
        else {
          const at = result.firstBroken;
          io.out(
            `${tenantId} BROKEN at seq ${at?.seq} (event ${at?.id}): ${at?.reason}; ${result.checked} events verified before it`,
          );
        }
      }
      return broken > 0 ? 1 : 0;
    } finally {
      await runtime.db.close();
    }
  },
};
