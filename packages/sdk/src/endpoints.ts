/**
 * Generated from the server's route table by `npm run sdk:generate`; do not edit.
 * Source: docs/openapi.json (packages/sdk/scripts/generate.ts).
 */
import type { Endpoint, OperationId } from './types.ts';

/** Method and path template of every operation, by operationId. */
export const ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/healthz',
  },
  ready: {
    method: 'GET',
    path: '/readyz',
  },
  signup: {
    method: 'POST',
    path: '/v1/signup',
  },
  login: {
    method: 'POST',
    path: '/v1/sessions',
  },
  getMe: {
    method: 'GET',
    path: '/v1/me',
  },
  logout: {
    method: 'DELETE',
    path: '/v1/sessions/current',
  },
  getTenant: {
    method: 'GET',
    path: '/v1/tenant',
  },
  updateTenant: {
    method: 'PATCH',
    path: '/v1/tenant',
  },
  listMembers: {
    method: 'GET',
    path: '/v1/members',
  },
  updateMember: {
    method: 'PATCH',
    path: '/v1/members/{userId}',
  },
  removeMember: {
    method: 'DELETE',
    path: '/v1/members/{userId}',
  },
  listInvites: {
    method: 'GET',
    path: '/v1/invites',
  },
  createInvite: {
    method: 'POST',
    path: '/v1/invites',
  },
  revokeInvite: {
    method: 'DELETE',
    path: '/v1/invites/{id}',
  },
  acceptInvite: {
    method: 'POST',
    path: '/v1/invites/accept',
  },
  listApiKeys: {
    method: 'GET',
    path: '/v1/api-keys',
  },
  createApiKey: {
    method: 'POST',
    path: '/v1/api-keys',
  },
  getApiKey: {
    method: 'GET',
    path: '/v1/api-keys/{id}',
  },
  revokeApiKey: {
    method: 'DELETE',
    path: '/v1/api-keys/{id}',
  },
  listAuditEvents: {
    method: 'GET',
    path: '/v1/audit-events',
  },
  verifyAuditChain: {
    method: 'POST',
    path: '/v1/audit-events/verify',
  },
  listWorkflows: {
    method: 'GET',
    path: '/v1/workflows',
  },
  publishWorkflow: {
    method: 'POST',
    path: '/v1/workflows',
  },
  getWorkflow: {
    method: 'GET',
    path: '/v1/workflows/{name}',
  },
  listWorkflowVersions: {
    method: 'GET',
    path: '/v1/workflows/{name}/versions',
  },
  getWorkflowVersion: {
    method: 'GET',
    path: '/v1/workflows/{name}/versions/{version}',
  },
  diffWorkflowVersions: {
    method: 'GET',
    path: '/v1/workflows/{name}/diff',
  },
  archiveWorkflow: {
    method: 'POST',
    path: '/v1/workflows/{name}/archive',
  },
  startRun: {
    method: 'POST',
    path: '/v1/workflows/{name}/runs',
  },
  listRuns: {
    method: 'GET',
    path: '/v1/runs',
  },
  getRun: {
    method: 'GET',
    path: '/v1/runs/{id}',
  },
  cancelRun: {
    method: 'POST',
    path: '/v1/runs/{id}/cancel',
  },
  decideApproval: {
    method: 'POST',
    path: '/v1/runs/{id}/steps/{stepKey}/decision',
  },
  retryRun: {
    method: 'POST',
    path: '/v1/runs/{id}/retry',
  },
  getWebhook: {
    method: 'GET',
    path: '/v1/workflows/{name}/webhook',
  },
  enableWebhook: {
    method: 'POST',
    path: '/v1/workflows/{name}/webhook',
  },
  disableWebhook: {
    method: 'DELETE',
    path: '/v1/workflows/{name}/webhook',
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: '/v1/workflows/{name}/webhook/rotate',
  },
  deliverWebhook: {
    method: 'POST',
    path: '/v1/hooks/{webhookId}',
  },
  listSchedules: {
    method: 'GET',
    path: '/v1/schedules',
  },
  createSchedule: {
    method: 'POST',
    path: '/v1/schedules',
  },
  getSchedule: {
    method: 'GET',
    path: '/v1/schedules/{id}',
  },
  updateSchedule: {
    method: 'PATCH',
    path: '/v1/schedules/{id}',
  },
  deleteSchedule: {
    method: 'DELETE',
    path: '/v1/schedules/{id}',
  },
  listEvents: {
    method: 'GET',
    path: '/v1/events',
  },
  sendEvent: {
    method: 'POST',
    path: '/v1/events',
  },
  getEvent: {
    method: 'GET',
    path: '/v1/events/{id}',
  },
  pollTask: {
    method: 'POST',
    path: '/v1/task-queues/{queue}/poll',
  },
  heartbeatTask: {
    method: 'POST',
    path: '/v1/tasks/{id}/heartbeat',
  },
  completeTask: {
    method: 'POST',
    path: '/v1/tasks/{id}/complete',
  },
  failTask: {
    method: 'POST',
    path: '/v1/tasks/{id}/fail',
  },
  getLiveUsage: {
    method: 'GET',
    path: '/v1/tenant/usage/live',
  },
  createChatCompletion: {
    method: 'POST',
    path: '/v1/chat/completions',
  },
  createEmbeddings: {
    method: 'POST',
    path: '/v1/embeddings',
  },
  listModels: {
    method: 'GET',
    path: '/v1/models',
  },
  listLlmCalls: {
    method: 'GET',
    path: '/v1/llm-calls',
  },
  listPlans: {
    method: 'GET',
    path: '/v1/operator/plans',
  },
  createPlan: {
    method: 'POST',
    path: '/v1/operator/plans',
  },
  getPlan: {
    method: 'GET',
    path: '/v1/operator/plans/{name}',
  },
  updatePlan: {
    method: 'PATCH',
    path: '/v1/operator/plans/{name}',
  },
  deletePlan: {
    method: 'DELETE',
    path: '/v1/operator/plans/{name}',
  },
  getTenantLimits: {
    method: 'GET',
    path: '/v1/operator/tenants/{tenantId}/limits',
  },
  updateTenantLimits: {
    method: 'PATCH',
    path: '/v1/operator/tenants/{tenantId}/limits',
  },
  changeTenantPlan: {
    method: 'PUT',
    path: '/v1/operator/tenants/{tenantId}/plan',
  },
  listLiveUsage: {
    method: 'GET',
    path: '/v1/operator/usage/live',
  },
  listPools: {
    method: 'GET',
    path: '/v1/operator/pools',
  },
  listProviderKeys: {
    method: 'GET',
    path: '/v1/provider-keys',
  },
  putProviderKey: {
    method: 'PUT',
    path: '/v1/provider-keys/{provider}',
  },
  deleteProviderKey: {
    method: 'DELETE',
    path: '/v1/provider-keys/{provider}',
  },
  listPlatformProviders: {
    method: 'GET',
    path: '/v1/operator/providers',
  },
  putPlatformProvider: {
    method: 'PUT',
    path: '/v1/operator/providers/{name}',
  },
  deletePlatformProvider: {
    method: 'DELETE',
    path: '/v1/operator/providers/{name}',
  },
  listModelAliases: {
    method: 'GET',
    path: '/v1/model-aliases',
  },
  getModelAlias: {
    method: 'GET',
    path: '/v1/model-aliases/{name}',
  },
  putModelAlias: {
    method: 'PUT',
    path: '/v1/model-aliases/{name}',
  },
  deleteModelAlias: {
    method: 'DELETE',
    path: '/v1/model-aliases/{name}',
  },
  listModelPrices: {
    method: 'GET',
    path: '/v1/model-prices',
  },
  putModelPrice: {
    method: 'PUT',
    path: '/v1/model-prices/{provider}/{model}',
  },
  deleteModelPrices: {
    method: 'DELETE',
    path: '/v1/model-prices/{provider}/{model}',
  },
  listCatalogModels: {
    method: 'GET',
    path: '/v1/operator/models',
  },
  putCatalogModel: {
    method: 'PUT',
    path: '/v1/operator/models/{provider}/{model}',
  },
  addCatalogPrice: {
    method: 'POST',
    path: '/v1/operator/models/{provider}/{model}/prices',
  },
  listBudgets: {
    method: 'GET',
    path: '/v1/budgets',
  },
  createBudget: {
    method: 'POST',
    path: '/v1/budgets',
  },
  getBudget: {
    method: 'GET',
    path: '/v1/budgets/{id}',
  },
  updateBudget: {
    method: 'PATCH',
    path: '/v1/budgets/{id}',
  },
  deleteBudget: {
    method: 'DELETE',
    path: '/v1/budgets/{id}',
  },
  listAlerts: {
    method: 'GET',
    path: '/v1/alerts',
  },
  acknowledgeAlert: {
    method: 'POST',
    path: '/v1/alerts/{id}/acknowledge',
  },
  listAlertWebhooks: {
    method: 'GET',
    path: '/v1/alert-webhooks',
  },
  createAlertWebhook: {
    method: 'POST',
    path: '/v1/alert-webhooks',
  },
  getAlertWebhook: {
    method: 'GET',
    path: '/v1/alert-webhooks/{id}',
  },
  deleteAlertWebhook: {
    method: 'DELETE',
    path: '/v1/alert-webhooks/{id}',
  },
  getForecast: {
    method: 'GET',
    path: '/v1/forecast',
  },
  listStatements: {
    method: 'GET',
    path: '/v1/statements',
  },
  getStatement: {
    method: 'GET',
    path: '/v1/statements/{month}',
  },
  listPlanPricing: {
    method: 'GET',
    path: '/v1/operator/plans/{name}/pricing',
  },
  setPlanPricing: {
    method: 'PUT',
    path: '/v1/operator/plans/{name}/pricing',
  },
  getUsage: {
    method: 'GET',
    path: '/v1/usage',
  },
  getTenantObservability: {
    method: 'GET',
    path: '/v1/tenant/observability',
  },
} as const satisfies Record<OperationId, Endpoint>;
