import type { Gateway } from '../gateway/index.ts';
import { createApprovalExecutor } from './approval.ts';
import { branchExecutor } from './branch.ts';
import { createHttpStepExecutor, type HttpStepOptions } from './http/index.ts';
import { createLlmExecutors } from './llm/index.ts';
import { mapExecutor } from './map.ts';
import { createSleepExecutor } from './sleep.ts';
import type { StepExecutor } from './step-executor.ts';
import { taskExecutor } from './task.ts';
import { transformExecutor } from './transform.ts';
import { workflowExecutor } from './workflow.ts';

export interface BuiltinExecutorOptions {
  http?: HttpStepOptions;
  /** The gateway llm steps call; without it they fail with LLM_GATEWAY_UNAVAILABLE. */
  gateway?: Gateway | null;
}

/**
 * The executors a worker registers by default, by step type; `extra` ones replace built-in ones
 * of the same type. The `http` step refuses private, loopback and metadata addresses unless
 * `http.allowList` opens one (steps/http/README.md).
 */
export function createBuiltinExecutors(
  extra: readonly StepExecutor[] = [],
  options: BuiltinExecutorOptions = {},
): ReadonlyMap<string, StepExecutor> {
  const all = [
    transformExecutor,
    branchExecutor,
    mapExecutor,
    workflowExecutor,
    createSleepExecutor(),
    createApprovalExecutor(),
    taskExecutor,
    createHttpStepExecutor(options.http ?? {}),
    ...createLlmExecutors(options.gateway ?? null),
    ...extra,
  ];
  return new Map(all.map((executor) => [executor.type, executor]));
}
