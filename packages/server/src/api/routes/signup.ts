import { z } from 'zod';
import { createTenantWithOwner } from '../../identity/index.ts';
import { ApiError } from '../errors.ts';
import { publicRoute } from '../route.ts';
import { Email, Name, Password, TenantSchema } from '../schemas.ts';

export const signupRoutes = [
  publicRoute({
    method: 'POST',
    url: '/v1/signup',
    operationId: 'signup',
    tag: 'tenant',
    summary: 'Create a tenant and its first owner',
    body: z.strictObject({ tenantName: Name, name: Name, email: Email, password: Password }),
    success: {
      status: 201,
      schema: z.object({ tenant: TenantSchema, user: z.object({ id: z.uuid(), email: z.string() }) }),
      description: 'Tenant created; log in with POST /v1/sessions',
    },
    handler: async ({ deps, meta }, { body }) => {
      if (!deps.config.SHOAL_SIGNUP_ENABLED) throw new ApiError('SIGNUP_DISABLED');
      const { tenant, userId } = await deps.db.systemTx((sys) =>
        createTenantWithOwner(
          sys,
          { tenantName: body.tenantName, email: body.email, name: body.name, password: body.password },
          meta,
        ),
      );
      return { body: { tenant, user: { id: userId, email: body.email } } };
    },
  }),
];
