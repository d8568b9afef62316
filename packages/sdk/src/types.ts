import type { components, operations } from './schema.d.ts';

/** Request and response types of each operation, read from the generated schema. */
export type OperationId = keyof operations;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface Endpoint {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/v1/api-keys/{id}`. */
  path: string;
}

type Operation<Id extends OperationId> = operations[Id];

/** Path parameters, e.g. `{ id }`; `never` when the path has none. */
export type PathParams<Id extends OperationId> = Operation<Id>['parameters'] extends { path: infer P }
  ? P
  : never;

/** Query parameters; `never` when the operation takes none. */
export type QueryParams<Id extends OperationId> = Operation<Id>['parameters'] extends { query?: infer Q }
  ? Exclude<Q, undefined>
  : never;

/** The JSON request body; `never` when the operation takes none. */
export type RequestBody<Id extends OperationId> =
  Operation<Id> extends {
    requestBody: { content: { 'application/json': infer B } };
  }
    ? B
    : never;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;
type Responses<Id extends OperationId> = Operation<Id>['responses'];

/** The parsed body of the success response; `undefined` for 204 No Content. */
export type ResponseBody<Id extends OperationId> = {
  [S in keyof Responses<Id> & SuccessStatus]: Responses<Id>[S] extends {
    content: { 'application/json': infer T };
  }
    ? T
    : undefined;
}[keyof Responses<Id> & SuccessStatus];

/** A named schema of the API, e.g. `Schema<'ApiKey'>`, `Schema<'AuditEvent'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** Per-call options. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Extra headers, e.g. `x-request-id` to correlate with the server's logs and audit events. */
  headers?: Record<string, string>;
}
