import type { AnyRoute } from '../route.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { auditRoutes } from './audit.ts';
import { healthRoutes } from './health.ts';
import { inviteRoutes } from './invites.ts';
import { memberRoutes } from './members.ts';
import { runRoutes } from './runs.ts';
import { taskRoutes } from './tasks.ts';
import { sessionRoutes } from './sessions.ts';
import { signupRoutes } from './signup.ts';
import { tenantRoutes } from './tenant.ts';
import { workflowRoutes } from './workflows.ts';
import { webhookRoutes } from './webhooks.ts';
import { scheduleRoutes } from './schedules.ts';
import { eventRoutes } from './events.ts';
import { usageRoutes } from './usage.ts';
import { llmRoutes } from './llm.ts';
import { operatorPlanRoutes } from './operator-plans.ts';
import { operatorTenantRoutes } from './operator-tenants.ts';
import { modelAliasRoutes } from './model-aliases.ts';
import { modelPriceRoutes } from './model-prices.ts';
import { operatorModelRoutes } from './operator-models.ts';
import { providerKeyRoutes } from './provider-keys.ts';
import { operatorProviderRoutes } from './operator-providers.ts';
import { budgetRoutes } from './budgets.ts';
import { alertRoutes } from './alerts.ts';
import { forecastRoutes } from './forecast.ts';
import { statementRoutes } from './statements.ts';
import { operatorPlanPricingRoutes } from './operator-plan-pricing.ts';
import { usageReportRoutes } from './usage-report.ts';
import { observabilityRoutes } from './observability.ts';

/** The route table: the server, the OpenAPI document and the route-walking tests all read it. */
export const ROUTES: readonly AnyRoute[] = [
  ...healthRoutes,
  ...signupRoutes,
  ...sessionRoutes,
  ...tenantRoutes,
  ...memberRoutes,
  ...inviteRoutes,
  ...apiKeyRoutes,
  ...auditRoutes,
  ...workflowRoutes,
  ...runRoutes,
  ...webhookRoutes,
  ...scheduleRoutes,
  ...eventRoutes,
  ...taskRoutes,
  ...usageRoutes,
  ...llmRoutes,
  ...operatorPlanRoutes,
  ...operatorTenantRoutes,
  ...providerKeyRoutes,
  ...operatorProviderRoutes,
  ...modelAliasRoutes,
  ...modelPriceRoutes,
  ...operatorModelRoutes,
  ...budgetRoutes,
  ...alertRoutes,
  ...forecastRoutes,
  ...statementRoutes,
  ...operatorPlanPricingRoutes,
  ...usageReportRoutes,
  ...observabilityRoutes,
];
