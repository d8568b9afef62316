import { z } from 'zod';
import { createPlan, deletePlan, getPlan, listPlans, updatePlan } from '../../scheduling/index.ts';
import { operatorRoute } from '../route.ts';
import { CreatePlanBody, PlanParams, PlanSchema, UpdatePlanBody } from '../scheduling-schemas.ts';

const planErrors = {
  notFound: { status: 404, description: 'No plan with this name (PLAN_NOT_FOUND)' },
  invalid: {
    status: 422,
    description: 'Burst ceiling below guaranteed concurrency, or a limit out of range (LIMITS_INVALID)',
  },
};

export const operatorPlanRoutes = [
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/plans',
    operationId: 'listPlans',
    tag: 'operator',
    summary: 'The plan catalogue, with the number of tenants on each plan',
    success: { status: 200, schema: z.object({ plans: z.array(PlanSchema) }), description: 'The plans' },
    handler: async ({ sys }) => ({ body: { plans: await listPlans(sys) } }),
  }),
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/plans/:name',
    operationId: 'getPlan',
    tag: 'operator',
    summary: 'A plan',
    params: PlanParams,
    success: { status: 200, schema: PlanSchema, description: 'The plan' },
    errors: [planErrors.notFound],
    handler: async ({ sys }, { params }) => ({ body: await getPlan(sys, params.name) }),
  }),
  operatorRoute({
    method: 'POST',
    url: '/v1/operator/plans',
    operationId: 'createPlan',
    tag: 'operator',
    summary: 'Add a custom plan',
    description: 'Every limit is required. No tenant is on a new plan, so no audit chain records it. ',
    body: CreatePlanBody,
    success: { status: 201, schema: PlanSchema, description: 'The new plan' },
    errors: [{ status: 409, description: 'A plan with this name exists (PLAN_EXISTS)' }, planErrors.invalid],
    handler: async ({ sys, deps }, { body }) => {
      const { name, ...limits } = body;
      const plan = await createPlan(sys, name, limits);
      deps.logger.info({ plan: name }, 'operator created a plan');
      return { body: plan };
    },
  }),
  operatorRoute({
    method: 'PATCH',
    url: '/v1/operator/plans/:name',
    operationId: 'updatePlan',
    tag: 'operator',
    summary: "Change some of a plan's limits (built-in plans too)",
    description:
      'Applies at once to every tenant on the plan, and is recorded as `plan.update` in each one’s audit log. ',
    params: PlanParams,
    body: UpdatePlanBody,
    success: { status: 200, schema: PlanSchema, description: 'The updated plan' },
    errors: [planErrors.notFound, planErrors.invalid],
    handler: async ({ sys, change }, { params, body }) => ({
      body: await updatePlan(sys, params.name, body, change),
    }),
  }),
  operatorRoute({
    method: 'DELETE',
    url: '/v1/operator/plans/:name',
    operationId: 'deletePlan',
    tag: 'operator',
    summary: 'Delete a custom plan nobody is on',
    params: PlanParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [
      planErrors.notFound,
      {
        status: 409,
        description: 'A built-in plan (PLAN_BUILTIN), or tenants are on it (PLAN_IN_USE)',
      },
    ],
    handler: async ({ sys, deps }, { params }) => {
      await deletePlan(sys, params.name);
      deps.logger.info({ plan: params.name }, 'operator deleted a plan');
      return {};
    },
  }),
];
