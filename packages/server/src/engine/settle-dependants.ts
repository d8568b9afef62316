import type { Queryable } from '../db/index.ts';
import { enqueueSteps } from './enqueue.ts';

/**
 * After steps finish, counts them off their dependants' needs. A dependant whose last need
 * finished becomes ready if at least one of its needs succeeded, and is skipped if all were
 * skipped (a branch not taken skips everything below it, but a join after it still runs).
 * The caller holds the run lock; row locks make exactly one finisher see a count reach 0.
 * Whether that ended the run is the caller's question (finish-run.ts `settleStep`).
 */
export async function settleDependants(
  tx: Queryable,
  tenantId: string,
  runId: string,
  finished: readonly { stepId: string; succeeded: boolean }[],
  options: { pool: string },
): Promise<{ readied: string[]; skipped: string[] }> {
  const pending = [...finished];
  const readied: string[] = [];
  const skipped: string[] = [];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const released = await tx.query<{
      step_key: string;
      step_id: string;
      needs_remaining: number;
      needs_succeeded: number;
    }>(
      `update run_steps set needs_remaining = needs_remaining - 1, needs_succeeded = needs_succeeded + $4
        where tenant_id = $1 and run_id = $2 and $3 = any(needs) and state = 'pending' and parent_key is null
        returning step_key, step_id, needs_remaining, needs_succeeded`,
      [tenantId, runId, next.stepId, next.succeeded ? 1 : 0],
    );
    for (const row of released.rows) {
      if (row.needs_remaining > 0) continue;
      if (row.needs_succeeded > 0) {
        readied.push(row.step_key);
        continue;
      }
      await tx.query(
        `update run_steps set state = 'skipped', finished_at = now() where tenant_id = $1 and run_id = $2 and step_key = $3`,
        [tenantId, runId, row.step_key],
      );
      skipped.push(row.step_key);
      pending.push({ stepId: row.step_id, succeeded: false });
    }
  }
  await enqueueSteps(tx, tenantId, runId, readied, options);
  return { readied, skipped };
}
