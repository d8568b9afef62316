import type { Queryable } from '../../db/index.ts';
import { parseDuration, type StepDefinition } from '../../workflows/index.ts';
import { retryPolicyOf } from '../plan-run.ts';
import type { RetryPolicy } from '../retry-schedule.ts';

/** A step's retry policy and `timeout` from its run's pinned definition (only they leave the database). */
export async function loadStepPolicy(
  tx: Queryable,
  step: { tenantId: string; runId: string; stepId: string },
): Promise<{ retry: RetryPolicy; timeoutMs: number | null }> {
  const found = await tx.query<{ retry: StepDefinition['retry'] | null; timeout: string | null }>(
    `select d -> 'retry' as retry, d ->> 'timeout' as timeout
       from runs r
       join workflow_versions v on v.tenant_id = r.tenant_id and v.workflow_id = r.workflow_id and v.version = r.workflow_version
       cross join lateral (select s as d from jsonb_array_elements(v.definition -> 'steps') s
                            where s ->> 'id' = $3 limit 1) step
      where r.tenant_id = $1 and r.id = $2`,
    [step.tenantId, step.runId, step.stepId],
  );
  const row = found.rows[0];
  return {
    retry: retryPolicyOf({ retry: row?.retry ?? undefined }),
    timeoutMs: row?.timeout ? parseDuration(row.timeout) : null,
  };
}
