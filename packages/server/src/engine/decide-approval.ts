import type { Queryable } from '../db/index.ts';
import { EngineError } from './errors.ts';
import { resolveWait } from './finish-run.ts';
import { lockRun } from './run-lock.ts';

export const DECISIONS = ['approve', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Records a person's decision on a waiting approval step. Both decisions succeed the step with
 * `{ decision, comment, decidedBy, decidedAt }`, so the workflow branches on it with `when`.
 * Only the first decision counts: the step must still be waiting.
 */
export async function decideApproval(
  tx: Queryable,
  tenantId: string,
  target: { runId: string; stepKey: string },
  decision: { decision: Decision; comment: string | null; decidedBy: string },
  options: { pool: string },
): Promise<{ runSucceeded: boolean; output: Record<string, unknown> }> {
  if (!(await lockRun(tx, tenantId, target.runId))) throw new EngineError('RUN_NOT_FOUND');
  const waiting = await tx.query<{ step_id: string; attempt: number }>(
    `select step_id, attempt from run_steps
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'waiting' and wait_reason = 'approval'`,
    [tenantId, target.runId, target.stepKey],
  );
  const row = waiting.rows[0];
  if (!row) throw new EngineError('STEP_NOT_AWAITING_DECISION');
  const output = { ...decision, decidedAt: new Date().toISOString() };
  const step = { tenantId, runId: target.runId, stepKey: target.stepKey };
  const { runSucceeded } = await resolveWait(tx, step, row, output, options);
  return { runSucceeded, output };
}
