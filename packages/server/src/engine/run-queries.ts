import type { Queryable } from '../db/index.ts';
import { EngineError } from './errors.ts';
import { endRun } from './finish-run.ts';
import { lockRun } from './run-lock.ts';

export const RUN_STATES = [
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
] as const;
export type RunState = (typeof RUN_STATES)[number];
const TERMINAL: readonly string[] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

/** Outputs and inputs larger than this are returned as null with `truncated: true`. */
export const MAX_INLINE_BYTES = 64 * 1024;

export interface RunSummary {
  id: string;
  workflowId: string;
  workflowName: string;
  workflowVersion: number;
  state: RunState;
  trigger: string;
  errorCode: string | null;
  errorMessage: string | null;
  /** The run whose `workflow` step started this one, and that step. */
  parentRunId: string | null;
  parentStepKey: string | null;
  /** When the workflow's `timeout` ends the run, if it has one. */
  deadlineAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface RunRow {
  id: string;
  workflow_id: string;
  workflow_name: string;
  workflow_version: number;
  state: RunState;
  trigger_kind: string;
  error_code: string | null;
  error_message: string | null;
  parent_run_id: string | null;
  parent_step_key: string | null;
  deadline_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  input?: unknown;
  output?: unknown;
  [key: string]: unknown;
}

const SUMMARY = `r.id, r.workflow_id, w.name as workflow_name, r.workflow_version, r.state, r.trigger_kind,
  r.error_code, r.error_message, r.parent_run_id, r.parent_step_key, r.deadline_at, r.created_at, r.started_at,
  r.finished_at`;
const FROM = 'runs r join workflows w on w.tenant_id = r.tenant_id and w.id = r.workflow_id';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const toSummary = (r: RunRow): RunSummary => ({
  id: r.id,
  workflowId: r.workflow_id,
  workflowName: r.workflow_name,
  workflowVersion: r.workflow_version,
  state: r.state,
  trigger: r.trigger_kind,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  parentRunId: r.parent_run_id,
  parentStepKey: r.parent_step_key,
  deadlineAt: iso(r.deadline_at),
  createdAt: r.created_at.toISOString(),
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
});

/** A JSON value as is, or null with a flag when it is too large to return inline. */
export function inline(value: unknown): { value: unknown; truncated: boolean } {
  if (value === undefined || value === null) return { value: null, truncated: false };
  return Buffer.byteLength(JSON.stringify(value)) > MAX_INLINE_BYTES
    ? { value: null, truncated: true }
    : { value, truncated: false };
}

export interface RunFilter {
  workflowName?: string | undefined;
  state?: RunState | undefined;
  trigger?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Only the child runs of this run. */
  parentRunId?: string | undefined;
  /** Keyset cursor: `<created_at ISO>|<id>` of the last run of the previous page. */
  cursor?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, keyset-paginated by (created_at, id). */
export async function listRuns(tx: Queryable, filter: RunFilter): Promise<RunSummary[]> {
  const result = await tx.query<RunRow>(
    `select ${SUMMARY} from ${FROM}
      where ($1::text is null or w.name = $1) and ($2::text is null or r.state = $2)
        and ($3::text is null or r.trigger_kind = $3)
        and ($4::timestamptz is null or r.created_at >= $4) and ($5::timestamptz is null or r.created_at < $5)
        and ($6::timestamptz is null or (r.created_at, r.id) < ($6, $7::uuid))
        and ($9::uuid is null or r.parent_run_id = $9)
      order by r.created_at desc, r.id desc limit $8`,
    [
      filter.workflowName ?? null,
      filter.state ?? null,
      filter.trigger ?? null,
      filter.since ?? null,
      filter.until ?? null,
      filter.cursor?.createdAt ?? null,
      filter.cursor?.id ?? null,
      filter.limit,
      filter.parentRunId ?? null,
    ],
  );
  return result.rows.map(toSummary);
}

export interface StepAttemptView {
  attempt: number;
  workerId: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface RunStepView {
  key: string;
  id: string;
  type: string;
  state: string;
  attempt: number;
  needs: string[];
  output: unknown;
  outputTruncated: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  waitReason: string | null;
  wakeAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: StepAttemptView[];
}

export interface RunDetail extends RunSummary {
  input: unknown;
  inputTruncated: boolean;
  output: unknown;
  outputTruncated: boolean;
  steps: RunStepView[];
}

/** A run with its step timeline and every attempt. */
export async function getRun(tx: Queryable, runId: string): Promise<RunDetail> {
  const found = await tx.query<RunRow>(`select ${SUMMARY}, r.input, r.output from ${FROM} where r.id = $1`, [
    runId,
  ]);
  const run = found.rows[0];
  if (!run) throw new EngineError('RUN_NOT_FOUND');
  const steps = await tx.query<{
    step_key: string;
    step_id: string;
    step_type: string;
    state: string;
    attempt: number;
    needs: string[];
    output: unknown;
    error_code: string | null;
    error_message: string | null;
    wait_reason: string | null;
    wake_at: Date | null;
    started_at: Date | null;
    finished_at: Date | null;
  }>(
    `select step_key, step_id, step_type, state, attempt, needs, output, error_code, error_message, wait_reason, wake_at,
            started_at, finished_at
       from run_steps where run_id = $1 order by started_at nulls last, step_key`,
    [runId],
  );
  const attempts = await tx.query<{
    step_key: string;
    attempt: number;
    worker_id: string;
    started_at: Date;
    ended_at: Date | null;
    outcome: string;
    error_code: string | null;
    error_message: string | null;
  }>(
    `select step_key, attempt, worker_id, started_at, ended_at, outcome, error_code, error_message
       from step_attempts where run_id = $1 order by step_key, attempt`,
    [runId],
  );
  const input = inline(run.input);
  const output = inline(run.output);
  return {
    ...toSummary(run),
    input: input.value,
    inputTruncated: input.truncated,
    output: output.value,
    outputTruncated: output.truncated,
    steps: steps.rows.map((s) => {
      const out = inline(s.output);
      return {
        key: s.step_key,
        id: s.step_id,
        type: s.step_type,
        state: s.state,
        attempt: s.attempt,
        needs: s.needs,
        output: out.value,
        outputTruncated: out.truncated,
        errorCode: s.error_code,
        errorMessage: s.error_message,
        waitReason: s.wait_reason,
        wakeAt: iso(s.wake_at),
        startedAt: iso(s.started_at),
        finishedAt: iso(s.finished_at),
        attempts: attempts.rows
          .filter((a) => a.step_key === s.step_key)
          .map((a) => ({
            attempt: a.attempt,
            workerId: a.worker_id,
            startedAt: a.started_at.toISOString(),
            endedAt: iso(a.ended_at),
            outcome: a.outcome,
            errorCode: a.error_code,
            errorMessage: a.error_message,
          })),
      };
    }),
  };
}

/**
 * Cancels a run: queued and waiting steps end at once; a running attempt's next heartbeat or
 * write is refused, which aborts its signal on the worker.
 */
export async function cancelRun(
  tx: Queryable,
  tenantId: string,
  runId: string,
  reason: string,
): Promise<void> {
  const state = await lockRun(tx, tenantId, runId);
  if (!state) throw new EngineError('RUN_NOT_FOUND');
  if (TERMINAL.includes(state)) throw new EngineError('RUN_ALREADY_FINISHED', `The run has already ${state}`);
  await endRun(tx, tenantId, runId, { state: 'cancelled', code: 'RUN_CANCELLED', message: reason });
}
