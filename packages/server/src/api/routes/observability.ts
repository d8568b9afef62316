import {
  DEFAULT_STATS_RANGE_MS,
  runSeries,
  stepLatency,
  topFailingWorkflows,
  type StatsRange,
} from '../../engine/index.ts';
import { spendByModelAndDay } from '../../metering/index.ts';
import { ObservabilityQuery, ObservabilitySchema } from '../observability-schemas.ts';
import { tenantRoute } from '../route.ts';

export const observabilityRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/tenant/observability',
    operationId: 'getTenantObservability',
    auth: 'observability.read',
    tag: 'tenant',
    summary: "The tenant's runs by state over time, failure rate, step latency, spend and failing workflows",
    description:
      "Everything is read under the tenant's row-level security in one transaction. Runs and failing " +
      'workflows count runs created in [from, to); step latency the attempts started in it; spend the ' +
      "ledger's LLM events that occurred in it (docs/observability.md). ",
    query: ObservabilityQuery,
    success: { status: 200, schema: ObservabilitySchema, description: 'The statistics of the range' },
    errors: [
      { status: 400, description: 'from is not before to (STATS_RANGE_INVALID)' },
      {
        status: 400,
        description: 'The range is longer than 31 days by hour or 366 days by day (STATS_RANGE_TOO_LONG)',
      },
    ],
    handler: async ({ tx, deps }, { query }) => {
      const to = query.to ? new Date(query.to) : (deps.now?.() ?? new Date());
      const from = query.from
        ? new Date(query.from)
        : new Date(to.getTime() - DEFAULT_STATS_RANGE_MS[query.bucket]);
      const range: StatsRange = { from, to, bucket: query.bucket };
      const runs = await runSeries(tx, range);
      const steps = await stepLatency(tx, range);
      const days = await spendByModelAndDay(tx, range);
      const failingWorkflows = await topFailingWorkflows(tx, range, query.top);
      const { timeZone, ...runFigures } = runs;
      return {
        body: {
          from: from.toISOString(),
          to: to.toISOString(),
          bucket: query.bucket,
          timeZone,
          runs: runFigures,
          steps,
          spend: { days, totalMicroUsd: days.reduce((sum, day) => sum + day.costMicroUsd, 0) },
          failingWorkflows,
        },
      };
    },
  }),
];
