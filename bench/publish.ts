import type { Database } from '../packages/server/src/db/index.ts';
import { planSteps, type StepPlan } from '../packages/server/src/engine/index.ts';
import {
  publishWorkflow,
  validateWorkflowDefinition,
  type StepTypeRegistry,
} from '../packages/server/src/workflows/index.ts';

export interface PublishedForBench {
  workflowId: string;
  version: number;
  steps: StepPlan[];
}

/** Validates and publishes a benchmark's workflow the way the API does, with its run plan. */
export async function publishForBench(
  db: Database,
  tenantId: string,
  definition: unknown,
  stepTypes: StepTypeRegistry,
): Promise<PublishedForBench> {
  const result = validateWorkflowDefinition(definition, { stepTypes });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const published = await db.tenantTx(tenantId, (tx) =>
    publishWorkflow(tx, tenantId, {
      definition: result.definition,
      contentHash: result.contentHash,
      source: '',
      sourceFormat: 'json',
      createdBy: 'bench',
    }),
  );
  return {
    workflowId: published.workflow.id,
    version: published.version.version,
    steps: planSteps(result.definition),
  };
}
