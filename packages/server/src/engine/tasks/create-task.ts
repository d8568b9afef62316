import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import { parseDuration } from '../../workflows/index.ts';
import type { Claim } from '../claim.ts';
import { loadStepPolicy } from './step-policy.ts';

/** NOTIFY channel with payload `<tenant id>:<queue>` when a task is put on a queue. */
export const TASK_READY_CHANNEL = 'shoal_task_ready';

/** A delivery with no heartbeat for this long is lost when the step sets no `heartbeatTimeout`. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;

/**
 * A task whose worker goes silent is delivered again up to this many times in all; then the
 * attempt fails with TASK_HEARTBEAT_TIMEOUT (a poison task, like LOST_LEASE_ATTEMPTS).
 */
export const MAX_TASK_DELIVERIES = 5;

/** The resolved `with` of a `task` step (workflows/step-types/task.ts). */
interface TaskWith {
  queue: string;
  input?: unknown;
  heartbeatTimeout?: unknown;
}

function heartbeatTimeoutMs(value: unknown): number {
  if (typeof value === 'number' && value > 0) return Math.round(value);
  if (typeof value === 'string') return parseDuration(value) ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  return DEFAULT_HEARTBEAT_TIMEOUT_MS;
}

/**
 * Puts the task of a `task` step's attempt on its queue, in the transaction that parks the step,
 * and wakes the long-polls of that queue when it commits. The attempt is the task's fence; the
 * step's `timeout` becomes its `wake_at`, when maintenance times it out.
 */
export async function createTask(tx: Queryable, claim: Claim, stepInput: unknown): Promise<string> {
  const input = (stepInput ?? {}) as TaskWith;
  const id = randomUUID();
  await tx.query(
    `insert into tasks (tenant_id, id, queue, run_id, step_key, attempt, input, heartbeat_timeout_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      claim.tenantId,
      id,
      input.queue,
      claim.runId,
      claim.stepKey,
      claim.attempt,
      JSON.stringify(input.input ?? null),
      heartbeatTimeoutMs(input.heartbeatTimeout),
    ],
  );
  // The step's `timeout` bounds the wait; executors do not see it, the pinned definition has it.
  const { timeoutMs } = await loadStepPolicy(tx, claim);
  if (timeoutMs)
    await tx.query(
      `update run_steps set wake_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
        where tenant_id = $1 and run_id = $2 and step_key = $3`,
      [claim.tenantId, claim.runId, claim.stepKey, timeoutMs],
    );
  await tx.query('select pg_notify($1, $2)', [TASK_READY_CHANNEL, `${claim.tenantId}:${input.queue}`]);
  return id;
}
