import { z } from 'zod';
import { Template } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const transformStep = defineStepType({
  type: 'transform',
  description:
    'Computes a value from expressions over input and earlier steps; the step output is that value.',
  with: z
    .strictObject({ value: Template })
    .refine((w) => w.value !== undefined, { path: ['value'], message: 'is required' }),
});
