export { StepError, coerceStepError } from './step-executor.ts';
export type { StepContext, StepExecutor, StepResult } from './step-executor.ts';
