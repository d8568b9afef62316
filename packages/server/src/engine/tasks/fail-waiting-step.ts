import type { Queryable } from '../../db/index.ts';
import { enqueueSteps } from '../enqueue.ts';
import type { StepFailure } from '../fail-step.ts';
import { failRun } from '../finish-run.ts';
import { retryDelayMs, shouldRetry } from '../retry-schedule.ts';
import { loadStepPolicy } from './step-policy.ts';

/** A step parked on a task, as the task's fence names it. */
export interface WaitingStep {
  tenantId: string;
  runId: string;
  stepKey: string;
  stepId: string;
  attempt: number;
  maxAttempts: number;
}

/**
 * Fails the attempt of a step that is `waiting` on a task (the caller holds the run lock and has
 * checked the step still waits on `step.attempt`). Under the step's retry policy it is queued
 * again after its backoff (its next attempt parks on a new task), or ends as `finalState` and
 * fails the run.
 */
export async function failWaitingStep(
  tx: Queryable,
  step: WaitingStep,
  failure: StepFailure,
  options: { pool: string; finalState: 'failed' | 'timed_out'; random?: () => number },
): Promise<{ outcome: 'retrying'; delayMs: number } | { outcome: 'failed' }> {
  const message = failure.message.slice(0, 2000);
  const policy = (await loadStepPolicy(tx, step)).retry;
  const retry = shouldRetry(
    { ...policy, maxAttempts: Math.min(policy.maxAttempts, step.maxAttempts) },
    step.attempt,
    failure.code,
    failure.retryable,
  );
  await tx.query(
    `update step_attempts set outcome = $5, ended_at = now(), error_code = $6, error_message = $7
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4`,
    [step.tenantId, step.runId, step.stepKey, step.attempt, options.finalState, failure.code, message],
  );
  if (retry) {
    const delayMs = retryDelayMs(policy, step.attempt, (options.random ?? Math.random)());
    await tx.query(
      `update run_steps set wait_reason = null, wake_at = null, error_code = $4, error_message = $5
        where tenant_id = $1 and run_id = $2 and step_key = $3`,
      [step.tenantId, step.runId, step.stepKey, failure.code, message],
    );
    await enqueueSteps(tx, step.tenantId, step.runId, [step.stepKey], {
      availableAt: new Date(Date.now() + delayMs),
    });
    return { outcome: 'retrying', delayMs };
  }
  await tx.query(
    `update run_steps set state = $4, finished_at = now(), error_code = $5, error_message = $6
      where tenant_id = $1 and run_id = $2 and step_key = $3`,
    [step.tenantId, step.runId, step.stepKey, options.finalState, failure.code, message],
  );
  await failRun(tx, step.tenantId, step.runId, {
    code: failure.code,
    message: `Step ${step.stepKey} failed: ${message}`,
  });
  return { outcome: 'failed' };
}
