import type { Queryable } from '../db/index.ts';
import { canonicalJson, compileInputSchema, getWorkflow, getWorkflowVersion } from '../workflows/index.ts';
import { createRun } from './create-run.ts';
import { EngineError } from './errors.ts';
import { planSteps } from './plan-run.ts';

export interface StartRunInput {
  workflowName: string;
  input: unknown;
  idempotencyKey: string | null;
  triggerKind?: 'api' | 'webhook' | 'schedule' | 'event' | 'workflow';
}

/**
 * Starts a run of the workflow's latest version, its input checked against the input schema.
 * A repeated Idempotency-Key returns the first run, and is refused if it named something else.
 */
export async function startRun(
  tx: Queryable,
  tenantId: string,
  request: StartRunInput,
): Promise<{ runId: string; created: boolean }> {
  const workflow = await getWorkflow(tx, request.workflowName);
  if (!workflow) throw new EngineError('WORKFLOW_NOT_FOUND', `No workflow named ${request.workflowName}`);
  if (request.idempotencyKey) {
    const previous = await tx.query<{ id: string; workflow_id: string; input: unknown }>(
      'select id, workflow_id, input from runs where idempotency_key = $1',
      [request.idempotencyKey],
    );
    const run = previous.rows[0];
    if (run) {
      if (
        run.workflow_id !== workflow.id ||
        canonicalJson(run.input) !== canonicalJson(request.input ?? {})
      ) {
        throw new EngineError('IDEMPOTENCY_KEY_REUSED');
      }
      return { runId: run.id, created: false };
    }
  }
  if (workflow.archivedAt) throw new EngineError('WORKFLOW_ARCHIVED');
  const version = await getWorkflowVersion(tx, workflow.id, workflow.latestVersion);
  if (!version)
    throw new EngineError('WORKFLOW_NOT_FOUND', `Workflow ${request.workflowName} has no version`);
  if (version.definition.input) {
    const schema = compileInputSchema(version.definition.input);
    const checked = schema.ok ? schema.validate(request.input ?? {}) : { ok: true as const };
    if (!checked.ok) {
      throw new EngineError('RUN_INPUT_INVALID', undefined, {
        issues: checked.errors.map((e) => ({ path: `/${e.path.join('/')}`, message: e.message })),
      });
    }
  }
  return createRun(tx, tenantId, {
    workflowId: workflow.id,
    workflowVersion: version.version,
    input: request.input ?? {},
    steps: planSteps(version.definition),
    idempotencyKey: request.idempotencyKey,
    triggerKind: request.triggerKind ?? 'api',
  });
}
