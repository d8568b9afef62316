import type { Queryable } from '../db/index.ts';

/**
 * `steps` of the expression context as a scalar subquery over the run aliased `r`: each
 * finished step's output and state, by step id (a map's items are not steps of their own here).
 * `only` names a text[] parameter: just those steps, looked up by key; null: every step. Two
 * texts rather than an `is null or` filter, so each is planned for its case.
 */
export const stepOutputsSql = (only: string | null) =>
  `(select coalesce(jsonb_object_agg(o.step_id, jsonb_build_object('output', o.output, 'state', o.state)), '{}')
      from run_steps o
     where o.tenant_id = r.tenant_id and o.run_id = r.id${only ? ` and o.step_key = any(${only}::text[])` : ''}
       and o.state in ('succeeded', 'skipped') and o.parent_key is null)`;

export type StepOutputs = Record<string, { output: unknown; state: string }>;

/** `steps` of the expression context of a run. */
export async function loadStepOutputs(tx: Queryable, tenantId: string, runId: string): Promise<StepOutputs> {
  const result = await tx.query<{ steps: StepOutputs }>(
    `select ${stepOutputsSql(null)} as steps from runs r where r.tenant_id = $1 and r.id = $2`,
    [tenantId, runId],
  );
  return result.rows[0]?.steps ?? {};
}
