import type { Queryable } from '../db/index.ts';
import { quotaError, SchedulingError } from './errors.ts';
import type { Limits } from './limits.ts';
import { countStart, msUntilAdmitted, type WindowState } from './sliding-window.ts';

/** What a client waits after QUEUE_FULL: runs finish at their own pace, so a short constant. */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

/** Bytes of a run input as stored (its JSON text). */
export const payloadBytes = (input: unknown): number =>
  Buffer.byteLength(JSON.stringify(input ?? {}), 'utf8');

/**
 * The checks made before anything is written (ADR 0005, "Quotas at the edge"): the input's
 * size (PAYLOAD_TOO_LARGE) and the number of steps (RUN_TOO_LARGE).
 */
export function assertRunShape(
  limits: Pick<Limits, 'maxPayloadBytes' | 'maxStepsPerRun'>,
  run: { input: unknown; steps: number },
): void {
  const bytes = payloadBytes(run.input);
  if (bytes > limits.maxPayloadBytes)
    throw new SchedulingError(
      'PAYLOAD_TOO_LARGE',
      `The run input is ${bytes} bytes; the plan allows ${limits.maxPayloadBytes}`,
      { limit: 'max_payload_bytes', max: limits.maxPayloadBytes, actual: bytes },
    );
  if (run.steps > limits.maxStepsPerRun)
    throw new SchedulingError(
      'RUN_TOO_LARGE',
      `The run has ${run.steps} steps; the plan allows ${limits.maxStepsPerRun}`,
      { limit: 'max_steps_per_run', max: limits.maxStepsPerRun, actual: run.steps },
    );
}

interface CounterRow {
  open_runs: string | number;
  window_start_ms: string | number;
  window_starts: number;
  previous_window_starts: number;
  now_ms: string | number;
  [key: string]: unknown;
}

/**
 * Admits one run start against the tenant's rate and queue limits, in the caller's transaction:
 * locks the tenant's `tenant_counters` row (held to commit, so concurrent starts are counted
 * exactly), refuses with RUN_RATE_LIMITED or QUEUE_FULL, runs `start`, and counts the start
 * only when `start` created a run (an idempotent replay that lost a race is not counted).
 */
export async function admitRunStart<T extends { created: boolean }>(
  tx: Queryable,
  tenantId: string,
  limits: Pick<Limits, 'runStartsPerMinute' | 'queuedRunsMax'>,
  start: () => Promise<T>,
): Promise<T> {
  const locked = await tx.query<CounterRow>(
    `select (select o.open_runs from tenant_open_runs o where o.tenant_id = c.tenant_id) as open_runs,
            extract(epoch from window_start) * 1000 as window_start_ms, window_starts,
            previous_window_starts, extract(epoch from clock_timestamp()) * 1000 as now_ms
       from tenant_counters c where tenant_id = $1 for update`,
    [tenantId],
  );
  const row = locked.rows[0];
  if (!row) throw new Error(`tenant ${tenantId} has no tenant_counters row`);
  const now = Number(row.now_ms);
  const window: WindowState = {
    windowStart: Number(row.window_start_ms),
    current: row.window_starts,
    previous: row.previous_window_starts,
  };
  const waitMs = msUntilAdmitted(window, now, limits.runStartsPerMinute);
  if (waitMs > 0)
    throw quotaError('RUN_RATE_LIMITED', Math.ceil(waitMs / 1000), {
      limit: 'run_starts_per_minute',
      max: limits.runStartsPerMinute,
    });
  if (Number(row.open_runs) >= limits.queuedRunsMax)
    throw quotaError('QUEUE_FULL', QUEUE_FULL_RETRY_AFTER_SECONDS, {
      limit: 'queued_runs_max',
      max: limits.queuedRunsMax,
    });
  const result = await start();
  if (result.created) {
    const next = countStart(window, now);
    await tx.query(
      `update tenant_counters
          set window_start = to_timestamp($2::double precision / 1000), window_starts = $3, previous_window_starts = $4
        where tenant_id = $1`,
      [tenantId, next.windowStart, next.current, next.previous],
    );
  }
  return result;
}
