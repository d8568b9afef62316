import { ENDPOINTS } from './endpoints.ts';
import { errorFromResponse, ShoalApiError } from './errors.ts';
import type {
  OperationId,
  PathParams,
  QueryParams,
  RequestBody,
  RequestOptions,
  ResponseBody,
} from './types.ts';
import { compileBaseUrl, encodeQuery, expandPath } from './url.ts';
import { signWebhook } from './webhook-signature.ts';

export interface ShoalClientOptions {
  /** Where the API is served, e.g. `http://localhost:8080`; may include a path prefix. */
  baseUrl: string;
  /** An API key (`shoal_…`), sent as `Authorization: Bearer`. Without one, a browser sends its session cookie. */
  apiKey?: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Session-cookie callers (the dashboard) only: sent as `X-CSRF-Token` on requests that change state. */
  csrfToken?: string | (() => string | null | undefined);
}

interface CompiledOptions {
  readonly baseUrl: string;
  readonly authorization: string | null;
  readonly fetch: typeof fetch;
  readonly csrfToken: () => string | null | undefined;
}

function compileOptions(options: ShoalClientOptions): CompiledOptions {
  if (options.apiKey !== undefined && !/^\S+$/.test(options.apiKey)) {
    throw new TypeError('apiKey must be a non-empty string without whitespace');
  }
  // Bound: a browser's fetch throws "Illegal invocation" when called with another `this`.
  const fetchImpl =
    options.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : null);
  if (!fetchImpl) throw new TypeError('No global fetch on this platform: pass options.fetch');
  const { csrfToken } = options;
  return Object.freeze({
    baseUrl: compileBaseUrl(options.baseUrl),
    authorization: options.apiKey === undefined ? null : `Bearer ${options.apiKey}`,
    fetch: fetchImpl,
    csrfToken: typeof csrfToken === 'function' ? csrfToken : () => csrfToken,
  });
}

interface OperationInput<Id extends OperationId> {
  params?: PathParams<Id>;
  query?: QueryParams<Id>;
  body?: RequestBody<Id>;
}

/**
 * A typed client for the Shoal HTTP API: one method per operationId of the OpenAPI document
 * (docs/openapi.json), taking path parameters, then the body or query, then per-call options.
 * Non-2xx answers throw {@link ShoalApiError}.
 */
export function createShoalClient(options: ShoalClientOptions) {
  const compiled = compileOptions(options);

  async function send<Id extends OperationId>(
    id: Id,
    input: OperationInput<Id>,
    { signal, headers: extraHeaders }: RequestOptions = {},
    /** 'text': the body as received (a CSV download), not parsed as JSON. */
    as: 'json' | 'text' = 'json',
  ): Promise<ResponseBody<Id>> {
    const { method, path } = ENDPOINTS[id];
    const url =
      compiled.baseUrl +
      expandPath(path, input.params as Record<string, string> | undefined) +
      encodeQuery(input.query as Record<string, string> | undefined);
    const headers = new Headers({ accept: as === 'json' ? 'application/json' : '*/*' });
    if (compiled.authorization) headers.set('authorization', compiled.authorization);
    const csrfToken = method === 'GET' ? null : compiled.csrfToken();
    if (csrfToken) headers.set('x-csrf-token', csrfToken);
    const init: RequestInit = { method, headers };
    if (input.body !== undefined) {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(input.body);
    }
    for (const [name, value] of Object.entries(extraHeaders ?? {})) headers.set(name, value);
    if (signal) init.signal = signal;

    const response = await compiled.fetch(url, init);
    const text = await response.text();
    if (!response.ok) throw errorFromResponse(response, text);
    if (as === 'text') return text as ResponseBody<Id>;
    if (text === '') return undefined as ResponseBody<Id>;
    try {
      return JSON.parse(text) as ResponseBody<Id>;
    } catch (error) {
      throw new ShoalApiError({
        status: response.status,
        code: 'UNEXPECTED_RESPONSE',
        message: `${method} ${path} answered ${response.status} with a body that is not JSON`,
        requestId: response.headers.get('x-request-id'),
        cause: error,
      });
    }
  }

  return {
    /** Liveness: the process is up. */
    health: (options?: RequestOptions) => send('health', {}, options),
    /** Readiness: the database answers (503 SERVICE_UNAVAILABLE otherwise). */
    ready: (options?: RequestOptions) => send('ready', {}, options),

    /** Create a tenant and its first owner. */
    signup: (body: RequestBody<'signup'>, options?: RequestOptions) => send('signup', { body }, options),
    /** Log in; a browser keeps the HttpOnly session cookie, the answer carries the CSRF token. */
    login: (body: RequestBody<'login'>, options?: RequestOptions) => send('login', { body }, options),
    /** Who is calling: tenant, role and credential. */
    getMe: (options?: RequestOptions) => send('getMe', {}, options),
    /** Log out: revokes the session of the cookie. */
    logout: (options?: RequestOptions) => send('logout', {}, options),

    /** The caller's tenant. */
    getTenant: (options?: RequestOptions) => send('getTenant', {}, options),
    /** Rename the tenant. */
    updateTenant: (body: RequestBody<'updateTenant'>, options?: RequestOptions) =>
      send('updateTenant', { body }, options),

    /** The members of the tenant. */
    listMembers: (options?: RequestOptions) => send('listMembers', {}, options),
    /** Change a member's role (not your own). */
    updateMember: (
      params: PathParams<'updateMember'>,
      body: RequestBody<'updateMember'>,
      options?: RequestOptions,
    ) => send('updateMember', { params, body }, options),
    /** Remove a member; their sessions end. */
    removeMember: (params: PathParams<'removeMember'>, options?: RequestOptions) =>
      send('removeMember', { params }, options),

    /** The tenant's invites. */
    listInvites: (options?: RequestOptions) => send('listInvites', {}, options),
    /** Invite someone by email. */
    createInvite: (body: RequestBody<'createInvite'>, options?: RequestOptions) =>
      send('createInvite', { body }, options),
    /** Revoke an invite. */
    revokeInvite: (params: PathParams<'revokeInvite'>, options?: RequestOptions) =>
      send('revokeInvite', { params }, options),
    /** Accept an invite with its token: join the tenant, creating the user if new. */
    acceptInvite: (body: RequestBody<'acceptInvite'>, options?: RequestOptions) =>
      send('acceptInvite', { body }, options),

    /** The tenant's API keys (never their secrets). */
    listApiKeys: (options?: RequestOptions) => send('listApiKeys', {}, options),
    /** One API key. */
    getApiKey: (params: PathParams<'getApiKey'>, options?: RequestOptions) =>
      send('getApiKey', { params }, options),
    /** Create an API key; its secret is in this answer only. */
    createApiKey: (body: RequestBody<'createApiKey'>, options?: RequestOptions) =>
      send('createApiKey', { body }, options),
    /** Revoke an API key; using it afterwards fails with API_KEY_REVOKED. */
    revokeApiKey: (params: PathParams<'revokeApiKey'>, options?: RequestOptions) =>
      send('revokeApiKey', { params }, options),

    /** One page of audit events, newest first; `paginate(client.listAuditEvents)` iterates over all. */
    listAuditEvents: (query?: QueryParams<'listAuditEvents'>, options?: RequestOptions) =>
      send('listAuditEvents', query ? { query } : {}, options),
    /** Verify the tenant's audit hash chain; reports the first broken link. */
    verifyAuditChain: (options?: RequestOptions) => send('verifyAuditChain', {}, options),

    /** Publish a workflow from YAML/JSON `source` or a `definition` object: a new version if it changed. */
    publishWorkflow: (body: RequestBody<'publishWorkflow'>, options?: RequestOptions) =>
      send('publishWorkflow', { body }, options),
    /** One page of workflows by name; `paginate(client.listWorkflows)` iterates over all. */
    listWorkflows: (query?: QueryParams<'listWorkflows'>, options?: RequestOptions) =>
      send('listWorkflows', query ? { query } : {}, options),
    /** A workflow and its latest version. */
    getWorkflow: (params: PathParams<'getWorkflow'>, options?: RequestOptions) =>
      send('getWorkflow', { params }, options),
    /** One page of a workflow's versions, newest first. */
    listWorkflowVersions: (
      params: PathParams<'listWorkflowVersions'>,
      query?: QueryParams<'listWorkflowVersions'>,
      options?: RequestOptions,
    ) => send('listWorkflowVersions', query ? { params, query } : { params }, options),
    /** One version of a workflow, with its definition and source. */
    getWorkflowVersion: (params: PathParams<'getWorkflowVersion'>, options?: RequestOptions) =>
      send('getWorkflowVersion', { params }, options),
    /** The structural diff between two versions (default: the latest and the one before). */
    diffWorkflowVersions: (
      params: PathParams<'diffWorkflowVersions'>,
      query?: QueryParams<'diffWorkflowVersions'>,
      options?: RequestOptions,
    ) => send('diffWorkflowVersions', query ? { params, query } : { params }, options),
    /** Archive a workflow; publishing it again unarchives it. */
    archiveWorkflow: (params: PathParams<'archiveWorkflow'>, options?: RequestOptions) =>
      send('archiveWorkflow', { params }, options),

    /**
     * Start a run of the workflow's latest version. Pass `idempotencyKey` to make retries safe:
     * the same key returns the same run.
     */
    startRun: (
      params: PathParams<'startRun'>,
      body: RequestBody<'startRun'>,
      options: RequestOptions & { idempotencyKey?: string } = {},
    ) => {
      const { idempotencyKey, ...rest } = options;
      const headers = idempotencyKey ? { ...rest.headers, 'idempotency-key': idempotencyKey } : rest.headers;
      return send('startRun', { params, body }, { ...rest, ...(headers ? { headers } : {}) });
    },
    /** One page of runs, newest first; `paginate(client.listRuns)` iterates over all. */
    listRuns: (query?: QueryParams<'listRuns'>, options?: RequestOptions) =>
      send('listRuns', query ? { query } : {}, options),
    /** A run with its step timeline and every attempt. */
    getRun: (params: PathParams<'getRun'>, options?: RequestOptions) => send('getRun', { params }, options),
    /** Approve or reject a waiting approval step; the first decision counts. */
    decideApproval: (
      params: PathParams<'decideApproval'>,
      body: RequestBody<'decideApproval'>,
      options?: RequestOptions,
    ) => send('decideApproval', { params, body }, options),
    /** Run a failed or cancelled run again from the steps that did not succeed. */
    retryRun: (params: PathParams<'retryRun'>, options?: RequestOptions) =>
      send('retryRun', { params }, options),
    /** Cancel a run; running steps see their abort signal. */
    cancelRun: (
      params: PathParams<'cancelRun'>,
      body: RequestBody<'cancelRun'> = {},
      options?: RequestOptions,
    ) => send('cancelRun', { params, body }, options),

    /**
     * Long-poll a task queue: the next task, leased to this caller, or `undefined` when none came
     * within `waitMs`. `createTaskWorker` does the polling, heartbeats and results for you.
     */
    pollTask: (params: PathParams<'pollTask'>, body: RequestBody<'pollTask'>, options?: RequestOptions) =>
      send('pollTask', { params, body }, options),
    /** Extend a delivery's heartbeat deadline; `cancelled: true` means stop working on it. */
    heartbeatTask: (
      params: PathParams<'heartbeatTask'>,
      body: RequestBody<'heartbeatTask'>,
      options?: RequestOptions,
    ) => send('heartbeatTask', { params, body }, options),
    /** Complete a task: its step succeeds with `output`. */
    completeTask: (
      params: PathParams<'completeTask'>,
      body: RequestBody<'completeTask'>,
      options?: RequestOptions,
    ) => send('completeTask', { params, body }, options),
    /** Fail a task: the step's retry policy decides; `retryable: false` fails the step at once. */
    failTask: (params: PathParams<'failTask'>, body: RequestBody<'failTask'>, options?: RequestOptions) =>
      send('failTask', { params, body }, options),

    /** Enable a workflow's webhook: its URL and signing secret (the secret is in this answer only). */
    enableWebhook: (params: PathParams<'enableWebhook'>, options?: RequestOptions) =>
      send('enableWebhook', { params }, options),
    /** A workflow's webhook (never its secret). */
    getWebhook: (params: PathParams<'getWebhook'>, options?: RequestOptions) =>
      send('getWebhook', { params }, options),
    /** Issue a new signing secret; the old one keeps verifying for `previousSecretValidSeconds` (default 24 h). */
    rotateWebhookSecret: (
      params: PathParams<'rotateWebhookSecret'>,
      body: RequestBody<'rotateWebhookSecret'> = {},
      options?: RequestOptions,
    ) => send('rotateWebhookSecret', { params, body }, options),
    /** Disable a workflow's webhook: its URL answers 404 from now on. */
    disableWebhook: (params: PathParams<'disableWebhook'>, options?: RequestOptions) =>
      send('disableWebhook', { params }, options),
    /**
     * Deliver a webhook as a sender would: signs `body` with `secret` (Shoal-Signature) and sends it.
     * `deliveryId` (Shoal-Delivery) makes redeliveries start no second run.
     */
    deliverWebhook: async (
      params: PathParams<'deliverWebhook'>,
      body: unknown,
      options: RequestOptions & { secret: string; deliveryId?: string; timestamp?: number },
    ) => {
      const { secret, deliveryId, timestamp, ...rest } = options;
      const signature = await signWebhook(secret, JSON.stringify(body), timestamp);
      const headers: Record<string, string> = { ...rest.headers, 'shoal-signature': signature };
      if (deliveryId !== undefined) headers['shoal-delivery'] = deliveryId;
      return send(
        'deliverWebhook',
        { params, body: body as RequestBody<'deliverWebhook'> },
        { ...rest, headers },
      );
    },

    /** Run a workflow on a cron schedule in a time zone. */
    createSchedule: (body: RequestBody<'createSchedule'>, options?: RequestOptions) =>
      send('createSchedule', { body }, options),
    /** One page of schedules; `paginate(client.listSchedules)` iterates over all. */
    listSchedules: (query?: QueryParams<'listSchedules'>, options?: RequestOptions) =>
      send('listSchedules', query ? { query } : {}, options),
    /** A schedule with its next fire times and last outcome. */
    getSchedule: (params: PathParams<'getSchedule'>, options?: RequestOptions) =>
      send('getSchedule', { params }, options),
    /** Change, pause (`{ paused: true }`) or resume a schedule. */
    updateSchedule: (
      params: PathParams<'updateSchedule'>,
      body: RequestBody<'updateSchedule'>,
      options?: RequestOptions,
    ) => send('updateSchedule', { params, body }, options),
    /** Delete a schedule; the runs it started are kept. */
    deleteSchedule: (params: PathParams<'deleteSchedule'>, options?: RequestOptions) =>
      send('deleteSchedule', { params }, options),

    /** Send a tenant event: one run of every workflow subscribed to its name whose filter matches. */
    sendEvent: (body: RequestBody<'sendEvent'>, options?: RequestOptions) =>
      send('sendEvent', { body }, options),
    /** One page of received events, newest first; `paginate(client.listEvents)` iterates over all. */
    listEvents: (query?: QueryParams<'listEvents'>, options?: RequestOptions) =>
      send('listEvents', query ? { query } : {}, options),
    /** An event with the runs it started. */
    getEvent: (params: PathParams<'getEvent'>, options?: RequestOptions) =>
      send('getEvent', { params }, options),

    /** The tenant's live usage: queue depth, running steps, wait percentiles, quotas used. */
    getLiveUsage: (options?: RequestOptions) => send('getLiveUsage', {}, options),
    /** The tenant's runs by state over time, failure rate, step latency, spend by model and day, failing workflows. */
    getTenantObservability: (query?: QueryParams<'getTenantObservability'>, options?: RequestOptions) =>
      send('getTenantObservability', query ? { query } : {}, options),

    // Operator API: a client made with `apiKey` set to the operator token (SHOAL_OPERATOR_TOKEN).
    /** The plan catalogue. */
    listPlans: (options?: RequestOptions) => send('listPlans', {}, options),
    /** A plan. */
    getPlan: (params: PathParams<'getPlan'>, options?: RequestOptions) =>
      send('getPlan', { params }, options),
    /** Add a custom plan. */
    createPlan: (body: RequestBody<'createPlan'>, options?: RequestOptions) =>
      send('createPlan', { body }, options),
    /** Change some of a plan's limits. */
    updatePlan: (
      params: PathParams<'updatePlan'>,
      body: RequestBody<'updatePlan'>,
      options?: RequestOptions,
    ) => send('updatePlan', { params, body }, options),
    /** Delete a custom plan nobody is on. */
    deletePlan: (params: PathParams<'deletePlan'>, options?: RequestOptions) =>
      send('deletePlan', { params }, options),
    /** A plan's pricing versions, newest first. */
    listPlanPricing: (params: PathParams<'listPlanPricing'>, options?: RequestOptions) =>
      send('listPlanPricing', { params }, options),
    /** Set a plan's pricing from a month on (one not yet ended in any time zone). */
    setPlanPricing: (
      params: PathParams<'setPlanPricing'>,
      body: RequestBody<'setPlanPricing'>,
      options?: RequestOptions,
    ) => send('setPlanPricing', { params, body }, options),
    /** A tenant's plan, overrides, pool and effective limits. */
    getTenantLimits: (params: PathParams<'getTenantLimits'>, options?: RequestOptions) =>
      send('getTenantLimits', { params }, options),
    /** Move a tenant to another plan. */
    changeTenantPlan: (
      params: PathParams<'changeTenantPlan'>,
      body: RequestBody<'changeTenantPlan'>,
      options?: RequestOptions,
    ) => send('changeTenantPlan', { params, body }, options),
    /** Set or clear (null) a tenant's single-limit overrides and its pool. */
    updateTenantLimits: (
      params: PathParams<'updateTenantLimits'>,
      body: RequestBody<'updateTenantLimits'>,
      options?: RequestOptions,
    ) => send('updateTenantLimits', { params, body }, options),
    /** Live usage of every tenant. */
    listLiveUsage: (options?: RequestOptions) => send('listLiveUsage', {}, options),
    /** Worker pools in use and their live workers. */
    listPools: (options?: RequestOptions) => send('listPools', {}, options),

    /** The tenant's own LLM provider keys (BYOK): provider and fingerprint, never the key. */
    listProviderKeys: (options?: RequestOptions) => send('listProviderKeys', {}, options),
    /** Set or replace the tenant's key of a provider (201 created, 200 replaced). */
    putProviderKey: (
      params: PathParams<'putProviderKey'>,
      body: RequestBody<'putProviderKey'>,
      options?: RequestOptions,
    ) => send('putProviderKey', { params, body }, options),
    /** Delete the tenant's key of a provider. */
    deleteProviderKey: (params: PathParams<'deleteProviderKey'>, options?: RequestOptions) =>
      send('deleteProviderKey', { params }, options),
    /** Operator: the LLM providers and whether each has a platform key. */
    listPlatformProviders: (options?: RequestOptions) => send('listPlatformProviders', {}, options),
    /** Operator: create or change a provider and its platform key (null removes it, absent keeps it). */
    putPlatformProvider: (
      params: PathParams<'putPlatformProvider'>,
      body: RequestBody<'putPlatformProvider'>,
      options?: RequestOptions,
    ) => send('putPlatformProvider', { params, body }, options),
    /** Operator: delete a provider with its models, prices and tenants' keys of it. */
    deletePlatformProvider: (params: PathParams<'deletePlatformProvider'>, options?: RequestOptions) =>
      send('deletePlatformProvider', { params }, options),
    /** The tenant's model aliases. */
    listModelAliases: (options?: RequestOptions) => send('listModelAliases', {}, options),
    /** A model alias. */
    getModelAlias: (params: PathParams<'getModelAlias'>, options?: RequestOptions) =>
      send('getModelAlias', { params }, options),
    /** Create a model alias (201) or replace its spec (200; `changed` false when equal). */
    putModelAlias: (
      params: PathParams<'putModelAlias'>,
      body: RequestBody<'putModelAlias'>,
      options?: RequestOptions,
    ) => send('putModelAlias', { params, body }, options),
    /** Delete a model alias. */
    deleteModelAlias: (params: PathParams<'deleteModelAlias'>, options?: RequestOptions) =>
      send('deleteModelAlias', { params }, options),
    /** Every model with the price in effect for the tenant, now or `at`. */
    listModelPrices: (query?: QueryParams<'listModelPrices'>, options?: RequestOptions) =>
      send('listModelPrices', query ? { query } : {}, options),
    /** Set the tenant's own price of a model from a moment on. */
    putModelPrice: (
      params: PathParams<'putModelPrice'>,
      body: RequestBody<'putModelPrice'>,
      options?: RequestOptions,
    ) => send('putModelPrice', { params, body }, options),
    /** Remove the tenant's own prices of a model. */
    deleteModelPrices: (params: PathParams<'deleteModelPrices'>, options?: RequestOptions) =>
      send('deleteModelPrices', { params }, options),
    /** Operator: the model catalog with every catalog price. */
    listCatalogModels: (options?: RequestOptions) => send('listCatalogModels', {}, options),
    /** Operator: add a model to the catalog or change its kind and context window. */
    putCatalogModel: (
      params: PathParams<'putCatalogModel'>,
      body: RequestBody<'putCatalogModel'>,
      options?: RequestOptions,
    ) => send('putCatalogModel', { params, body }, options),
    /** Operator: add a catalog price of a model from a moment on. */
    addCatalogPrice: (
      params: PathParams<'addCatalogPrice'>,
      body: RequestBody<'addCatalogPrice'>,
      options?: RequestOptions,
    ) => send('addCatalogPrice', { params, body }, options),
    /** A chat completion through the gateway (OpenAI-compatible; for streaming use the openai client). */
    createChatCompletion: (body: RequestBody<'createChatCompletion'>, options?: RequestOptions) =>
      send('createChatCompletion', { body }, options),
    /** Embeddings through the gateway (OpenAI-compatible). */
    createEmbeddings: (body: RequestBody<'createEmbeddings'>, options?: RequestOptions) =>
      send('createEmbeddings', { body }, options),
    /** The tenant's aliases and the models it can call. */
    listModels: (options?: RequestOptions) => send('listModels', {}, options),
    /** The tenant's gateway calls, newest first. */
    listLlmCalls: (query?: QueryParams<'listLlmCalls'>, options?: RequestOptions) =>
      send('listLlmCalls', query ? { query } : {}, options),
    /** The tenant's budgets, each with its current period: spent, leased and remaining. */
    listBudgets: (options?: RequestOptions) => send('listBudgets', {}, options),
    /** Create a hard or soft budget of the tenant, a workflow or an API key. */
    createBudget: (body: RequestBody<'createBudget'>, options?: RequestOptions) =>
      send('createBudget', { body }, options),
    /** A budget with its current period. */
    getBudget: (params: PathParams<'getBudget'>, options?: RequestOptions) =>
      send('getBudget', { params }, options),
    /** Change a budget's name, limit, kind or alert thresholds. */
    updateBudget: (
      params: PathParams<'updateBudget'>,
      body: RequestBody<'updateBudget'>,
      options?: RequestOptions,
    ) => send('updateBudget', { params, body }, options),
    /** Delete a budget. */
    deleteBudget: (params: PathParams<'deleteBudget'>, options?: RequestOptions) =>
      send('deleteBudget', { params }, options),
    /** The tenant's monthly statements, newest first, with status and totals. */
    listStatements: (options?: RequestOptions) => send('listStatements', {}, options),
    /**
     * A month's statement (YYYY-MM): the stored one once the month closed, else a live draft.
     * `{ format: 'csv' }` resolves to the CSV text instead (the same bytes once closed).
     */
    getStatement: <F extends 'json' | 'csv' = 'json'>(
      params: PathParams<'getStatement'>,
      query?: { format?: F },
      options?: RequestOptions,
    ): Promise<F extends 'csv' ? string : ResponseBody<'getStatement'>> =>
      send(
        'getStatement',
        query ? { params, query } : { params },
        options,
        query?.format === 'csv' ? 'text' : 'json',
      ) as Promise<never>,
    /** One page of the tenant's budget alerts, newest first; `paginate(client.listAlerts)` iterates over all. */
    listAlerts: (query?: QueryParams<'listAlerts'>, options?: RequestOptions) =>
      send('listAlerts', query ? { query } : {}, options),
    /** Mark an alert seen (the first acknowledgement is kept). */
    acknowledgeAlert: (params: PathParams<'acknowledgeAlert'>, options?: RequestOptions) =>
      send('acknowledgeAlert', { params }, options),
    /** The tenant's alert webhooks (fingerprints, never secrets). */
    listAlertWebhooks: (options?: RequestOptions) => send('listAlertWebhooks', {}, options),
    /** Add an alert webhook; its signing secret is in this answer only. */
    createAlertWebhook: (body: RequestBody<'createAlertWebhook'>, options?: RequestOptions) =>
      send('createAlertWebhook', { body }, options),
    /** An alert webhook and how its deliveries stand. */
    getAlertWebhook: (params: PathParams<'getAlertWebhook'>, options?: RequestOptions) =>
      send('getAlertWebhook', { params }, options),
    /** Delete an alert webhook; deliveries not made yet are dropped. */
    deleteAlertWebhook: (params: PathParams<'deleteAlertWebhook'>, options?: RequestOptions) =>
      send('deleteAlertWebhook', { params }, options),
    /** Each budget's spend this period and where it is heading (or one budget's, with `budgetId`). */
    getForecast: (query?: QueryParams<'getForecast'>, options?: RequestOptions) =>
      send('getForecast', query ? { query } : {}, options),
    /** The tenant's metered usage and spend over a range, by day, model, workflow, API key or pool. */
    getUsage: (query?: QueryParams<'getUsage'>, options?: RequestOptions) =>
      send('getUsage', query ? { query } : {}, options),
  } satisfies Record<OperationId, (...args: never[]) => Promise<unknown>>;
}

export type ShoalClient = ReturnType<typeof createShoalClient>;
