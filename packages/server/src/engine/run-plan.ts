import type { RetryPolicy } from './retry-schedule.ts';

/** A step of a run as the engine stores it; built from a workflow version by the caller. */
export interface StepPlan {
  key: string;
  id: string;
  type: string;
  needs: readonly string[];
  retry: RetryPolicy;
}

export interface RunPlan {
  workflowId: string;
  workflowVersion: number;
  input: unknown;
  steps: readonly StepPlan[];
  idempotencyKey?: string | null;
  triggerKind?: 'api' | 'webhook' | 'schedule' | 'event' | 'workflow';
  pool?: string;
}
