import { z } from 'zod';
import {
  MAX_USAGE_RANGE_DAYS,
  USAGE_GROUP_BYS,
  type UsageBound,
  type UsageReport,
  type UsageTotals,
} from '../metering/index.ts';
import { usdOf } from './metering-schemas.ts';

/** Shapes of the usage report (GET /v1/usage, docs/adr/0007-metering.md); named components in OpenAPI. */
const timestamp = z.iso.datetime();

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day (`2026-12-01`, its midnight in the tenant's time zone) or an instant with an offset. */
const Bound = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value): UsageBound => (DATE.test(value) ? { date: value } : { at: value }));

export const UsageQuery = z.strictObject({
  from: Bound.optional().meta({
    description: "Start (inclusive): a day in the tenant's time zone or an instant; default: to − 30 days",
    example: '2026-12-01',
  }),
  to: Bound.optional().meta({
    description: "End (exclusive): a day in the tenant's time zone or an instant; default: the end of today",
    example: '2026-12-08',
  }),
  groupBy: z.enum(USAGE_GROUP_BYS).default('day').meta({
    description: "day (the tenant's time zone), model (provider/model), workflow, key (API key) or pool",
  }),
});

/** 12_345 ms → "12.345". */
export const secondsOf = (ms: number): string =>
  `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;

const Count = z.number().int();

const UsageTotalsSchema = z
  .object({
    calls: Count.meta({ description: 'LLM calls answered by a provider' }),
    cacheHits: Count.meta({ description: "LLM calls answered from the gateway's cache" }),
    tokensIn: Count,
    tokensOut: Count,
    tokensCached: Count,
    costMicroUsd: Count.meta({ description: 'Priced when recorded, integer micro-USD' }),
    costUsd: z.string().meta({ description: 'The cost in USD, 6 decimals', example: '0.012500' }),
    runs: Count.meta({ description: 'Runs started' }),
    steps: Count.meta({ description: 'Step attempts executed (a retried step counts each attempt)' }),
    workerMs: Count.meta({ description: 'Executor time of those attempts, whole milliseconds' }),
    workerSeconds: z.string().meta({ description: 'The same in seconds, 3 decimals', example: '12.345' }),
    storedBytes: Count.nullable().meta({
      description:
        'The newest daily snapshot of stored run and step data in the range (day groups and the total)',
    }),
  })
  .meta({ id: 'UsageTotals' });

export const UsageReportSchema = z
  .object({
    from: timestamp,
    to: timestamp,
    timeZone: z.string().meta({ description: "The tenant's time zone days are cut in" }),
    groupBy: z.enum(USAGE_GROUP_BYS),
    data: z.array(
      UsageTotalsSchema.extend({
        group: z.string().nullable().meta({
          description: 'The day, provider/model, workflow id, API key id or pool; null: events without one',
        }),
        name: z.string().nullable().meta({ description: "The workflow's or API key's name" }),
      }).meta({ id: 'UsageGroup' }),
    ),
    total: UsageTotalsSchema,
  })
  .meta({ id: 'UsageReport', description: `Ranges cover at most ${MAX_USAGE_RANGE_DAYS} days` });

const totalsBody = (totals: UsageTotals) => ({
  ...totals,
  costUsd: usdOf(totals.costMicroUsd),
  workerSeconds: secondsOf(totals.workerMs),
});

export const usageReportBody = (report: UsageReport) => ({
  from: report.from.toISOString(),
  to: report.to.toISOString(),
  timeZone: report.timeZone,
  groupBy: report.groupBy,
  data: report.groups.map((group) => ({ ...totalsBody(group), group: group.group, name: group.name })),
  total: totalsBody(report.total),
});
