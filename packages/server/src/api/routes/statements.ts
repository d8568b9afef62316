import { z } from 'zod';
import {
  generateStatement,
  listStatements,
  renderStatementCsv,
  statementFileName,
} from '../../metering/index.ts';
import { MonthParams, StatementQuery, StatementSchema, StatementSummarySchema } from '../billing-schemas.ts';
import { tenantRoute, type ApiDeps, type RouteResult } from '../route.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
const unpriced = {
  status: 409,
  description: "The tenant's plan has no pricing for the month (PLAN_UNPRICED)",
};

export const statementRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/statements',
    operationId: 'listStatements',
    auth: 'statements.read',
    tag: 'metering',
    summary: "The tenant's monthly statements, newest first, with status and totals",
    description:
      'Every month from the tenant’s first to the current one (at most 120). Months that ended since the last ' +
      'look are closed and stored as they are listed. ',
    success: {
      status: 200,
      schema: z.object({ data: z.array(StatementSummarySchema) }),
      description: 'The months',
    },
    handler: async ({ tx, principal, deps }) => ({
      body: { data: await listStatements(tx, principal.tenantId, nowOf(deps)) },
    }),
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/statements/:month',
    operationId: 'getStatement',
    auth: 'statements.read',
    tag: 'metering',
    summary: "The tenant's statement of a month (YYYY-MM, its time zone), as JSON or CSV",
    description:
      'A closed month answers the bytes stored at its first generation, whatever arrived or changed since; the ' +
      'current month is a live draft (status open). `?format=csv` answers text/csv with the same line items. ',
    params: MonthParams,
    query: StatementQuery,
    success: { status: 200, schema: StatementSchema, description: 'The statement' },
    errors: [
      unpriced,
      {
        status: 422,
        description: 'The month has not begun in the tenant’s time zone (STATEMENT_MONTH_IN_FUTURE)',
      },
    ],
    handler: async ({ tx, principal, deps }, { params, query }): Promise<RouteResult> => {
      const { document, json } = await generateStatement(tx, principal.tenantId, params.month, nowOf(deps));
      if (query.format === 'csv')
        return {
          body: renderStatementCsv(document),
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${statementFileName(document, 'csv')}"`,
          },
        };
      return { body: json, headers: { 'content-type': 'application/json; charset=utf-8' } };
    },
  }),
];
