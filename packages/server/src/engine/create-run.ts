import { randomUUID } from 'node:crypto';
import { noteCommitEvent, type Queryable } from '../db/index.ts';
import { enqueueSteps } from './enqueue.ts';
import type { RunPlan } from './run-plan.ts';

export interface CreatedRun {
  runId: string;
  /** False when the idempotency key returned an existing run. */
  created: boolean;
}

/**
 * Inserts the run, one row per step, and queues the steps without needs, in one transaction.
 * The same idempotency key returns the run it first created. A run with a `timeout` gets its
 * deadline here; a child run (`parent`) joins its parent's tree. Its steps go to `plan.pool`, or
 * else the tenant's pool (`tenant_limits.pool`, 'shared' by default).
 */
export async function createRun(tx: Queryable, tenantId: string, plan: RunPlan): Promise<CreatedRun> {
  const runId = randomUUID();
  const inserted = await tx.query<{ id: string }>(
    `insert into runs (tenant_id, id, workflow_id, workflow_version, input, idempotency_key, trigger_kind,
                       root_run_id, parent_run_id, parent_step_key, depth, deadline_at, pool, priority,
                       trace_context, trace_parent_span_id, trace_open)
     values ($1, $2::uuid, $3, $4, $5, $6, $7, coalesce($8::uuid, $2::uuid), $9, $10, $11,
             now() + make_interval(secs => $12::double precision / 1000),
             coalesce($13, (select l.pool from tenant_limits l where l.tenant_id = $1), 'shared'), $14,
             $15, $16, $15::text is not null)
     on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
     returning id`,
    [
      tenantId,
      runId,
      plan.workflowId,
      plan.workflowVersion,
      JSON.stringify(plan.input ?? {}),
      plan.idempotencyKey ?? null,
      plan.triggerKind ?? 'api',
      plan.parent?.rootRunId ?? null,
      plan.parent?.runId ?? null,
      plan.parent?.stepKey ?? null,
      plan.parent ? plan.parent.depth + 1 : 0,
      plan.timeoutMs ?? null,
      plan.pool ?? null,
      plan.priority ?? 0,
      plan.trace?.traceparent ?? null,
      plan.trace?.parentSpanId ?? null,
    ],
  );
  if (inserted.rows.length === 0) {
    const existing = await tx.query<{ id: string }>(
      'select id from runs where tenant_id = $1 and idempotency_key = $2',
      [tenantId, plan.idempotencyKey],
    );
    const id = existing.rows[0]?.id;
    if (!id) throw new Error('idempotency conflict without an existing run');
    return { runId: id, created: false };
  }
  const dependants = new Map<string, string[]>();
  for (const step of plan.steps)
    for (const need of step.needs) dependants.set(need, [...(dependants.get(need) ?? []), step.key]);
  await tx.query(
    `insert into run_steps (tenant_id, run_id, step_key, step_id, step_type, needs, needs_remaining, max_attempts,
                            dependants)
     select $1, $2, s.key, s.id, s.type, array(select jsonb_array_elements_text(s.needs)),
            jsonb_array_length(s.needs), s.max_attempts, array(select jsonb_array_elements_text(s.dependants))
       from jsonb_to_recordset($3::jsonb)
         as s(key text, id text, type text, needs jsonb, max_attempts int, dependants jsonb)`,
    [
      tenantId,
      runId,
      JSON.stringify(
        plan.steps.map((s) => ({
          key: s.key,
          id: s.id,
          type: s.type,
          needs: s.needs,
          max_attempts: s.retry.maxAttempts,
          dependants: dependants.get(s.id) ?? [],
        })),
      ),
    ],
  );
  const roots = plan.steps.filter((s) => s.needs.length === 0).map((s) => s.key);
  await enqueueSteps(tx, tenantId, runId, roots);
  noteCommitEvent(tx, { type: 'run.started', tenantId, workflow: plan.workflowId });
  return { runId, created: true };
}
