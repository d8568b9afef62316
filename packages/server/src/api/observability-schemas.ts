import { z } from 'zod';
import { RUN_STATES, STATS_BUCKETS } from '../engine/index.ts';

/** Shapes of the tenant's observability statistics (docs/observability.md). */
const timestamp = z.iso.datetime();

export const ObservabilityQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().meta({
    description: 'Start of the range (inclusive); default: to − 1 day by hour, to − 30 days by day',
  }),
  to: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'End of the range (exclusive); default now' }),
  bucket: z
    .enum(STATS_BUCKETS)
    .default('hour')
    .meta({ description: "Runs are counted per hour or per day of the tenant's time zone" }),
  top: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .meta({ description: 'How many failing workflows to list' }),
});

const Rate = z.number().min(0).max(1);
const StateCounts = z
  .object(
    Object.fromEntries(RUN_STATES.map((state) => [state, z.number().int()])) as Record<
      (typeof RUN_STATES)[number],
      z.ZodNumber
    >,
  )
  .meta({ id: 'RunStateCounts' });

export const ObservabilitySchema = z
  .object({
    from: timestamp,
    to: timestamp,
    bucket: z.enum(STATS_BUCKETS),
    timeZone: z.string().meta({ description: "The tenant's time zone buckets and days are cut in" }),
    runs: z.object({
      buckets: z
        .array(z.object({ start: timestamp, counts: StateCounts, total: z.number().int() }))
        .meta({ description: 'Runs created in each bucket, by their current state; empty buckets included' }),
      totals: StateCounts,
      total: z.number().int(),
      failureRate: Rate.nullable().meta({
        description: '(failed + timed_out) / (succeeded + failed + timed_out); null when none finished so',
      }),
    }),
    steps: z
      .array(
        z.object({
          stepType: z.string(),
          attempts: z.number().int(),
          succeeded: z.number().int(),
          failed: z.number().int(),
          p50Ms: z.number(),
          p95Ms: z.number(),
        }),
      )
      .meta({
        description: 'Attempts started in the range that succeeded or failed, by step type: start to end',
      }),
    spend: z.object({
      days: z
        .array(
          z.object({
            day: z
              .string()
              .meta({ description: "YYYY-MM-DD in the tenant's time zone", example: '2026-12-03' }),
            provider: z.string(),
            model: z.string(),
            calls: z.number().int(),
            cacheHits: z.number().int(),
            tokensIn: z.number().int(),
            tokensOut: z.number().int(),
            tokensCached: z.number().int(),
            costMicroUsd: z.number().int(),
          }),
        )
        .meta({ description: 'LLM spend in the range by day and model (the usage ledger)' }),
      totalMicroUsd: z.number().int(),
    }),
    failingWorkflows: z
      .array(
        z.object({
          workflowId: z.uuid(),
          name: z.string(),
          runs: z.number().int(),
          failed: z.number().int(),
          failureRate: Rate,
        }),
      )
      .meta({ description: 'Workflows with failed runs created in the range, most failures first' }),
  })
  .meta({ id: 'TenantObservability' });
