import { isTruthy } from '../workflows/index.ts';
import type { StepExecutor } from './step-executor.ts';

interface BranchInput {
  cases: { when: unknown; next: string[] }[];
  default?: string[];
}

/**
 * `branch`: takes the first case whose condition holds, else the default. Its output names the
 * path; the steps of every other path are skipped (and what needs only them), not failed.
 */
export const branchExecutor: StepExecutor = {
  type: 'branch',
  async execute(ctx) {
    const input = ctx.input as BranchInput;
    const index = input.cases.findIndex((c) => isTruthy(c.when));
    const taken = index >= 0 ? (input.cases[index]?.next ?? []) : (input.default ?? []);
    const paths = [...input.cases.flatMap((c) => c.next), ...(input.default ?? [])];
    const skip = [...new Set(paths.filter((id) => !taken.includes(id)))];
    return {
      kind: 'completed',
      output: { case: index >= 0 ? index : 'default', next: taken },
      skip,
    };
  },
};
