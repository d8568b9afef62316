import { z } from 'zod';
import { createBudget, deleteBudget, getBudget, listBudgets, updateBudget } from '../../metering/index.ts';
import { budgetBody, BudgetSchema, CreateBudgetBody, UpdateBudgetBody } from '../metering-schemas.ts';
import { tenantRoute, type ApiDeps } from '../route.ts';
import { IdParams } from '../schemas.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
const notFound = { status: 404, description: 'The tenant has no budget with this id (BUDGET_NOT_FOUND)' };
const nameTaken = { status: 409, description: 'The tenant has a budget of this name (BUDGET_NAME_TAKEN)' };

/** After a change commits, this process's escrow reads the tenant's budgets afresh (ADR 0007). */
const invalidateOf = (deps: ApiDeps, tenantId: string) => () => deps.budgets?.invalidate(tenantId);

export const budgetRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/budgets',
    operationId: 'listBudgets',
    auth: 'budgets.read',
    tag: 'metering',
    summary: "The tenant's budgets, by name, each with its current period",
    success: {
      status: 200,
      schema: z.object({ data: z.array(BudgetSchema) }),
      description: 'The budgets',
    },
    handler: async ({ tx, deps }) => ({
      body: { data: (await listBudgets(tx, nowOf(deps))).map(budgetBody) },
    }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/budgets',
    operationId: 'createBudget',
    auth: 'budgets.write',
    tag: 'metering',
    summary: 'Create a budget of the tenant, a workflow or an API key',
    description:
      'A hard budget refuses a gateway call whose worst-case cost it cannot cover (402 BUDGET_EXCEEDED); a soft ' +
      'one only counts. A budget counts spend recorded after it was created. ',
    body: CreateBudgetBody,
    success: { status: 201, schema: BudgetSchema, description: 'The budget with its current period' },
    errors: [
      nameTaken,
      {
        status: 422,
        description: 'The workflow or API key of scopeId is not in this tenant (BUDGET_SCOPE_NOT_FOUND)',
      },
    ],
    handler: async ({ tx, principal, deps }, { body }) => {
      const { limitUsd, ...rest } = body;
      const budget = await createBudget(
        tx,
        principal.tenantId,
        { ...rest, limitMicroUsd: limitUsd },
        nowOf(deps),
      );
      return {
        body: budgetBody(budget),
        afterCommit: invalidateOf(deps, principal.tenantId),
        audit: {
          target: { type: 'budget', id: budget.id },
          details: {
            name: budget.name,
            scope: budget.scope,
            scopeId: budget.scopeId,
            period: budget.period,
            kind: budget.kind,
            limitMicroUsd: budget.limitMicroUsd,
          },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/budgets/:id',
    operationId: 'getBudget',
    auth: 'budgets.read',
    tag: 'metering',
    summary: 'A budget with its current period',
    params: IdParams,
    success: { status: 200, schema: BudgetSchema, description: 'The budget' },
    errors: [notFound],
    handler: async ({ tx, deps }, { params }) => ({
      body: budgetBody(await getBudget(tx, params.id, nowOf(deps))),
    }),
  }),
  tenantRoute({
    method: 'PATCH',
    url: '/v1/budgets/:id',
    operationId: 'updateBudget',
    auth: 'budgets.write',
    tag: 'metering',
    summary: "Change a budget's name, limit, kind or alert thresholds",
    description:
      'Scope and period stay what they are. A lower limit applies to new grants at once; slices processes ' +
      'already hold are returned when idle or expired (docs/adr/0007-metering.md). ',
    params: IdParams,
    body: UpdateBudgetBody,
    success: { status: 200, schema: BudgetSchema, description: 'The budget as changed' },
    errors: [notFound, nameTaken],
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const { limitUsd, ...rest } = body;
      const { before, after } = await updateBudget(
        tx,
        params.id,
        { ...rest, ...(limitUsd === undefined ? {} : { limitMicroUsd: limitUsd }) },
        nowOf(deps),
      );
      const changed = (['name', 'limitMicroUsd', 'kind', 'alertThresholds'] as const).filter(
        (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
      );
      return {
        body: budgetBody(after),
        afterCommit: invalidateOf(deps, principal.tenantId),
        audit: {
          target: { type: 'budget', id: after.id },
          details: {
            changed,
            before: Object.fromEntries(changed.map((field) => [field, before[field]])),
            after: Object.fromEntries(changed.map((field) => [field, after[field]])),
          },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/budgets/:id',
    operationId: 'deleteBudget',
    auth: 'budgets.write',
    tag: 'metering',
    summary: 'Delete a budget with its periods and leases',
    description: 'Calls it covered are no longer checked against it. ',
    params: IdParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [notFound],
    handler: async ({ tx, principal, deps }, { params }) => {
      const budget = await deleteBudget(tx, params.id, nowOf(deps));
      return {
        afterCommit: invalidateOf(deps, principal.tenantId),
        audit: {
          target: { type: 'budget', id: budget.id },
          details: { name: budget.name, spentMicroUsd: budget.current?.spentMicroUsd ?? 0 },
        },
      };
    },
  }),
];
