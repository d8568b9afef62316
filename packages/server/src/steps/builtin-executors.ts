import { createApprovalExecutor } from './approval.ts';
import { branchExecutor } from './branch.ts';
import { createHttpStepExecutor, type HttpStepOptions } from './http/index.ts';
import { mapExecutor } from './map.ts';
import { createSleepExecutor } from './sleep.ts';
import type { StepExecutor } from './step-executor.ts';
import { taskExecutor } from './task.ts';
import { transformExecutor } from './transform.ts';
import { workflowExecutor } from './workflow.ts';

/**
 * The executors a worker registers by default, by step type. The `http` step refuses private,
 * loopback and metadata addresses unless `http.allowList` opens one (steps/http/README.md).
 */
export function createBuiltinExecutors(
  extra: readonly StepExecutor[] = [],
  http: HttpStepOptions = {},
): ReadonlyMap<string, StepExecutor> {
  const all = [
    transformExecutor,
    branchExecutor,
    mapExecutor,
    workflowExecutor,
    createSleepExecutor(),
    createApprovalExecutor(),
    taskExecutor,
    createHttpStepExecutor(http),
    ...extra,
  ];
  return new Map(all.map((executor) => [executor.type, executor]));
}
