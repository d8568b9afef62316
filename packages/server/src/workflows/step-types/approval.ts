import { z } from 'zod';
import { Duration } from '../duration.ts';
import { orExpression, Template, templatedString } from '../definition-schema.ts';
import { defineStepType } from '../step-type.ts';

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;

export const approvalStep = defineStepType({
  type: 'approval',
  description:
    'Waits for a person to approve or reject through the API, holding no worker. With a timeout ' +
    'and a default, the default decides when time runs out; with a timeout alone the step times out.',
  with: z
    .strictObject({
      title: templatedString(z.string().min(1).max(200)),
      description: templatedString(z.string().max(10_000)).optional(),
      details: Template.optional().meta({ description: 'Shown to the approver' }),
      timeout: orExpression(Duration).optional(),
      default: z.enum(APPROVAL_DECISIONS).optional(),
    })
    .refine((w) => w.default === undefined || w.timeout !== undefined, {
      path: ['default'],
      message: 'needs a timeout: the default decides only when the timeout passes',
    }),
});
