import { parseDuration } from '../workflows/index.ts';
import { StepError, type StepExecutor } from './step-executor.ts';

/**
 * `sleep`: parks the step until a time; the engine wakes it then, so a sleep of a week holds no
 * worker for a week. A time already past completes at once.
 */
export function createSleepExecutor(now: () => Date = () => new Date()): StepExecutor {
  return {
    type: 'sleep',
    async execute(ctx) {
      const input = ctx.input as { duration?: unknown; until?: unknown };
      let wakeAt: Date;
      if (typeof input.until === 'string') {
        wakeAt = new Date(input.until);
      } else {
        const ms =
          typeof input.duration === 'number' ? input.duration : parseDuration(String(input.duration));
        if (ms === null || !Number.isFinite(ms) || ms < 0) {
          throw new StepError(
            'SLEEP_INVALID',
            `sleep needs a duration or an until time (got ${JSON.stringify(input)})`,
            false,
          );
        }
        wakeAt = new Date(now().getTime() + ms);
      }
      if (Number.isNaN(wakeAt.getTime()))
        throw new StepError('SLEEP_INVALID', `sleep until "${String(input.until)}" is not a time`, false);
      if (wakeAt.getTime() <= now().getTime())
        return { kind: 'completed', output: { sleptUntil: wakeAt.toISOString() } };
      return { kind: 'waiting', reason: 'sleep', wakeAt };
    },
  };
}
