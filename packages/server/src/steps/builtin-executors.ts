import { createSleepExecutor } from './sleep.ts';
import type { StepExecutor } from './step-executor.ts';
import { transformExecutor } from './transform.ts';

/** The executors a worker registers by default, by step type. */
export function createBuiltinExecutors(
  extra: readonly StepExecutor[] = [],
): ReadonlyMap<string, StepExecutor> {
  const all = [transformExecutor, createSleepExecutor(), ...extra];
  return new Map(all.map((executor) => [executor.type, executor]));
}
