import { parseDuration } from '../workflows/index.ts';
import type { StepExecutor } from './step-executor.ts';

/**
 * `approval`: parks the step until someone decides through the API; with a `timeout`, the
 * engine applies the `default` decision (or times the step out) when it passes.
 */
export function createApprovalExecutor(now: () => Date = () => new Date()): StepExecutor {
  return {
    type: 'approval',
    async execute(ctx) {
      const input = ctx.input as { timeout?: unknown };
      const ms =
        typeof input.timeout === 'number'
          ? input.timeout
          : typeof input.timeout === 'string'
            ? parseDuration(input.timeout)
            : null;
      return {
        kind: 'waiting',
        reason: 'approval',
        wakeAt: ms === null ? null : new Date(now().getTime() + ms),
      };
    },
  };
}
