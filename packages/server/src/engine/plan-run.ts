import { parseDuration, type StepDefinition, type WorkflowDefinition } from '../workflows/index.ts';
import { NO_RETRY, type RetryPolicy } from './retry-schedule.ts';
import type { StepPlan } from './run-plan.ts';

const ms = (duration: string | undefined, fallback: number): number =>
  duration === undefined ? fallback : (parseDuration(duration) ?? fallback);

/** A step's `retry` block as the engine's policy; no block means one attempt. */
export function retryPolicyOf(step: Pick<StepDefinition, 'retry'>): RetryPolicy {
  const retry = step.retry;
  if (!retry) return NO_RETRY;
  return {
    maxAttempts: retry.maxAttempts,
    initialMs: ms(retry.backoff.initial, 1000),
    factor: retry.backoff.factor,
    maxMs: ms(retry.backoff.max, 300_000),
    jitter: retry.backoff.jitter,
    nonRetryable: retry.nonRetryableErrors ?? [],
  };
}

/** The steps of a run of this (validated) definition. */
export function planSteps(definition: WorkflowDefinition): StepPlan[] {
  return definition.steps.map((step) => ({
    key: step.id,
    id: step.id,
    type: step.type,
    needs: step.needs,
    retry: retryPolicyOf(step),
  }));
}

/** The workflow's `timeout` in milliseconds, or null when its runs may take as long as they need. */
export function runTimeoutMs(definition: Pick<WorkflowDefinition, 'timeout'>): number | null {
  return definition.timeout === undefined ? null : parseDuration(definition.timeout);
}
