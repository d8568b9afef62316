import { z } from 'zod';
import { EXPRESSION_ROOTS, MAP_ITEM_ROOTS } from '../expressions.ts';
import { NestedStepSchema, orExpression } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const MAP_MAX_CONCURRENCY = 100;
export const MAP_DEFAULT_CONCURRENCY = 10;
/** Items one map step fans out to; each is a step of the run. */
export const MAP_MAX_ITEMS = 10_000;

export const mapStep = defineStepType({
  type: 'map',
  description:
    'Runs one step (any type, e.g. a workflow step for a sub-workflow) for each item of a list, at most ' +
    '`concurrency` at a time, and outputs the results in item order. The step reads `item` and `index`.',
  with: z.strictObject({
    items: orExpression(z.array(z.unknown())).meta({ description: 'The list, usually an expression' }),
    concurrency: orExpression(z.number().int().min(1).max(MAP_MAX_CONCURRENCY)).default(
      MAP_DEFAULT_CONCURRENCY,
    ),
    step: NestedStepSchema,
  }),
  nestedSteps: [{ field: 'step', roots: [...EXPRESSION_ROOTS, ...MAP_ITEM_ROOTS] }],
});
