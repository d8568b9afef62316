import type { StepExecutor } from './step-executor.ts';

/**
 * `task`: parks the step. The engine puts its task on the named queue in the same transaction
 * and bounds the wait by the step's `timeout`; the tenant's own worker pulls the task through
 * the API and completes or fails it.
 */
export const taskExecutor: StepExecutor = {
  type: 'task',
  async execute() {
    return { kind: 'waiting', reason: 'task', wakeAt: null };
  },
};
