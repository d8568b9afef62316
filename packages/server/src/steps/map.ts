import { MAP_DEFAULT_CONCURRENCY, MAP_MAX_CONCURRENCY, MAP_MAX_ITEMS } from '../workflows/index.ts';
import { StepError, type StepExecutor } from './step-executor.ts';

/**
 * `map`: checks the list and parks the step; the engine runs the nested step once per item,
 * `concurrency` at a time, and succeeds the map with the items' outputs in item order.
 */
export const mapExecutor: StepExecutor = {
  type: 'map',
  async execute(ctx) {
    const { items, concurrency = MAP_DEFAULT_CONCURRENCY } = ctx.input as {
      items: unknown;
      concurrency?: unknown;
    };
    if (!Array.isArray(items))
      throw new StepError('MAP_ITEMS_INVALID', `map items must be a list (got ${typeof items})`, false);
    if (items.length > MAP_MAX_ITEMS)
      throw new StepError(
        'MAP_ITEMS_INVALID',
        `map takes at most ${MAP_MAX_ITEMS} items (got ${items.length})`,
        false,
      );
    if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1)
      throw new StepError('MAP_CONCURRENCY_INVALID', 'map concurrency must be a whole number from 1', false);
    if (concurrency > MAP_MAX_CONCURRENCY)
      throw new StepError(
        'MAP_CONCURRENCY_INVALID',
        `map concurrency is at most ${MAP_MAX_CONCURRENCY}`,
        false,
      );
    if (items.length === 0) return { kind: 'completed', output: [] };
    return { kind: 'waiting', reason: 'map', wakeAt: null };
  },
};
