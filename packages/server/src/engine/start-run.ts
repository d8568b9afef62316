import type { Queryable } from '../db/index.ts';
import type { RunTrace } from '../observability/index.ts';
import { admitRunStart, assertRunShape, readEffectiveLimits } from '../scheduling/index.ts';
import {
  canonicalJson,
  compileInputSchema,
  getWorkflow,
  getWorkflowVersion,
  type WorkflowSummary,
} from '../workflows/index.ts';
import { createRun } from './create-run.ts';
import { EngineError } from './errors.ts';
import { planSteps, runTimeoutMs } from './plan-run.ts';
import type { RunPlan, TriggerKind } from './run-plan.ts';

async function mustFindWorkflow(tx: Queryable, name: string): Promise<WorkflowSummary> {
  const workflow = await getWorkflow(tx, name);
  if (!workflow) throw new EngineError('WORKFLOW_NOT_FOUND', `No workflow named ${name}`);
  return workflow;
}

export interface StartRunInput {
  workflowName: string;
  input: unknown;
  idempotencyKey: string | null;
  triggerKind?: TriggerKind;
  /** 0 (default) to 9: the run's place among the tenant's queued work (ADR 0005). */
  priority?: number;
  /** Where the run's span goes in the starting request's trace (ADR 0011). */
  trace?: RunTrace | null;
}

/**
 * The plan of a run of a workflow's latest version (or `version`), its input checked against
 * the input schema. Throws WORKFLOW_NOT_FOUND, WORKFLOW_ARCHIVED or RUN_INPUT_INVALID.
 */
export async function planRun(
  tx: Queryable,
  request: { workflowName: string; version?: number; input: unknown },
  found?: WorkflowSummary,
): Promise<RunPlan> {
  const workflow = found ?? (await mustFindWorkflow(tx, request.workflowName));
  if (workflow.archivedAt) throw new EngineError('WORKFLOW_ARCHIVED');
  const number = request.version ?? workflow.latestVersion;
  const version = await getWorkflowVersion(tx, workflow.id, number);
  if (!version)
    throw new EngineError('WORKFLOW_NOT_FOUND', `Workflow ${request.workflowName} has no version ${number}`);
  if (version.definition.input) {
    const schema = compileInputSchema(version.definition.input);
    const checked = schema.ok ? schema.validate(request.input ?? {}) : { ok: true as const };
    if (!checked.ok) {
      throw new EngineError('RUN_INPUT_INVALID', undefined, {
        issues: checked.errors.map((e) => ({ path: `/${e.path.join('/')}`, message: e.message })),
      });
    }
  }
  return {
    workflowId: workflow.id,
    workflowVersion: version.version,
    input: request.input ?? {},
    steps: planSteps(version.definition),
    timeoutMs: runTimeoutMs(version.definition),
  };
}

/**
 * Starts a run of the workflow's latest version, its input checked against the input schema.
 * A repeated Idempotency-Key returns the first run, and is refused if it named something else.
 * New runs pass the tenant's quotas (ADR 0005): size and steps before anything is written
 * (PAYLOAD_TOO_LARGE, RUN_TOO_LARGE), then starts per minute and unfinished runs under the
 * tenant's counter lock (RUN_RATE_LIMITED, QUEUE_FULL). A replay is neither counted nor refused.
 * Child runs do not come through here: they belong to a run already admitted.
 */
export async function startRun(
  tx: Queryable,
  tenantId: string,
  request: StartRunInput,
): Promise<{ runId: string; created: boolean }> {
  // The workflow first: a name the tenant does not have is 404 whatever the key.
  const workflow = await mustFindWorkflow(tx, request.workflowName);
  if (request.idempotencyKey) {
    const previous = await tx.query<{ id: string; workflow_id: string; input: unknown }>(
      'select id, workflow_id, input from runs where idempotency_key = $1',
      [request.idempotencyKey],
    );
    const run = previous.rows[0];
    if (run) {
      if (run.workflow_id !== workflow.id || canonicalJson(run.input) !== canonicalJson(request.input ?? {}))
        throw new EngineError('IDEMPOTENCY_KEY_REUSED');
      return { runId: run.id, created: false };
    }
  }
  const plan = await planRun(tx, request, workflow);
  const limits = await readEffectiveLimits(tx, tenantId);
  assertRunShape(limits, { input: plan.input, steps: plan.steps.length });
  return admitRunStart(tx, tenantId, limits, () =>
    createRun(tx, tenantId, {
      ...plan,
      idempotencyKey: request.idempotencyKey,
      triggerKind: request.triggerKind ?? 'api',
      priority: request.priority ?? 0,
      trace: request.trace ?? null,
    }),
  );
}
