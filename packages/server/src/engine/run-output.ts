import type { Queryable } from '../db/index.ts';
import { resolveTemplate, type WorkflowDefinition } from '../workflows/index.ts';
import { loadStepOutputs } from './step-outputs.ts';

/**
 * Evaluates the workflow's `output` for a run that has just succeeded, in the same transaction.
 * An output expression that fails turns the run into a failure with OUTPUT_FAILED.
 */
export async function writeRunOutput(tx: Queryable, tenantId: string, runId: string): Promise<void> {
  const run = await tx.query<{ input: unknown; definition: WorkflowDefinition }>(
    `select r.input, v.definition from runs r
       join workflow_versions v on v.tenant_id = r.tenant_id and v.workflow_id = r.workflow_id and v.version = r.workflow_version
      where r.tenant_id = $1 and r.id = $2`,
    [tenantId, runId],
  );
  const row = run.rows[0];
  if (!row || row.definition.output === undefined) return;
  const steps = await loadStepOutputs(tx, tenantId, runId);
  try {
    const output = await resolveTemplate(row.definition.output, {
      input: row.input,
      steps,
      run: { id: runId },
      env: {},
    });
    await tx.query('update runs set output = $3 where tenant_id = $1 and id = $2', [
      tenantId,
      runId,
      JSON.stringify(output ?? null),
    ]);
  } catch (error) {
    await tx.query(
      `update runs set state = 'failed', error_code = 'OUTPUT_FAILED', error_message = $3 where tenant_id = $1 and id = $2`,
      [tenantId, runId, `The workflow output expression failed: ${(error as Error).message}`.slice(0, 2000)],
    );
  }
}
