import { z } from 'zod';
import { Template, WorkflowName } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const workflowStep = defineStepType({
  type: 'workflow',
  description:
    "Starts another workflow of the same tenant as a child run, waits for it and outputs the child's output.",
  with: z.strictObject({
    name: WorkflowName,
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Pin a version; without it the latest when the step starts' }),
    input: Template.optional(),
  }),
});
