import type { Queryable } from '../db/index.ts';
import { queueInsertSql, STEP_READY_CHANNEL } from './enqueue.ts';

/**
 * After steps finish, counts them off their dependants' needs. A dependant whose last need
 * finished becomes ready (and is queued) if at least one of its needs succeeded, and is skipped
 * if all were skipped (a branch not taken skips everything below it, but a join after it still
 * runs). One statement per finished step, reaching its dependants by key (`dependants`); row
 * locks make exactly one finisher see a count reach 0. The caller holds the run lock; whether
 * the run ended is its question.
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
    // SET expressions read the row as it was: `needs_remaining = 1` is the last need finishing.
    const released = await tx.query<{ step_key: string; step_id: string; state: string }>(
      `with released as (
         update run_steps d
            set needs_remaining = d.needs_remaining - 1,
                needs_succeeded = d.needs_succeeded + $4,
                state = case when d.needs_remaining > 1 then d.state
                             when d.needs_succeeded + $4 > 0 then 'ready' else 'skipped' end,
                finished_at = case when d.needs_remaining = 1 and d.needs_succeeded + $4 = 0 then now()
                                   else d.finished_at end
          where d.tenant_id = $1 and d.run_id = $2
            and d.step_key = any((select f.dependants from run_steps f
                                   where f.tenant_id = $1 and f.run_id = $2 and f.step_key = $3)::text[])
            and d.state = 'pending' and d.parent_key is null
          returning d.step_key, d.step_id, d.state
       ), queued as (
         ${queueInsertSql("(select step_key as key from released where state = 'ready') as k", '$5', 'now()')}
       )
       select step_key, step_id, state, case when state = 'ready' then pg_notify($6, $5) end as notified
         from released`,
      [tenantId, runId, next.stepId, next.succeeded ? 1 : 0, options.pool, STEP_READY_CHANNEL],
    );
    for (const row of released.rows) {
      if (row.state === 'ready') readied.push(row.step_key);
      if (row.state !== 'skipped') continue;
      skipped.push(row.step_key);
      pending.push({ stepId: row.step_id, succeeded: false });
    }
  }
  return { readied, skipped };
}
