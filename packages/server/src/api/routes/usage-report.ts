import { queryUsage } from '../../metering/index.ts';
import { tenantRoute } from '../route.ts';
import { UsageQuery, UsageReportSchema, usageReportBody } from '../usage-schemas.ts';

export const usageReportRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/usage',
    operationId: 'getUsage',
    auth: 'usage.read',
    tag: 'metering',
    summary: "The tenant's metered usage and spend from the ledger, by day, model, workflow, API key or pool",
    description:
      'Totals of LLM calls, cache hits, tokens, cost (priced when recorded), runs started, step attempts ' +
      "and their worker time over [from, to), read from the usage ledger (docs/adr/0007-metering.md). Days are the tenant's. ",
    query: UsageQuery,
    success: { status: 200, schema: UsageReportSchema, description: 'The usage of the range' },
    errors: [
      { status: 400, description: 'to is not after from (USAGE_RANGE_INVALID)' },
      { status: 400, description: 'The range is longer than 366 days (USAGE_RANGE_TOO_LONG)' },
    ],
    handler: async ({ tx, principal, deps }, { query }) => ({
      body: usageReportBody(
        await queryUsage(tx, principal.tenantId, {
          from: query.from,
          to: query.to,
          groupBy: query.groupBy,
          now: deps.now?.() ?? new Date(),
        }),
      ),
    }),
  }),
];
