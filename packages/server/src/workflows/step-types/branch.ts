import { z } from 'zod';
import { Condition, StepId } from '../definition-schema.ts';
import { defineStepType, type StepTypeProblem } from '../step-type.ts';

export const branchStep = defineStepType({
  type: 'branch',
  description:
    'Chooses the first case whose condition holds (or the default). Steps named only by the other ' +
    'cases are skipped, not failed, and so are the steps that need them. Each named step must ' +
    'list the branch in its needs.',
  with: z.strictObject({
    cases: z
      .array(
        z.strictObject({
          when: Condition,
          next: z.array(StepId).min(1).max(100).meta({ description: 'Steps this path runs' }),
        }),
      )
      .min(1)
      .max(50),
    default: z.array(StepId).max(100).optional().meta({ description: 'Steps run when no case holds' }),
  }),
  check(value, { stepId, steps }) {
    const problems: StepTypeProblem[] = [];
    const targets: { path: (string | number)[]; id: string }[] = [
      ...value.cases.flatMap((c, i) => c.next.map((id, j) => ({ path: ['cases', i, 'next', j], id }))),
      ...(value.default ?? []).map((id, j) => ({ path: ['default', j], id })),
    ];
    for (const { path, id } of targets) {
      const target = steps.get(id);
      if (!target) {
        problems.push({
          code: 'STEP_REFERENCE_INVALID',
          message: `Branch path names unknown step "${id}"`,
          path,
        });
      } else if (!target.needs.includes(stepId)) {
        problems.push({
          code: 'STEP_REFERENCE_INVALID',
          message: `Branch path names step "${id}", which does not list "${stepId}" in its needs`,
          path,
        });
      }
    }
    return problems;
  },
});
