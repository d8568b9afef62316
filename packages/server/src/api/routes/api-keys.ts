import { z } from 'zod';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../../identity/index.ts';
import { ApiError } from '../errors.ts';
import { tenantRoute } from '../route.ts';
import { ApiKeySchema, IdParams, listOf, Name, RoleSchema } from '../schemas.ts';

export const apiKeyRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/api-keys',
    operationId: 'listApiKeys',
    auth: 'api_keys.list',
    tag: 'api-keys',
    summary: 'List API keys (never their secrets)',
    success: { status: 200, schema: listOf(ApiKeySchema), description: 'API keys' },
    handler: async ({ tx }) => ({ body: { data: await listApiKeys(tx) } }),
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/api-keys/:id',
    operationId: 'getApiKey',
    auth: 'api_keys.read',
    tag: 'api-keys',
    summary: 'Read one API key',
    params: IdParams,
    success: { status: 200, schema: ApiKeySchema, description: 'The API key' },
    handler: async ({ tx }, { params }) => ({ body: await getApiKey(tx, params.id) }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/api-keys',
    operationId: 'createApiKey',
    auth: 'api_keys.create',
    tag: 'api-keys',
    summary: 'Create an API key; the secret is in this response only',
    body: z.strictObject({
      name: Name,
      role: RoleSchema,
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    }),
    success: {
      status: 201,
      schema: z.object({ apiKey: ApiKeySchema, secret: z.string().meta({ description: 'Shown once' }) }),
      description: 'The key and its secret',
    },
    handler: async ({ tx, principal }, { body }) => {
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new ApiError('VALIDATION_FAILED', 'expiresAt must be in the future', {
          issues: [{ path: 'body.expiresAt', code: 'too_small', message: 'must be in the future' }],
        });
      }
      const created = await createApiKey(tx, principal.tenantId, {
        name: body.name,
        role: body.role,
        expiresAt,
        createdBy: principal.actor,
        granterRole: principal.role,
      });
      return {
        body: created,
        audit: {
          target: { type: 'api_key', id: created.apiKey.id },
          details: { role: body.role, name: body.name },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/api-keys/:id',
    operationId: 'revokeApiKey',
    auth: 'api_keys.revoke',
    tag: 'api-keys',
    summary: 'Revoke an API key',
    params: IdParams,
    success: { status: 200, schema: ApiKeySchema, description: 'The revoked key' },
    handler: async ({ tx, principal, deps }, { params }) => {
      const key = await revokeApiKey(tx, principal, params.id);
      return {
        body: key,
        audit: { target: { type: 'api_key', id: key.id } },
        afterCommit: () => deps.apiKeys.forget(key.id),
      };
    },
  }),
];
