import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { publicRoute } from '../route.ts';

export const healthRoutes = [
  publicRoute({
    method: 'GET',
    url: '/healthz',
    operationId: 'health',
    tag: 'health',
    summary: 'Liveness: the process is up',
    success: { status: 200, schema: z.object({ status: z.literal('ok') }), description: 'Alive' },
    handler: async () => ({ body: { status: 'ok' } }),
  }),
  publicRoute({
    method: 'GET',
    url: '/readyz',
    operationId: 'ready',
    tag: 'health',
    summary: 'Readiness: the database answers',
    success: { status: 200, schema: z.object({ status: z.literal('ready') }), description: 'Ready' },
    handler: async ({ deps }) => {
      try {
        await deps.db.systemTx((tx) => tx.query('select 1'));
      } catch (error) {
        throw new ApiError('SERVICE_UNAVAILABLE', 'Database is unavailable', undefined, undefined, {
          cause: error,
        });
      }
      return { body: { status: 'ready' } };
    },
  }),
];
