import type { StepTypeSpec } from '../step-type.ts';
import { approvalStep } from './approval.ts';
import { branchStep } from './branch.ts';
import { httpStep } from './http.ts';
import { mapStep } from './map.ts';
import { sleepStep } from './sleep.ts';
import { taskStep } from './task.ts';
import { transformStep } from './transform.ts';
import { workflowStep } from './workflow.ts';

/** The step types of the workflow issue; the gateway adds the LLM ones to the registry. */
export const BUILTIN_STEP_TYPES: readonly StepTypeSpec[] = [
  transformStep,
  httpStep,
  mapStep,
  branchStep,
  sleepStep,
  approvalStep,
  workflowStep,
  taskStep,
];
