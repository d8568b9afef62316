import type { Queryable } from '../db/index.ts';
import { CHAIN_ALLOWED_SQL, type ClaimRow } from './claim.ts';
import { queueInsertSql, STEP_READY_CHANNEL } from './enqueue.ts';
import { stepOutputsSql, type StepOutputs } from './step-outputs.ts';

/**
 * A worker that will go on with one of the steps a completion releases (ARCHITECTURE.md,
 * "Chaining"): if step `key` becomes ready, it is claimed for `workerId` in the same statement
 * and comes back with the outputs `reads` names (null: all).
 */
export interface ChainRequest {
  after: string;
  key: string;
  workerId: string;
  leaseMs: number;
  reads: readonly string[] | null;
}

/** Where released steps are queued, and the step the caller will go on with, if any. */
export interface SettleOptions {
  pool: string;
  chain?: ChainRequest | undefined;
}

/** The step a completion claimed for its worker: a claim row with its expression context. */
export type ChainedRow = ClaimRow & { input: unknown; steps: StepOutputs };

// SET expressions read the row as it was: `needs_remaining = 1` is the last need finishing.
const RELEASED_CTE = (claimed: string) => `released as (
         update run_steps d
            set needs_remaining = d.needs_remaining - 1,
                needs_succeeded = d.needs_succeeded + $4,
                state = case when d.needs_remaining > 1 then d.state
                             when d.needs_succeeded + $4 = 0 then 'skipped'
                             when ${claimed} then 'running' else 'ready' end,
                attempt = case when d.needs_remaining = 1 and d.needs_succeeded + $4 > 0 and ${claimed}
                               then d.attempt + 1 else d.attempt end,
                started_at = case when d.needs_remaining = 1 and d.needs_succeeded + $4 > 0 and ${claimed}
                                  then coalesce(d.started_at, now()) else d.started_at end,
                finished_at = case when d.needs_remaining = 1 and d.needs_succeeded + $4 = 0 then now()
                                   else d.finished_at end
          where d.tenant_id = $1 and d.run_id = $2
            and d.step_key = any((select f.dependants from run_steps f
                                   where f.tenant_id = $1 and f.run_id = $2 and f.step_key = $3)::text[])
            and d.state = 'pending' and d.parent_key is null
          returning d.step_key, d.step_id, d.state, d.step_type, d.parent_key, d.attempt, d.max_attempts
       )`;

/** Releases the dependants of one finished step, queues the ready ones and wakes their pool. */
const RELEASE_SQL = `with ${RELEASED_CTE('false')}, queued as (
         ${queueInsertSql("(select step_key as key from released where state = 'ready') as k", 'now()')}
       )
       select step_key, step_id, state, case when state = 'ready' then pg_notify($6, $5) end as notified
         from released`;

/**
 * The same, and step `$7` (if it becomes ready) is claimed for worker `$8` with a lease of `$9`
 * ms: running, its next attempt recorded, its queue row leased, its expression context returned
 * (the outputs `$10` names, or all of them).
 */
const releaseAndClaimSql = (
  reads: boolean,
) => `with ${RELEASED_CTE(`d.step_key = $7 and ${CHAIN_ALLOWED_SQL}`)}, queued as (
         ${queueInsertSql(
           "(select step_key as key, state from released where state in ('ready', 'running')) as k",
           'now()',
           {
             owner: "case when k.state = 'running' then $8 end",
             expiresAt:
               "case when k.state = 'running' then clock_timestamp() + make_interval(secs => $9::double precision / 1000) end",
           },
         )}
         returning step_key, lease_expires_at
       ), attempted as (
         insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id)
         select $1, $2, step_key, attempt, $8 from released where state = 'running'
       )
       select $1::uuid as tenant_id, $2::uuid as run_id,
              x.step_key, x.step_id, x.state, x.step_type, x.parent_key, x.attempt, x.max_attempts,
              q.lease_expires_at, r.workflow_id, r.workflow_version,
              case when x.state = 'ready' then pg_notify($6, $5) end as notified,
              case when x.state = 'running' then r.input end as input,
              case when x.state = 'running' then ${stepOutputsSql(reads ? '$10' : null)} end as steps
         from released x
         left join queued q on q.step_key = x.step_key
         join runs r on r.tenant_id = $1 and r.id = $2`;
const RELEASE_AND_CLAIM_SQL = { reads: releaseAndClaimSql(true), all: releaseAndClaimSql(false) };

/**
 * After steps finish, counts them off their dependants' needs. A dependant whose last need
 * finished becomes ready (and is queued) if at least one of its needs succeeded, and is skipped
 * if all were skipped (a branch not taken skips everything below it, but a join after it still
 * runs). One statement per finished step, reaching its dependants by key (`dependants`); row
 * locks make exactly one finisher see a count reach 0. With `chain`, the step it names is
 * claimed in that statement when it becomes ready. The caller holds the run lock; whether the
 * run ended is its question.
 */
export async function settleDependants(
  tx: Queryable,
  tenantId: string,
  runId: string,
  finished: readonly { stepId: string; succeeded: boolean }[],
  options: SettleOptions,
): Promise<{ readied: string[]; skipped: string[]; chained: ChainedRow | null }> {
  const pending = [...finished];
  const readied: string[] = [];
  const skipped: string[] = [];
  let chained: ChainedRow | null = null;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const base = [tenantId, runId, next.stepId, next.succeeded ? 1 : 0, options.pool, STEP_READY_CHANNEL];
    const chain = options.chain?.after === next.stepId ? options.chain : undefined;
    const released = chain
      ? await tx.query<ChainedRow & { state: string }>(
          chain.reads ? RELEASE_AND_CLAIM_SQL.reads : RELEASE_AND_CLAIM_SQL.all,
          [...base, chain.key, chain.workerId, chain.leaseMs, ...(chain.reads ? [chain.reads] : [])],
        )
      : await tx.query<{ step_key: string; step_id: string; state: string }>(RELEASE_SQL, base);
    for (const row of released.rows) {
      if (row.state === 'running') chained = row as unknown as ChainedRow;
      if (row.state === 'ready') readied.push(row.step_key);
      if (row.state !== 'skipped') continue;
      skipped.push(row.step_key);
      pending.push({ stepId: row.step_id, succeeded: false });
    }
  }
  return { readied, skipped, chained };
}
