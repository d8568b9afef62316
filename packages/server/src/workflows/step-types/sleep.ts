import { z } from 'zod';
import { Duration } from '../duration.ts';
import { orExpression, templatedString } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const sleepStep = defineStepType({
  type: 'sleep',
  description: 'Waits for a duration or until a time, holding no worker while it waits.',
  with: z
    .strictObject({
      duration: orExpression(Duration).optional(),
      until: templatedString(
        z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with a time zone' }),
      ).optional(),
    })
    .refine((w) => (w.duration === undefined) !== (w.until === undefined), {
      message: 'needs exactly one of duration or until',
    }),
});
