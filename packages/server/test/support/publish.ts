import type { Database } from '../../src/db/index.ts';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  publishWorkflow,
  validateWorkflowDefinition,
  type WorkflowDefinition,
} from '../../src/workflows/index.ts';

const registry = createStepTypeRegistry(BUILTIN_STEP_TYPES);

/** Validates and publishes a definition the way the API does; throws with the problems if invalid. */
export async function publishDefinition(
  db: Database,
  tenantId: string,
  raw: unknown,
): Promise<{ workflowId: string; version: number; definition: WorkflowDefinition }> {
  const result = validateWorkflowDefinition(raw, { stepTypes: registry });
  if (!result.ok) throw new Error(`invalid test workflow: ${JSON.stringify(result.problems)}`);
  const published = await db.tenantTx(tenantId, (tx) =>
    publishWorkflow(tx, tenantId, {
      definition: result.definition,
      contentHash: result.contentHash,
      source: JSON.stringify(raw),
      sourceFormat: 'json',
      createdBy: 'test',
    }),
  );
  return {
    workflowId: published.workflow.id,
    version: published.version.version,
    definition: result.definition,
  };
}
