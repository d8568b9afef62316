export { StepError, coerceStepError } from './step-executor.ts';
export type { StepContext, StepExecutor, StepResult, WaitReason } from './step-executor.ts';
export { transformExecutor } from './transform.ts';
export { branchExecutor } from './branch.ts';
export { mapExecutor } from './map.ts';
export { workflowExecutor } from './workflow.ts';
export { createSleepExecutor } from './sleep.ts';
export { createApprovalExecutor } from './approval.ts';
export { taskExecutor } from './task.ts';
export { createBuiltinExecutors } from './builtin-executors.ts';
export type { BuiltinExecutorOptions } from './builtin-executors.ts';
export {
  createLlmExecutors,
  createLlmChatExecutor,
  createLlmEmbedExecutor,
  llmCallKey,
  LLM_STEP_ERRORS,
  LlmStepError,
  GATEWAY_ERROR_RETRYABLE,
  gatewayStepError,
} from './llm/index.ts';
export type { LlmChatOutput, LlmEmbedOutput, LlmStepErrorCode, LlmUsage } from './llm/index.ts';
export {
  createHttpStepExecutor,
  compileHttpStepOptions,
  compileAllowList,
  AllowListError,
  HttpStepError,
  HTTP_STEP_ERRORS,
  HTTP_STEP_ERROR_CODES,
  NEVER_ALLOWED_KINDS,
  systemResolver,
  tcpConnector,
  createVettedPost,
} from './http/index.ts';
export type {
  HttpStepOptions,
  HttpStepOutput,
  AllowListSource,
  AllowListEntries,
  HttpStepErrorCode,
  AddressKind,
  Resolver,
  Connector,
  DialTarget,
  VettedPost,
} from './http/index.ts';
