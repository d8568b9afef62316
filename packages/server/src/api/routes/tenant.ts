import { z } from 'zod';
import { getTenant, renameTenant } from '../../identity/index.ts';
import { tenantRoute } from '../route.ts';
import { Name, TenantSchema } from '../schemas.ts';

export const tenantRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/tenant',
    operationId: 'getTenant',
    auth: 'tenant.read',
    tag: 'tenant',
    summary: "The caller's tenant",
    success: { status: 200, schema: TenantSchema, description: 'The tenant' },
    handler: async ({ tx, principal }) => ({ body: await getTenant(tx, principal.tenantId) }),
  }),
  tenantRoute({
    method: 'PATCH',
    url: '/v1/tenant',
    operationId: 'updateTenant',
    auth: 'tenant.update',
    tag: 'tenant',
    summary: 'Rename the tenant',
    body: z.strictObject({ name: Name }),
    success: { status: 200, schema: TenantSchema, description: 'The updated tenant' },
    handler: async ({ tx, principal }, { body }) => {
      const before = await getTenant(tx, principal.tenantId);
      const tenant = await renameTenant(tx, principal.tenantId, body.name);
      return {
        body: tenant,
        audit: { target: { type: 'tenant', id: tenant.id }, details: { from: before.name, to: tenant.name } },
      };
    },
  }),
];
