import { commitEventMark, dropCommitEventsSince, type Queryable } from '../../db/index.ts';
import type { RunTrace } from '../../observability/index.ts';
import type { TriggerKind } from '../run-plan.ts';
import { startRun } from '../start-run.ts';

export interface TriggeredRunInput {
  workflowName: string;
  input: unknown;
  /** Names the occurrence (delivery, fire, event), so a repeat returns the first run. */
  idempotencyKey: string;
  triggerKind: Exclude<TriggerKind, 'api' | 'workflow'>;
  /** What started it: `webhook:<id>`, `schedule:<id>`, `event:<id>`; kept in runs.trigger_ref. */
  triggerRef: string;
  /** The run span's place in the trace of the request that triggered it (ADR 0011). */
  trace?: RunTrace | null;
}

/** Starts a run through startRun and records what triggered it, in the caller's transaction. */
export async function startTriggeredRun(
  tx: Queryable,
  tenantId: string,
  request: TriggeredRunInput,
): Promise<{ runId: string; created: boolean }> {
  const started = await startRun(tx, tenantId, {
    workflowName: request.workflowName,
    input: request.input,
    idempotencyKey: request.idempotencyKey,
    triggerKind: request.triggerKind,
    trace: request.trace ?? null,
  });
  if (started.created) {
    await tx.query('update runs set trigger_ref = $2 where id = $1', [started.runId, request.triggerRef]);
  }
  return started;
}

/**
 * Runs `fn` inside a savepoint: when it throws, what it wrote is rolled back and the
 * transaction stays usable, so one failed fire or subscriber does not undo the others.
 */
export async function withSavepoint<T>(
  tx: Queryable,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await tx.query('savepoint shoal_trigger');
  const mark = commitEventMark(tx);
  try {
    const value = await fn();
    await tx.query('release savepoint shoal_trigger');
    return { ok: true, value };
  } catch (error) {
    await tx.query('rollback to savepoint shoal_trigger');
    await tx.query('release savepoint shoal_trigger');
    dropCommitEventsSince(tx, mark);
    return { ok: false, error };
  }
}

/** A failure's stable code and message, for what a trigger records about a run it could not start. */
export function describeFailure(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) ? e.code : 'INTERNAL';
  const message = code === 'INTERNAL' ? 'Internal error' : String(e.message ?? code);
  return { code, message: message.slice(0, 1000) };
}
