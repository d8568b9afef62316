import { noteCommitEvent, type Queryable } from '../db/index.ts';
import { MAP_DEFAULT_CONCURRENCY } from '../workflows/index.ts';
import { enqueueSteps } from './enqueue.ts';
import { lockRun, syncRunWaiting } from './run-lock.ts';
import { writeRunOutput } from './run-output.ts';
import { settleDependants, type ChainedRow, type SettleOptions } from './settle-dependants.ts';

/*
 * How the end of one thing ends others: a step finishing releases its dependants (or the next
 * item of its map), the last step ends the run, and a run ending resolves or fails the
 * `workflow` step that started it and cancels its own children. These call each other, so they
 * live in one file. Every caller holds the run lock (for a child run, its tree's root lock).
 */

const OPEN_STEP_STATES = `('pending', 'ready', 'running', 'waiting')`;
const OPEN_RUN_STATES = `('queued', 'running', 'waiting')`;

export type RunEnd = { state: 'failed' | 'cancelled' | 'timed_out'; code: string; message: string };

/** What a running attempt is closed with when its run ends under it. */
const ATTEMPT_END_CODES: Record<RunEnd['state'], string> = {
  failed: 'RUN_FAILED',
  cancelled: 'RUN_CANCELLED',
  timed_out: 'RUN_TIMED_OUT',
};

/** A step that has just finished, as `settleStep` needs it. */
export interface FinishedStep {
  stepId: string;
  /** The map step whose item this is, or null for a step of the workflow. */
  parentKey: string | null;
  succeeded: boolean;
  /** A branch's paths not taken: these step ids are skipped, with everything only they lead to. */
  skip?: readonly string[];
  /** False when the step is known to have no dependants: there is nothing to release. */
  hasDependants?: boolean;
}

/** Ends a run as failed (see `endRun`). */
export async function failRun(
  tx: Queryable,
  tenantId: string,
  runId: string,
  error: { code: string; message: string },
): Promise<boolean> {
  return endRun(tx, tenantId, runId, { state: 'failed', ...error });
}

/**
 * Ends a run as failed, cancelled or timed out: open steps and running attempts are cancelled (a
 * running attempt's next write is then refused), queued work is dropped, child runs are
 * cancelled and the parent's `workflow` step hears of it. False if the run had already ended (I5).
 */
export async function endRun(tx: Queryable, tenantId: string, runId: string, end: RunEnd): Promise<boolean> {
  const updated = await tx.query<{ workflow_id: string; has_parent: boolean }>(
    `update runs set state = $5, error_code = $3, error_message = $4, finished_at = now(),
            cancel_requested_at = case when $5 = 'cancelled' then now() else cancel_requested_at end
      where tenant_id = $1 and id = $2 and state in ${OPEN_RUN_STATES}
      returning workflow_id, parent_run_id is not null as has_parent`,
    [tenantId, runId, end.code, end.message.slice(0, 2000), end.state],
  );
  const ended = updated.rows[0];
  if (updated.rowCount === 0 || !ended) return false;
  noteCommitEvent(tx, { type: 'run.finished', tenantId, workflow: ended.workflow_id, state: end.state });
  // Queue rows before steps: a concurrent claim holds a queue row and then wants its step.
  await tx.query('delete from step_queue where tenant_id = $1 and run_id = $2', [tenantId, runId]);
  await tx.query(
    `update run_steps set state = 'cancelled', finished_at = now()
      where tenant_id = $1 and run_id = $2 and state in ${OPEN_STEP_STATES}`,
    [tenantId, runId],
  );
  await tx.query(
    `update step_attempts set outcome = 'cancelled', ended_at = now(), error_code = $3
      where tenant_id = $1 and run_id = $2 and outcome = 'running'`,
    [tenantId, runId, ATTEMPT_END_CODES[end.state]],
  );
  const children = await tx.query<{ id: string }>(
    `select id from runs where tenant_id = $1 and parent_run_id = $2 and state in ${OPEN_RUN_STATES}`,
    [tenantId, runId],
  );
  for (const child of children.rows) {
    await lockRun(tx, tenantId, child.id);
    await endRun(tx, tenantId, child.id, {
      state: 'cancelled',
      code: 'PARENT_RUN_ENDED',
      message: `The parent run ended (${end.state})`,
    });
  }
  if (ended.has_parent) await notifyParent(tx, tenantId, runId);
  return true;
}

/**
 * Marks the run succeeded when no step is open any more; null if it did not. Says whether the
 * workflow has an `output` to evaluate and whether the run has a parent to tell, so a root run
 * without an output ends with this one statement.
 */
async function succeedRunIfDone(
  tx: Queryable,
  tenantId: string,
  runId: string,
): Promise<{ hasOutput: boolean; hasParent: boolean } | null> {
  const updated = await tx.query<{ workflow_id: string; has_output: boolean; has_parent: boolean }>(
    `update runs r set state = 'succeeded', finished_at = now()
      where r.tenant_id = $1 and r.id = $2 and r.state in ${OPEN_RUN_STATES}
        and not exists (select 1 from run_steps s
                         where s.tenant_id = $1 and s.run_id = $2 and s.state in ${OPEN_STEP_STATES})
      returning r.workflow_id, r.parent_run_id is not null as has_parent,
                coalesce((select v.definition ? 'output' from workflow_versions v
                           where v.tenant_id = r.tenant_id and v.workflow_id = r.workflow_id
                             and v.version = r.workflow_version), true) as has_output`,
    [tenantId, runId],
  );
  const ended = updated.rows[0];
  if (updated.rowCount !== 1 || !ended) return null;
  noteCommitEvent(tx, { type: 'run.finished', tenantId, workflow: ended.workflow_id, state: 'succeeded' });
  return { hasOutput: ended.has_output, hasParent: ended.has_parent };
}

/**
 * Ends the run as succeeded when nothing is open, evaluates its `output` (which may still fail
 * it with OUTPUT_FAILED) and tells its parent. Returns whether the run succeeded just now.
 */
export async function finishRunIfDone(tx: Queryable, tenantId: string, runId: string): Promise<boolean> {
  const ended = await succeedRunIfDone(tx, tenantId, runId);
  if (!ended) return false;
  if (ended.hasOutput) await writeRunOutput(tx, tenantId, runId);
  if (ended.hasParent) await notifyParent(tx, tenantId, runId);
  return true;
}

/**
 * After a step finished: releases its dependants, or, for an item of a map, the next item;
 * ends the run when that was the last open step.
 */
export async function settleStep(
  tx: Queryable,
  tenantId: string,
  runId: string,
  step: FinishedStep,
  options: SettleOptions,
): Promise<{ runSucceeded: boolean; readied: string[]; chained: ChainedRow | null }> {
  // An item's map is still waiting until its last item, so the run cannot end before that.
  if (step.parentKey !== null) {
    const { runSucceeded } = await settleMapItems(tx, tenantId, runId, step.parentKey, options);
    return { runSucceeded, readied: [], chained: null };
  }
  const finished = [{ stepId: step.stepId, succeeded: step.succeeded }];
  if (step.skip && step.skip.length > 0) {
    const skipped = await tx.query<{ step_id: string }>(
      `update run_steps set state = 'skipped', finished_at = now()
        where tenant_id = $1 and run_id = $2 and step_id = any($3::text[]) and state = 'pending'
          and parent_key is null
        returning step_id`,
      [tenantId, runId, step.skip],
    );
    finished.push(...skipped.rows.map((r) => ({ stepId: r.step_id, succeeded: false })));
  }
  const { readied, chained } =
    step.hasDependants === false && finished.length === 1
      ? { readied: [], chained: null }
      : await settleDependants(tx, tenantId, runId, finished, options);
  const runSucceeded = readied.length === 0 && !chained && (await finishRunIfDone(tx, tenantId, runId));
  return { runSucceeded, readied, chained };
}

/**
 * Succeeds a waiting step (a sleep, approval, task, child run or map) with `output` and settles
 * it. The caller holds the run lock and has checked the step is waiting.
 */
export async function resolveWait(
  tx: Queryable,
  step: { tenantId: string; runId: string; stepKey: string },
  row: { attempt: number; step_id?: string },
  output: unknown,
  options: { pool: string },
): Promise<{ runSucceeded: boolean }> {
  const resolved = await tx.query<{ step_id: string; parent_key: string | null }>(
    `update run_steps set state = 'succeeded', finished_at = now(), output = $4, wait_reason = null, wake_at = null
      where tenant_id = $1 and run_id = $2 and step_key = $3
      returning step_id, parent_key`,
    [step.tenantId, step.runId, step.stepKey, JSON.stringify(output ?? null)],
  );
  const finished = resolved.rows[0];
  if (!finished) return { runSucceeded: false };
  await tx.query(
    `update step_attempts set outcome = 'succeeded' where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [step.tenantId, step.runId, step.stepKey, row.attempt],
  );
  const { runSucceeded } = await settleStep(
    tx,
    step.tenantId,
    step.runId,
    { stepId: finished.step_id, parentKey: finished.parent_key, succeeded: true },
    options,
  );
  if (!runSucceeded) await syncRunWaiting(tx, step.tenantId, step.runId);
  return { runSucceeded };
}

/**
 * Keeps a map step's items moving: queues pending items while fewer than its `concurrency`
 * run, and when none is open succeeds the map with the items' outputs in item order.
 */
export async function settleMapItems(
  tx: Queryable,
  tenantId: string,
  runId: string,
  mapKey: string,
  options: { pool: string },
): Promise<{ runSucceeded: boolean }> {
  const counts = await tx.query<{
    open: number;
    pending: number;
    concurrency: number;
    items: number;
    attempt: number;
  }>(
    `select count(*) filter (where c.state in ('ready', 'running', 'waiting'))::int as open,
            count(*) filter (where c.state = 'pending')::int as pending,
            coalesce((m.input ->> 'concurrency')::int, $4) as concurrency,
            jsonb_array_length(m.input -> 'items') as items, m.attempt
       from run_steps m
       left join run_steps c on c.tenant_id = m.tenant_id and c.run_id = m.run_id and c.parent_key = m.step_key
            and c.item_index < jsonb_array_length(m.input -> 'items')
      where m.tenant_id = $1 and m.run_id = $2 and m.step_key = $3 and m.state = 'waiting' and m.wait_reason = 'map'
      group by m.input, m.attempt`,
    [tenantId, runId, mapKey, MAP_DEFAULT_CONCURRENCY],
  );
  const map = counts.rows[0];
  if (!map) return { runSucceeded: false };
  if (map.open + map.pending === 0) {
    const outputs = await tx.query<{ outputs: unknown[] }>(
      `select coalesce(jsonb_agg(output order by item_index), '[]'::jsonb) as outputs from run_steps
        where tenant_id = $1 and run_id = $2 and parent_key = $3 and item_index < $4`,
      [tenantId, runId, mapKey, map.items],
    );
    return resolveWait(
      tx,
      { tenantId, runId, stepKey: mapKey },
      map,
      outputs.rows[0]?.outputs ?? [],
      options,
    );
  }
  const free = map.concurrency - map.open;
  if (free <= 0 || map.pending === 0) return { runSucceeded: false };
  const next = await tx.query<{ step_key: string }>(
    `select step_key from run_steps
      where tenant_id = $1 and run_id = $2 and parent_key = $3 and state = 'pending'
      order by item_index limit $4`,
    [tenantId, runId, mapKey, free],
  );
  await enqueueSteps(
    tx,
    tenantId,
    runId,
    next.rows.map((r) => r.step_key),
  );
  return { runSucceeded: false };
}

/**
 * A run that has just ended tells the `workflow` step that started it: success resolves the
 * step with the run's output, anything else fails the step and its run with CHILD_RUN_FAILED.
 */
async function notifyParent(tx: Queryable, tenantId: string, runId: string): Promise<void> {
  const child = await tx.query<{
    parent_run_id: string | null;
    parent_step_key: string | null;
    state: string;
    output: unknown;
    error_code: string | null;
    error_message: string | null;
  }>(
    `select parent_run_id, parent_step_key, state, output, error_code, error_message from runs
      where tenant_id = $1 and id = $2`,
    [tenantId, runId],
  );
  const run = child.rows[0];
  if (!run?.parent_run_id || !run.parent_step_key) return;
  await lockRun(tx, tenantId, run.parent_run_id);
  const waiting = await tx.query<{ attempt: number; pool: string }>(
    `select s.attempt, r.pool from run_steps s join runs r on r.tenant_id = s.tenant_id and r.id = s.run_id
      where s.tenant_id = $1 and s.run_id = $2 and s.step_key = $3 and s.state = 'waiting' and s.wait_reason = 'workflow'`,
    [tenantId, run.parent_run_id, run.parent_step_key],
  );
  const step = waiting.rows[0];
  if (!step) return;
  const target = { tenantId, runId: run.parent_run_id, stepKey: run.parent_step_key };
  if (run.state === 'succeeded') {
    await resolveWait(tx, target, step, run.output, { pool: step.pool });
    return;
  }
  const message = `Child run ${runId} ${run.state}: ${run.error_code ?? ''} ${run.error_message ?? ''}`
    .trim()
    .slice(0, 2000);
  await tx.query(
    `update run_steps set state = 'failed', finished_at = now(), error_code = 'CHILD_RUN_FAILED', error_message = $4,
            wait_reason = null, wake_at = null
      where tenant_id = $1 and run_id = $2 and step_key = $3`,
    [tenantId, target.runId, target.stepKey, message],
  );
  await tx.query(
    `update step_attempts set outcome = 'failed', error_code = 'CHILD_RUN_FAILED', error_message = $5
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [tenantId, target.runId, target.stepKey, step.attempt, message],
  );
  await failRun(tx, tenantId, target.runId, {
    code: 'CHILD_RUN_FAILED',
    message: `Step ${target.stepKey} failed: ${message}`,
  });
}
