import type { Logger, SpanParent } from '../observability/index.ts';

/** What an executor gets for one attempt of one step. */
export interface StepContext {
  tenantId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  attempt: number;
  /** sha256(run, step, attempt): sent with every external side effect (DESIGN.md). */
  idempotencyKey: string;
  /** The step's `with`, with every expression already evaluated. */
  input: unknown;
  /** Aborted when the run is cancelled, the step times out or the worker loses its lease. */
  signal: AbortSignal;
  logger: Logger;
  /** The attempt's span: the parent of the spans of what the step calls (the gateway). */
  trace?: SpanParent;
}

/** An executor either finishes the step or parks it; a parked step holds no worker slot. */
export type StepResult =
  | {
      kind: 'completed';
      output: unknown;
      /** Ids of dependants to skip instead of run: a branch's paths not taken. */
      skip?: readonly string[];
    }
  | { kind: 'waiting'; reason: WaitReason; wakeAt: Date | null };

/**
 * What a parked step waits for. The engine creates it with the park: a `workflow` step's child
 * run, a `map` step's items, a `task` step's task; sleeps and approvals need nothing.
 */
export type WaitReason = 'sleep' | 'approval' | 'task' | 'workflow' | 'map';

/** One executor per step type; the engine looks them up by `type`. */
export interface StepExecutor {
  type: string;
  execute(ctx: StepContext): Promise<StepResult>;
}

/** A failure an executor reports on purpose: a stable code, and whether another attempt may help. */
export class StepError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StepError';
  }
}

/** Normalises anything an executor throws into a code, a message and retryability. */
export function coerceStepError(error: unknown): StepError {
  if (error instanceof StepError) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new StepError('STEP_ABORTED', 'The step was aborted', false, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new StepError('STEP_FAILED', message, true, { cause: error });
}
