export { createShoalClient } from './client.ts';
export type { ShoalClient, ShoalClientOptions } from './client.ts';
export { ShoalApiError, SDK_ERROR_CODES } from './errors.ts';
export type { SdkErrorCode, ShoalApiErrorInit } from './errors.ts';
export { paginate } from './paginate.ts';
export { createTaskWorker, NonRetryableTaskError } from './task-worker.ts';
export type { Task, TaskContext, TaskHandler, TaskWorker, TaskWorkerOptions } from './task-worker.ts';
export { signWebhook } from './webhook-signature.ts';
export type { Page } from './paginate.ts';
export type {
  OperationId,
  PathParams,
  QueryParams,
  RequestBody,
  RequestOptions,
  ResponseBody,
  Schema,
} from './types.ts';
export type { components, operations, paths } from './schema.d.ts';
