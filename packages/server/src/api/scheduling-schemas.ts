import { z } from 'zod';
import {
  LIMIT_NAMES,
  LIMIT_RANGES,
  PLAN_NAME_PATTERN,
  POOL_NAME_PATTERN,
  type LimitName,
} from '../scheduling/index.ts';

/** Shapes of plans, tenant limits and live usage; each a named component in OpenAPI. */
const timestamp = z.iso.datetime();

const LIMIT_DESCRIPTIONS: Record<LimitName, string> = {
  weight: 'Share of the pool under contention, relative to other tenants (1–10000)',
  guaranteedConcurrency: 'Steps running at once that the tenant always gets',
  burstCeiling: 'Most steps running at once, above the guarantee only from idle capacity',
  runStartsPerMinute: 'Run starts admitted per sliding minute (RUN_RATE_LIMITED)',
  queuedRunsMax: 'Unfinished runs (queued, running, waiting) at most (QUEUE_FULL)',
  maxPayloadBytes: 'Largest run input in bytes of JSON (PAYLOAD_TOO_LARGE)',
  maxStepsPerRun: 'Most steps in one run (RUN_TOO_LARGE)',
  logRetentionDays: 'Days step logs are kept',
  historyRetentionDays: 'Days finished runs are kept',
  llmTokensPerMinute: 'LLM tokens per minute through the gateway (GATEWAY_TOKENS_RATE_LIMITED)',
  llmRequestsPerMinute: 'LLM requests per minute through the gateway (GATEWAY_REQUESTS_RATE_LIMITED)',
};

export const PlanNameSchema = z.string().regex(PLAN_NAME_PATTERN, 'must match ^[a-z][a-z0-9-]{0,39}$');
export const PoolNameSchema = z.string().regex(POOL_NAME_PATTERN, 'must match ^[a-z][a-z0-9-]{0,39}$');

const limit = (name: LimitName) =>
  z.number().int().min(LIMIT_RANGES[name].min).max(LIMIT_RANGES[name].max).meta({
    description: LIMIT_DESCRIPTIONS[name],
  });

const shape = <T extends z.ZodType>(make: (name: LimitName) => T) =>
  Object.fromEntries(LIMIT_NAMES.map((name) => [name, make(name)])) as Record<LimitName, T>;

export const LimitsSchema = z.object(shape(limit)).meta({ id: 'Limits' });

export const PlanSchema = LimitsSchema.extend({
  name: z.string(),
  builtin: z.boolean().meta({ description: 'free, team and enterprise: editable, never deleted' }),
  tenants: z.number().int().meta({ description: 'Tenants on this plan now' }),
  createdAt: timestamp,
  updatedAt: timestamp,
}).meta({ id: 'Plan' });

const burstCoversGuarantee = (limits: { guaranteedConcurrency?: number; burstCeiling?: number }) =>
  limits.guaranteedConcurrency === undefined ||
  limits.burstCeiling === undefined ||
  limits.burstCeiling >= limits.guaranteedConcurrency;

export const CreatePlanBody = z
  .strictObject({ name: PlanNameSchema, ...shape(limit) })
  .refine(burstCoversGuarantee, {
    message: 'burstCeiling must be at least guaranteedConcurrency',
    path: ['burstCeiling'],
  });

export const UpdatePlanBody = z
  .strictObject(shape((name) => limit(name).optional()))
  .refine((body) => Object.keys(body).length > 0, { message: 'Name at least one limit to change' });

export const PlanParams = z.strictObject({ name: PlanNameSchema });
export const TenantIdParams = z.strictObject({ tenantId: z.uuid() });

export const TenantLimitsSchema = z
  .object({
    tenantId: z.uuid(),
    plan: z.string(),
    pool: z.string().meta({ description: "The worker pool the tenant's new runs go to" }),
    overrides: z
      .object(shape((name) => limit(name).nullable()))
      .meta({ description: "Single-limit overrides; null: the plan's value" }),
    effective: LimitsSchema,
  })
  .meta({ id: 'TenantLimits' });

export const ChangePlanBody = z.strictObject({ plan: PlanNameSchema });

export const UpdateLimitsBody = z
  .strictObject({
    ...shape((name) => limit(name).nullable().optional()),
    pool: PoolNameSchema.nullable()
      .optional()
      .meta({ description: 'A dedicated worker pool; null: back to `shared`' }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Name at least one limit to set or clear' });

const count = z.number().int();
export const LiveUsageSchema = z
  .object({
    tenantId: z.uuid(),
    plan: z.string(),
    pool: z.string(),
    poolLive: z.boolean().meta({ description: "A worker of the tenant's pool was seen recently" }),
    liveWorkers: count,
    queue: z
      .object({ available: count, delayed: count })
      .meta({ description: 'Queued steps: claimable now, and waiting for their time (backoff)' }),
    running: count.meta({ description: 'Steps running now (leased)' }),
    waitMs: z
      .object({
        p50: count.nullable(),
        p95: count.nullable(),
        p99: count.nullable(),
        samples: count,
      })
      .meta({ description: 'Queue wait of the attempts started in the last 5 minutes' }),
    openRuns: z.object({ used: count, limit: count }),
    runStarts: z
      .object({ sliding: z.number(), currentWindow: count, limit: count })
      .meta({ description: 'Run starts in the sliding minute (what admission compares) and this minute' }),
    limits: LimitsSchema,
  })
  .meta({ id: 'LiveUsage' });

export const PoolHealthSchema = z
  .object({
    pool: z.string(),
    tenants: count,
    queued: count,
    liveWorkers: count,
    unserved: z.boolean().meta({ description: 'In use, with no live worker: its steps wait' }),
  })
  .meta({ id: 'PoolHealth' });
