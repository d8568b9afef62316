export { StepError, coerceStepError } from './step-executor.ts';
export type { StepContext, StepExecutor, StepResult } from './step-executor.ts';
export { transformExecutor } from './transform.ts';
export { createSleepExecutor } from './sleep.ts';
export { createBuiltinExecutors } from './builtin-executors.ts';
