import type { StepExecutor } from './step-executor.ts';

/**
 * `workflow`: parks the step; the engine starts the child run in the same transaction and
 * resolves the step with the child's output when it succeeds (or fails it when it does not).
 */
export const workflowExecutor: StepExecutor = {
  type: 'workflow',
  execute: async () => ({ kind: 'waiting', reason: 'workflow', wakeAt: null }),
};
