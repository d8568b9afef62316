import type { StepExecutor } from './step-executor.ts';

/** `transform`: the step's output is its evaluated `with.value`. */
export const transformExecutor: StepExecutor = {
  type: 'transform',
  execute: async (ctx) => ({ kind: 'completed', output: (ctx.input as { value?: unknown }).value ?? null }),
};
