import { z } from 'zod';
import {
  changeTenantPlan,
  getTenantLimits,
  readLiveUsage,
  readPoolHealth,
  updateTenantOverrides,
} from '../../scheduling/index.ts';
import { operatorRoute } from '../route.ts';
import {
  ChangePlanBody,
  LiveUsageSchema,
  PoolHealthSchema,
  TenantIdParams,
  TenantLimitsSchema,
  UpdateLimitsBody,
} from '../scheduling-schemas.ts';

const tenantNotFound = { status: 404, description: 'No tenant with this id (TENANT_NOT_FOUND)' };

export const operatorTenantRoutes = [
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/tenants/:tenantId/limits',
    operationId: 'getTenantLimits',
    tag: 'operator',
    summary: "A tenant's plan, overrides, pool and effective limits",
    params: TenantIdParams,
    success: { status: 200, schema: TenantLimitsSchema, description: "The tenant's limits" },
    errors: [tenantNotFound],
    handler: async ({ sys }, { params }) => ({ body: await getTenantLimits(sys, params.tenantId) }),
  }),
  operatorRoute({
    method: 'PUT',
    url: '/v1/operator/tenants/:tenantId/plan',
    operationId: 'changeTenantPlan',
    tag: 'operator',
    summary: "Move a tenant to another plan (audited in the tenant's log as tenant.plan.change)",
    params: TenantIdParams,
    body: ChangePlanBody,
    success: { status: 200, schema: TenantLimitsSchema, description: "The tenant's limits on the new plan" },
    errors: [tenantNotFound, { status: 404, description: 'No plan with this name (PLAN_NOT_FOUND)' }],
    handler: async ({ sys, change }, { params, body }) => ({
      body: await changeTenantPlan(sys, params.tenantId, body.plan, change),
    }),
  }),
  operatorRoute({
    method: 'PATCH',
    url: '/v1/operator/tenants/:tenantId/limits',
    operationId: 'updateTenantLimits',
    tag: 'operator',
    summary: "Set or clear (null) single-limit overrides and the tenant's worker pool",
    description:
      "A number overrides the plan's limit, null goes back to it; `pool` null goes back to `shared`. " +
      "Recorded in the tenant's audit log as tenant.limits.update. ",
    params: TenantIdParams,
    body: UpdateLimitsBody,
    success: { status: 200, schema: TenantLimitsSchema, description: "The tenant's limits" },
    errors: [tenantNotFound],
    handler: async ({ sys, change }, { params, body }) => ({
      body: await updateTenantOverrides(sys, params.tenantId, body, change),
    }),
  }),
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/usage/live',
    operationId: 'listLiveUsage',
    tag: 'operator',
    summary: 'Live usage of every tenant: queue depth, running steps, wait times, quotas used',
    success: {
      status: 200,
      schema: z.object({ tenants: z.array(LiveUsageSchema) }),
      description: 'One entry per tenant',
    },
    handler: async ({ sys, deps }) => ({
      body: {
        tenants: await readLiveUsage(sys, { tenantId: null, liveWithinMs: deps.config.SHOAL_WORKER_LIVE_MS }),
      },
    }),
  }),
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/pools',
    operationId: 'listPools',
    tag: 'operator',
    summary: 'Worker pools in use with their live workers; an unserved pool is reported, not failed',
    success: {
      status: 200,
      schema: z.object({ pools: z.array(PoolHealthSchema) }),
      description: 'Every pool in use',
    },
    handler: async ({ sys, deps }) => ({
      body: { pools: await readPoolHealth(sys, deps.config.SHOAL_WORKER_LIVE_MS) },
    }),
  }),
];
