import type { Queryable } from '../db/index.ts';

/**
 * `steps` of the expression context as a scalar subquery over the run aliased `r`: each
 * finished step's output and state, by step id (a map's items are not steps of their own here).
 * `only` is a text[] parameter: just these steps (found by key), or every one when it is null.
 */
export const stepOutputsSql = (only: string) =>
  `(select coalesce(jsonb_object_agg(o.step_id, jsonb_build_object('output', o.output, 'state', o.state)), '{}')
      from run_steps o
     where o.tenant_id = r.tenant_id and o.run_id = r.id
       and (${only}::text[] is null or o.step_key = any(${only}::text[]))
       and o.state in ('succeeded', 'skipped') and o.parent_key is null)`;

export type StepOutputs = Record<string, { output: unknown; state: string }>;

/** `steps` of the expression context of a run. */
export async function loadStepOutputs(tx: Queryable, tenantId: string, runId: string): Promise<StepOutputs> {
  const result = await tx.query<{ steps: StepOutputs }>(
    `select ${stepOutputsSql('$3')} as steps from runs r where r.tenant_id = $1 and r.id = $2`,
    [tenantId, runId, null],
  );
  return result.rows[0]?.steps ?? {};
}
