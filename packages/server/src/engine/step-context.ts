import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import type { NestedStepDefinition, StepDefinition } from '../workflows/index.ts';
import type { Claim, ClaimedContext } from './claim.ts';
import type { CachedStep, DefinitionCache } from './definition-cache.ts';
import { stepOutputsSql, type StepOutputs } from './step-outputs.ts';

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
 * Reads what an attempt's expressions can see (tenant transaction, one statement) and its
 * definition from the worker's cache of pinned versions. An item of a map runs the map's
 * nested step and also reads `item` and `index`.
 */
export async function loadStep(
  tx: Queryable,
  claim: Claim,
  definitions: DefinitionCache,
): Promise<LoadedStep | null> {
  const cached = await definitions.step(
    tx,
    { tenantId: claim.tenantId, workflowId: claim.workflowId, version: claim.workflowVersion },
    claim.stepId,
  );
  if (!cached) return null;
  // Only the outputs its expressions read: a long run's attempt does not load every earlier one.
  const run = await tx.query<{
    input: unknown;
    item: unknown;
    item_index: number | null;
    steps: StepOutputs;
  }>(
    `select r.input, s.item, s.item_index, ${stepOutputsSql(cached.reads ? '$4' : null)} as steps
       from runs r
       join run_steps s on s.tenant_id = r.tenant_id and s.run_id = r.id and s.step_key = $3
      where r.tenant_id = $1 and r.id = $2`,
    cached.reads
      ? [claim.tenantId, claim.runId, claim.stepKey, cached.reads]
      : [claim.tenantId, claim.runId, claim.stepKey],
  );
  const row = run.rows[0];
  if (!row) return null;
  return toLoadedStep(cached, claim, {
    input: row.input,
    item: row.item,
    itemIndex: row.item_index,
    steps: row.steps,
  });
}

/** An attempt's definition and expression context from what the database returned for it. */
export function toLoadedStep(cached: CachedStep, claim: Claim, context: ClaimedContext): LoadedStep {
  const { definition } = cached;
  const expressionContext = {
    input: context.input,
    steps: context.steps,
    run: { id: claim.runId, attempt: claim.attempt, stepKey: claim.stepKey },
    env: {},
  };
  if (claim.parentKey === null || context.itemIndex === null) return { definition, expressionContext };
  const nested = (definition.with as { step: NestedStepDefinition }).step;
  return {
    definition: { ...nested, id: definition.id, needs: [] },
    expressionContext: { ...expressionContext, item: context.item, index: context.itemIndex },
  };
}
