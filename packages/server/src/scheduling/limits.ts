/** The limits of a plan, in API spelling, each with its column (migration 0008) and its range. */
export const LIMIT_NAMES = [
  'weight',
  'guaranteedConcurrency',
  'burstCeiling',
  'runStartsPerMinute',
  'queuedRunsMax',
  'maxPayloadBytes',
  'maxStepsPerRun',
  'logRetentionDays',
  'historyRetentionDays',
  'llmTokensPerMinute',
  'llmRequestsPerMinute',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type Limits = Record<LimitName, number>;

const INT_MAX = 2_147_483_647;

/** Column of each limit, in plans and tenant_limits alike. Only these names reach SQL text. */
export const LIMIT_COLUMNS: Record<LimitName, string> = {
  weight: 'weight',
  guaranteedConcurrency: 'guaranteed_concurrency',
  burstCeiling: 'burst_ceiling',
  runStartsPerMinute: 'run_starts_per_minute',
  queuedRunsMax: 'queued_runs_max',
  maxPayloadBytes: 'max_payload_bytes',
  maxStepsPerRun: 'max_steps_per_run',
  logRetentionDays: 'log_retention_days',
  historyRetentionDays: 'history_retention_days',
  llmTokensPerMinute: 'llm_tokens_per_minute',
  llmRequestsPerMinute: 'llm_requests_per_minute',
};

/** The check constraints of migrations 0008 and 0009, so callers are refused before the database does. */
export const LIMIT_RANGES: Record<LimitName, { min: number; max: number }> = {
  weight: { min: 1, max: 10_000 },
  guaranteedConcurrency: { min: 0, max: INT_MAX },
  burstCeiling: { min: 1, max: INT_MAX },
  runStartsPerMinute: { min: 1, max: INT_MAX },
  queuedRunsMax: { min: 1, max: INT_MAX },
  maxPayloadBytes: { min: 1024, max: INT_MAX },
  maxStepsPerRun: { min: 1, max: INT_MAX },
  logRetentionDays: { min: 1, max: INT_MAX },
  historyRetentionDays: { min: 1, max: INT_MAX },
  llmTokensPerMinute: { min: 0, max: INT_MAX },
  llmRequestsPerMinute: { min: 0, max: INT_MAX },
};

/** Plan and pool names (the checks on plans.name and tenant_limits.pool). */
export const PLAN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const POOL_NAME_PATTERN = PLAN_NAME_PATTERN;
export const SHARED_POOL = 'shared';

/** A row's limit columns as the API's object. */
export function limitsFromRow(row: Record<string, unknown>): Limits {
  const limits = {} as Limits;
  for (const name of LIMIT_NAMES) limits[name] = Number(row[LIMIT_COLUMNS[name]]);
  return limits;
}

/** `limit_a, limit_b, …` for a select list. */
export const LIMIT_SELECT = LIMIT_NAMES.map((name) => LIMIT_COLUMNS[name]).join(', ');
