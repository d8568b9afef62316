import type { Queryable } from '../db/index.ts';
import type { RunTrace } from '../observability/index.ts';
import { StepError } from '../steps/index.ts';
import type { Claim } from './claim.ts';
import { createRun } from './create-run.ts';
import { EngineError } from './errors.ts';
import { planRun } from './start-run.ts';

/** A workflow that calls itself (or a loop of workflows) stops here instead of forever. */
export const MAX_RUN_DEPTH = 8;

/**
 * Starts the child run of a `workflow` step, in the transaction that parks the step, so a
 * waiting step always has its child (I2). When the child run ends, finish-run.ts resolves or
 * fails the step. What cannot start (unknown workflow, invalid input) fails the step for good.
 * `trace`: the child run span's place under the parking attempt's span (ADR 0011).
 */
export async function startChildRun(
  tx: Queryable,
  claim: Claim,
  input: unknown,
  trace: RunTrace | null = null,
): Promise<string> {
  const request = input as { name: string; version?: number; input?: unknown };
  const parent = await tx.query<{ root_run_id: string; depth: number; pool: string }>(
    'select root_run_id, depth, pool from runs where tenant_id = $1 and id = $2',
    [claim.tenantId, claim.runId],
  );
  const run = parent.rows[0];
  if (!run) throw new EngineError('RUN_NOT_FOUND');
  if (run.depth + 1 > MAX_RUN_DEPTH)
    throw new StepError(
      'CHILD_DEPTH_EXCEEDED',
      `Child runs nest at most ${MAX_RUN_DEPTH} deep; does the workflow call itself?`,
      false,
    );
  try {
    const plan = await planRun(tx, {
      workflowName: request.name,
      version: request.version,
      input: request.input ?? {},
    });
    const created = await createRun(tx, claim.tenantId, {
      ...plan,
      triggerKind: 'workflow',
      pool: run.pool,
      parent: { runId: claim.runId, stepKey: claim.stepKey, rootRunId: run.root_run_id, depth: run.depth },
      trace,
    });
    return created.runId;
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    const issues = (error.details?.issues as { path: string; message: string }[] | undefined) ?? [];
    const detail = issues.map((i) => `${i.path} ${i.message}`).join('; ');
    throw new StepError(
      `CHILD_${error.code}`,
      `The child run of ${request.name} could not start: ${error.message}${detail ? ` (${detail})` : ''}`,
      false,
      { cause: error },
    );
  }
}
