import { listPlanPricing } from '../../metering/index.ts';
import { changePlanPricing } from '../plan-pricing-change.ts';
import { PlanPricingListSchema, PlanPricingSchema, SetPricingBody } from '../billing-schemas.ts';
import { operatorRoute, type ApiDeps } from '../route.ts';
import { PlanParams } from '../scheduling-schemas.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
const notFound = { status: 404, description: 'No plan with this name (PRICING_PLAN_NOT_FOUND)' };

export const operatorPlanPricingRoutes = [
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/plans/:name/pricing',
    operationId: 'listPlanPricing',
    tag: 'operator',
    summary: "A plan's pricing versions, newest first",
    params: PlanParams,
    success: { status: 200, schema: PlanPricingListSchema, description: 'The versions' },
    errors: [notFound],
    handler: async ({ sys }, { params }) => ({
      body: { plan: params.name, versions: await listPlanPricing(sys, params.name) },
    }),
  }),
  operatorRoute({
    method: 'PUT',
    url: '/v1/operator/plans/:name/pricing',
    operationId: 'setPlanPricing',
    tag: 'operator',
    summary: "Set a plan's pricing from a month on (replacing a version of the same month)",
    description:
      'Applies to statements of that month and later, until the next version; only a month that has not ended ' +
      'in any time zone. Recorded as `plan.pricing.set` in the audit log of every tenant on the plan. ',
    params: PlanParams,
    body: SetPricingBody,
    success: { status: 200, schema: PlanPricingSchema, description: 'The version set' },
    errors: [
      notFound,
      {
        status: 422,
        description:
          'Tier bounds not ascending (PRICING_TIERS_NOT_ASCENDING), an open tier before the last ' +
          '(PRICING_OPEN_TIER_NOT_LAST), a bounded last tier (PRICING_LAST_TIER_BOUNDED), or a month already ' +
          'ended somewhere (PRICING_MONTH_CLOSED)',
      },
    ],
    handler: async ({ sys, change, deps }, { params, body }) => ({
      body: await changePlanPricing(sys, params.name, body, nowOf(deps), change),
    }),
  }),
];
