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
export {
  llmChatStep,
  llmEmbedStep,
  LlmChatWith,
  LlmEmbedWith,
  LLM_MESSAGE_ROLES,
  LLM_TOOL_CHOICES,
  LLM_MIN_TIER,
  LLM_MAX_TIER,
  LLM_MAX_OUTPUT_RETRIES,
  LLM_DEFAULT_OUTPUT_RETRIES,
  LLM_MAX_MESSAGES,
  LLM_MAX_EMBED_INPUTS,
  LLM_MAX_DIMENSIONS,
  LLM_MAX_TEXT,
} from './llm.ts';
export type { LlmChatWithValue, LlmEmbedWithValue } from './llm.ts';
export { mapStep, MAP_MAX_CONCURRENCY, MAP_MAX_ITEMS, MAP_DEFAULT_CONCURRENCY } from './map.ts';
export { sleepStep } from './sleep.ts';
export { taskStep, TASK_QUEUE_PATTERN } from './task.ts';
export { transformStep } from './transform.ts';
export { workflowStep } from './workflow.ts';
export { BUILTIN_STEP_TYPES, nestedStepFieldsOf } from './builtin.ts';
