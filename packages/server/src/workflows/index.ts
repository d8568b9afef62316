export {
  PROBLEM_CODES,
  WORKFLOW_ERRORS,
  WorkflowError,
  workflowInvalid,
  MAX_REPORTED_PROBLEMS,
} from './errors.ts';
export type { Problem, ProblemCode, WorkflowErrorCode } from './errors.ts';
export {
  WorkflowSchema,
  StepSchema,
  RetrySchema,
  WORKFLOW_NAME_PATTERN,
  EVENT_NAME_PATTERN,
  EVENT_FILTER_ROOTS,
  STEP_ID_PATTERN,
  MAX_STEPS,
} from './definition-schema.ts';
export type {
  WorkflowDefinition,
  StepDefinition,
  NestedStepDefinition,
  RetryPolicy,
} from './definition-schema.ts';
export { parseDuration, MAX_DURATION_MS } from './duration.ts';
export {
  scanTemplate,
  compileExpression,
  resolveTemplate,
  stepsReadBy,
  isTruthy,
  EXPRESSION_ROOTS,
  MAP_ITEM_ROOTS,
} from './expressions.ts';
export type { CompiledExpression, TemplatePart } from './expressions.ts';
export { createStepTypeRegistry, defineStepType } from './step-type.ts';
export type {
  StepTypeSpec,
  StepTypeRegistry,
  StepCheckContext,
  StepTypeProblem,
  NestedStepField,
} from './step-type.ts';
export {
  BUILTIN_STEP_TYPES,
  MAP_MAX_CONCURRENCY,
  MAP_MAX_ITEMS,
  MAP_DEFAULT_CONCURRENCY,
  nestedStepFieldsOf,
  HTTP_METHODS,
  HTTP_RESPONSE_TYPES,
  HTTP_HEADER_NAME,
  HTTP_RESERVED_HEADERS,
  TASK_QUEUE_PATTERN,
} from './step-types/index.ts';
export {
  llmChatStep,
  llmEmbedStep,
  LlmChatWith,
  LlmEmbedWith,
  LLM_MAX_OUTPUT_RETRIES,
  LLM_DEFAULT_OUTPUT_RETRIES,
} from './step-types/index.ts';
export type { LlmChatWithValue, LlmEmbedWithValue } from './step-types/index.ts';
export { parseSource, formatOfFile, SOURCE_FORMATS, MAX_SOURCE_LENGTH } from './source.ts';
export type { SourceFormat, SourceLocator, Position } from './source.ts';
export { validateWorkflowSource, validateWorkflowDefinition } from './validate.ts';
export type { ValidationResult, ValidateOptions } from './validate.ts';
export { findCycles, upstreamOf } from './dag.ts';
export { canonicalJson, contentHash } from './canonical.ts';
export { compileInputSchema } from './input-schema.ts';
export type { CompiledInputSchema } from './input-schema.ts';
export { toPointer } from './json-pointer.ts';
export { diffDefinitions, CHANGE_OPS } from './diff.ts';
export type { DefinitionDiff, DefinitionChange, ChangeOp } from './diff.ts';
export {
  publishWorkflow,
  listWorkflows,
  getWorkflow,
  listWorkflowVersions,
  getWorkflowVersion,
  archiveWorkflow,
  ARCHIVED_FILTERS,
} from './workflow-store.ts';
export type {
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionSummary,
  PublishInput,
  PublishResult,
  ArchivedFilter,
} from './workflow-store.ts';
export { buildWorkflowJsonSchema, renderWorkflowJsonSchema } from './json-schema.ts';
