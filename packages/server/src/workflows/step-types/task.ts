import { z } from 'zod';
import { Duration } from '../duration.ts';
import { orExpression, Template } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const TASK_QUEUE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export const taskStep = defineStepType({
  type: 'task',
  description:
    "Puts a task on a named queue for the tenant's own worker, which long-polls for it through the API, " +
    'heartbeats, and completes or fails it; the output is what the worker completes it with.',
  with: z.strictObject({
    queue: z
      .string()
      .regex(TASK_QUEUE_PATTERN, 'must be a queue name: lower-case letters, digits, ., - and _'),
    input: Template.optional(),
    heartbeatTimeout: orExpression(Duration)
      .optional()
      .meta({ description: 'Fail the attempt when the worker is silent this long' }),
  }),
});
