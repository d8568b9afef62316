import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import type { NestedStepDefinition, StepDefinition } from '../workflows/index.ts';
import type { Claim } from './claim.ts';
import { loadStepOutputs } from './step-outputs.ts';

/** What an attempt needs to run: its definition and everything its expressions can read. */
export interface LoadedStep {
  definition: StepDefinition;
  /** `{ input, steps: { <id>: { output, state } }, run: { id, attempt, stepKey }, env }` */
  expressionContext: Record<string, unknown>;
}

/** sha256(run, step, attempt): the idempotency key of an attempt's side effects. */
export function attemptIdempotencyKey(claim: Pick<Claim, 'runId' | 'stepKey' | 'attempt'>): string {
  return createHash('sha256').update(`${claim.runId}\n${claim.stepKey}\n${claim.attempt}`).digest('hex');
}

/**
 * Reads the pinned definition, the run input and finished steps' outputs (tenant transaction).
 * An item of a map runs the map's nested step and also reads `item` and `index`.
 */
export async function loadStep(tx: Queryable, claim: Claim): Promise<LoadedStep | null> {
  // Only this step's definition leaves the database, not the whole (possibly large) workflow.
  const run = await tx.query<{
    input: unknown;
    definition: StepDefinition | null;
    item: unknown;
    item_index: number | null;
  }>(
    `select r.input, s.item, s.item_index,
            (select d from jsonb_array_elements(v.definition -> 'steps') d where d ->> 'id' = $3 limit 1) as definition
       from runs r
       join workflow_versions v on v.tenant_id = r.tenant_id and v.workflow_id = r.workflow_id and v.version = r.workflow_version
       join run_steps s on s.tenant_id = r.tenant_id and s.run_id = r.id and s.step_key = $4
      where r.tenant_id = $1 and r.id = $2`,
    [claim.tenantId, claim.runId, claim.stepId, claim.stepKey],
  );
  const row = run.rows[0];
  const definition = row?.definition;
  if (!row || !definition) return null;
  const steps = await loadStepOutputs(tx, claim.tenantId, claim.runId);
  const context = {
    input: row.input,
    steps,
    run: { id: claim.runId, attempt: claim.attempt, stepKey: claim.stepKey },
    env: {},
  };
  if (claim.parentKey === null || row.item_index === null) return { definition, expressionContext: context };
  const nested = (definition.with as { step: NestedStepDefinition }).step;
  return {
    definition: { ...nested, id: definition.id, needs: [] },
    expressionContext: { ...context, item: row.item, index: row.item_index },
  };
}
