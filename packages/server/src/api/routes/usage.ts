import { readLiveUsage } from '../../scheduling/index.ts';
import { tenantRoute } from '../route.ts';
import { LiveUsageSchema } from '../scheduling-schemas.ts';

export const usageRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/tenant/usage/live',
    operationId: 'getLiveUsage',
    auth: 'usage.read',
    tag: 'tenant',
    summary: "The tenant's live usage: queue depth, running steps, wait times, quotas used",
    success: { status: 200, schema: LiveUsageSchema, description: 'Live usage against the effective limits' },
    handler: async ({ tx, principal, deps }) => {
      const [usage] = await readLiveUsage(tx, {
        tenantId: principal.tenantId,
        liveWithinMs: deps.config.SHOAL_WORKER_LIVE_MS,
      });
      if (!usage) throw new Error('the caller’s tenant has no effective limits');
      return { body: usage };
    },
  }),
];
