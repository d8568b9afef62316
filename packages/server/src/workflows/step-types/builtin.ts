import type { StepTypeSpec } from '../step-type.ts';
import { approvalStep } from './approval.ts';
import { branchStep } from './branch.ts';
import { httpStep } from './http.ts';
import { llmChatStep, llmEmbedStep } from './llm.ts';
import { mapStep } from './map.ts';
import { sleepStep } from './sleep.ts';
import { taskStep } from './task.ts';
import { transformStep } from './transform.ts';
import { workflowStep } from './workflow.ts';

/** The step types every deployment knows, the LLM ones (through the gateway) included. */
export const BUILTIN_STEP_TYPES: readonly StepTypeSpec[] = [
  transformStep,
  httpStep,
  mapStep,
  branchStep,
  sleepStep,
  approvalStep,
  workflowStep,
  taskStep,
  llmChatStep,
  llmEmbedStep,
];

const NESTED_FIELDS = new Map(
  BUILTIN_STEP_TYPES.map((spec) => [spec.type, (spec.nestedSteps ?? []).map((n) => n.field)]),
);

/** Fields of a step type's `with` that hold a nested step, which is evaluated per item, not up front. */
export function nestedStepFieldsOf(type: string): readonly string[] {
  return NESTED_FIELDS.get(type) ?? [];
}
