import type { Queryable } from '../db/index.ts';
import type { Claim } from './claim.ts';
import { EngineError } from './errors.ts';
import { lockRun } from './run-lock.ts';
import { settleStep } from './finish-run.ts';
import type { SettleOptions } from './settle-dependants.ts';

type Finish = ({ state: 'succeeded'; output: unknown; skip?: readonly string[] } | { state: 'skipped' }) & {
  /** How long the executor ran, ms: the tenant's measured cost (ADR 0005). */
  workMs?: number | undefined;
};

/**
 * Ends the claimed attempt, fenced by its number: only the attempt that currently holds the
 * step can write (invariant I1). Runs in the claimed tenant's transaction.
 */
async function finishClaimedStep(tx: Queryable, claim: Claim, finish: Finish, options: SettleOptions) {
  await lockRun(tx, claim.tenantId, claim.runId);
  // One statement on the hot path: the step, its attempt, its queue row and the run's start.
  const done = await tx.query<{ n: number; has_dependants: boolean | null }>(
    `with done as (
       update run_steps set state = $5, output = $6, finished_at = now(), error_code = null, error_message = null
        where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running' and attempt = $4
       returning step_key, dependants
     ), closed as (
       update step_attempts set outcome = $5, ended_at = now(), work_ms = $7
        where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4 and exists (select 1 from done)
     ), dequeued as (
       delete from step_queue
        where tenant_id = $1 and run_id = $2 and step_key = $3 and exists (select 1 from done)
     ), started as (
       update runs set state = 'running', started_at = coalesce(started_at, now())
        where tenant_id = $1 and id = $2 and state in ('queued', 'waiting') and exists (select 1 from done)
     )
     select count(*)::int as n, bool_or(cardinality(dependants) > 0) as has_dependants from done`,
    [
      claim.tenantId,
      claim.runId,
      claim.stepKey,
      claim.attempt,
      finish.state,
      finish.state === 'succeeded' ? JSON.stringify(finish.output ?? null) : null,
      finish.workMs ?? null,
    ],
  );
  if (done.rows[0]?.n !== 1)
    throw new EngineError('LEASE_LOST', undefined, { stepKey: claim.stepKey, attempt: claim.attempt });
  return settleStep(
    tx,
    claim.tenantId,
    claim.runId,
    {
      stepId: claim.stepId,
      parentKey: claim.parentKey,
      succeeded: finish.state === 'succeeded',
      skip: finish.state === 'succeeded' ? finish.skip : undefined,
      hasDependants: done.rows[0]?.has_dependants === true,
    },
    options,
  );
}

/**
 * Records a step's output; dependants whose last need this was become ready, and the run ends
 * when nothing is left. `skip` (a branch's paths not taken) skips those steps instead.
 */
export async function completeStep(
  tx: Queryable,
  claim: Claim,
  output: unknown,
  options: SettleOptions & { skip?: readonly string[]; workMs?: number },
) {
  const finish = { state: 'succeeded' as const, output, skip: options.skip, workMs: options.workMs };
  return finishClaimedStep(tx, claim, finish, options);
}

/** Skips a step whose `when` is false; dependants that needed only skipped steps are skipped too. */
export async function skipStep(tx: Queryable, claim: Claim, options: SettleOptions) {
  return finishClaimedStep(tx, claim, { state: 'skipped' }, options);
}
