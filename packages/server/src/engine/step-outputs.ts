import type { Queryable } from '../db/index.ts';

/** `steps` of the expression context: each finished step's output and state, by step id. */
export async function loadStepOutputs(
  tx: Queryable,
  tenantId: string,
  runId: string,
): Promise<Record<string, { output: unknown; state: string }>> {
  const finished = await tx.query<{ step_id: string; state: string; output: unknown }>(
    `select step_id, state, output from run_steps
      where tenant_id = $1 and run_id = $2 and state in ('succeeded', 'skipped') and parent_key is null`,
    [tenantId, runId],
  );
  return Object.fromEntries(finished.rows.map((s) => [s.step_id, { output: s.output, state: s.state }]));
}
