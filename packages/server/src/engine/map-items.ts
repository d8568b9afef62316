import type { Queryable } from '../db/index.ts';
import { StepError } from '../steps/index.ts';
import type { NestedStepDefinition } from '../workflows/index.ts';
import type { Claim } from './claim.ts';
import { retryPolicyOf } from './plan-run.ts';

/**
 * Creates one step per item of a map, keyed `<map>[<index>]`, all pending; finish-run.ts
 * `settleMapItems` queues them `concurrency` at a time. On a retry of the run, items that
 * already succeeded with the same item keep their output; the others start again (attempt
 * numbers keep counting, so an old attempt cannot write).
 */
export async function fanOutMap(tx: Queryable, claim: Claim, input: unknown): Promise<void> {
  const map = input as { items: unknown[]; step: NestedStepDefinition };
  await assertRunSize(tx, claim, map.items.length);
  await tx.query(
    `insert into run_steps (tenant_id, run_id, step_key, step_id, step_type, needs, needs_remaining,
                            max_attempts, parent_key, item, item_index)
     select $1, $2, $3 || '[' || (t.i - 1) || ']', $4, $5, '{}', 0, $6, $3, t.item, t.i - 1
       from jsonb_array_elements($7::jsonb) with ordinality as t(item, i)
     on conflict (tenant_id, run_id, step_key) do update
        set state = 'pending', item = excluded.item, output = null, error_code = null, error_message = null,
            wait_reason = null, wake_at = null, finished_at = null
      where run_steps.state <> 'succeeded' or run_steps.item is distinct from excluded.item`,
    [
      claim.tenantId,
      claim.runId,
      claim.stepKey,
      claim.stepId,
      map.step.type,
      retryPolicyOf(map.step).maxAttempts,
      JSON.stringify(map.items),
    ],
  );
}

/**
 * A map's items are steps of the run: with them, the run must stay within the tenant's
 * `max_steps_per_run` (ADR 0005), or the map fails for good with RUN_TOO_LARGE and creates none.
 */
async function assertRunSize(tx: Queryable, claim: Claim, items: number): Promise<void> {
  const sized = await tx.query<{ steps: number; max: number }>(
    `select (select count(*)::int from run_steps
              where tenant_id = $1 and run_id = $2 and parent_key is distinct from $3) as steps,
            (select max_steps_per_run from tenant_effective_limits where tenant_id = $1) as max`,
    [claim.tenantId, claim.runId, claim.stepKey],
  );
  const row = sized.rows[0];
  if (row && row.steps + items > row.max)
    throw new StepError(
      'RUN_TOO_LARGE',
      `${items} items would make the run ${row.steps + items} steps; the plan allows ${row.max} per run`,
      false,
    );
}
