import { z } from 'zod';
import { getTenant, updateTenant } from '../../identity/index.ts';
import { assertTimeZoneChangeable } from '../../metering/index.ts';
import { tenantRoute } from '../route.ts';
import { Name, TenantSchema } from '../schemas.ts';

const TenantChange = z
  .strictObject({
    name: Name.optional(),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe(
        'IANA time zone name (e.g. Europe/Paris): where days and months of budgets, usage and statements begin',
      ),
  })
  .refine((body) => body.name !== undefined || body.timeZone !== undefined, {
    message: 'Give name, timeZone or both',
  });

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
    summary: 'Rename the tenant or change its time zone',
    description:
      'The time zone cuts the days and months of budgets, the usage report and statements; it cannot change ' +
      'while the tenant has daily or monthly budgets (409 TIME_ZONE_LOCKED). ',
    body: TenantChange,
    success: { status: 200, schema: TenantSchema, description: 'The updated tenant' },
    errors: [
      { status: 422, description: 'timeZone is not an IANA time zone name (TIME_ZONE_INVALID)' },
      { status: 409, description: 'The tenant has daily or monthly budgets (TIME_ZONE_LOCKED)' },
    ],
    handler: async ({ tx, principal }, { body }) => {
      const before = await getTenant(tx, principal.tenantId);
      const movesZone = body.timeZone !== undefined && body.timeZone !== before.timeZone;
      if (movesZone) await assertTimeZoneChangeable(tx);
      const tenant = await updateTenant(tx, principal.tenantId, body);
      const changed = (['name', 'timeZone'] as const).filter((field) => before[field] !== tenant[field]);
      return {
        body: tenant,
        audit: {
          target: { type: 'tenant', id: tenant.id },
          details: {
            changed,
            before: Object.fromEntries(changed.map((field) => [field, before[field]])),
            after: Object.fromEntries(changed.map((field) => [field, tenant[field]])),
          },
        },
      };
    },
  }),
];
