import type { Queryable } from '../db/index.ts';
import type { Claim } from './claim.ts';
import { enqueueSteps } from './enqueue.ts';
import { EngineError } from './errors.ts';
import { succeedRunIfDone } from './finish-run.ts';
import { lockRun, markRunRunning } from './run-lock.ts';

/**
 * Records a step's output, fenced by the claim's attempt: only the attempt that currently holds
 * the step can write (invariant I1). Dependants whose last need this was become ready.
 * Runs in the claimed tenant's transaction.
 */
export async function completeStep(
  tx: Queryable,
  claim: Claim,
  output: unknown,
  options: { pool: string },
): Promise<{ runSucceeded: boolean; readied: string[] }> {
  await lockRun(tx, claim.tenantId, claim.runId);
  const done = await tx.query(
    `update run_steps set state = 'succeeded', output = $5, finished_at = now(), error_code = null, error_message = null
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running' and attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt, JSON.stringify(output ?? null)],
  );
  if (done.rowCount === 0)
    throw new EngineError('LEASE_LOST', undefined, { stepKey: claim.stepKey, attempt: claim.attempt });
  await markRunRunning(tx, claim.tenantId, claim.runId);
  await tx.query(
    `update step_attempts set outcome = 'succeeded', ended_at = now()
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [claim.tenantId, claim.runId, claim.stepKey, claim.attempt],
  );
  await tx.query('delete from step_queue where tenant_id = $1 and run_id = $2 and step_key = $3', [
    claim.tenantId,
    claim.runId,
    claim.stepKey,
  ]);
  // Row locks serialise concurrent completions, so exactly one of them sees a dependant reach 0.
  const released = await tx.query<{ step_key: string; needs_remaining: number }>(
    `update run_steps set needs_remaining = needs_remaining - 1
      where tenant_id = $1 and run_id = $2 and $3 = any(needs) and state = 'pending'
      returning step_key, needs_remaining`,
    [claim.tenantId, claim.runId, claim.stepId],
  );
  const readied = released.rows.filter((r) => r.needs_remaining === 0).map((r) => r.step_key);
  await enqueueSteps(tx, claim.tenantId, claim.runId, readied, { pool: options.pool });
  const runSucceeded = readied.length === 0 && (await succeedRunIfDone(tx, claim.tenantId, claim.runId));
  return { runSucceeded, readied };
}
