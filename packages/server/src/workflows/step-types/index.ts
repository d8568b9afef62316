export { approvalStep, APPROVAL_DECISIONS } from './approval.ts';
export { branchStep } from './branch.ts';
export {
  httpStep,
  HTTP_METHODS,
  HTTP_RESPONSE_TYPES,
  HTTP_MAX_RESPONSE_BYTES,
  HTTP_HEADER_NAME,
  HTTP_RESERVED_HEADERS,
} from './http.ts';
export { mapStep, MAP_MAX_CONCURRENCY, MAP_MAX_ITEMS, MAP_DEFAULT_CONCURRENCY } from './map.ts';
export { sleepStep } from './sleep.ts';
export { taskStep, TASK_QUEUE_PATTERN } from './task.ts';
export { transformStep } from './transform.ts';
export { workflowStep } from './workflow.ts';
export { BUILTIN_STEP_TYPES, nestedStepFieldsOf } from './builtin.ts';
