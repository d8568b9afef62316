import { z } from 'zod';
import { forecastBudgets, recordForecastAlerts } from '../../metering/index.ts';
import { forecastBody, ForecastQuery, ForecastSchema } from '../alert-schemas.ts';
import { tenantRoute, type ApiDeps } from '../route.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();

export const forecastRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/forecast',
    operationId: 'getForecast',
    auth: 'budgets.read',
    tag: 'metering',
    summary: "Where each budget's spend is heading this period",
    description:
      'Per budget with a period open now (or the one of `budgetId`): spent so far, the daily rate weighted to ' +
      'recent days, the projected end-of-period spend and when the limit would be reached (docs/alerts.md). ' +
      'A projection over the limit with enough history fires the budget’s forecast alert, once per period. ',
    query: ForecastQuery,
    success: {
      status: 200,
      schema: z.object({ data: z.array(ForecastSchema) }),
      description: 'The forecasts, by budget name',
    },
    errors: [{ status: 404, description: 'The tenant has no budget with this id (BUDGET_NOT_FOUND)' }],
    handler: async ({ tx, deps }, { query }) => {
      const forecasts = await forecastBudgets(tx, nowOf(deps), { budgetId: query.budgetId });
      await recordForecastAlerts(tx, forecasts);
      return { body: { data: forecasts.map(forecastBody) } };
    },
  }),
];
