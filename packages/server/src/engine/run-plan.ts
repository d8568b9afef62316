import type { RunTrace } from '../observability/index.ts';
import type { RetryPolicy } from './retry-schedule.ts';

/** A step of a run as the engine stores it; built from a workflow version by the caller. */
export interface StepPlan {
  key: string;
  id: string;
  type: string;
  needs: readonly string[];
  retry: RetryPolicy;
}

export const TRIGGER_KINDS = ['api', 'webhook', 'schedule', 'event', 'workflow'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** The step of another run that started this one (a `workflow` step), and where its tree is. */
export interface ParentRef {
  runId: string;
  stepKey: string;
  rootRunId: string;
  /** The parent's depth; the child is one deeper. */
  depth: number;
}

export interface RunPlan {
  workflowId: string;
  workflowVersion: number;
  input: unknown;
  steps: readonly StepPlan[];
  idempotencyKey?: string | null;
  triggerKind?: TriggerKind;
  /** The worker pool; unset: the tenant's (a child run passes its parent's). */
  pool?: string;
  /** 0 (default) to 9: a higher priority runs first among the tenant's work (ADR 0005). */
  priority?: number;
  /** The workflow's `timeout`: the run times out this long after it is created. */
  timeoutMs?: number | null;
  parent?: ParentRef;
  /** The run span's reserved place in the starting request's trace (ADR 0011); null: untraced. */
  trace?: RunTrace | null;
}
