import { z } from 'zod';
import { actorRef } from '../../identity/index.ts';
import {
  deleteProviderKey,
  listProviderKeys,
  putProviderKey,
  SecretsError,
  type SecretBox,
} from '../../secrets/index.ts';
import type { ApiDeps } from '../route.ts';
import { tenantRoute } from '../route.ts';

const timestamp = z.iso.datetime();
/** The pattern of `llm_providers.name` (migration 0009). */
export const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const ProviderParams = z.strictObject({ provider: z.string().regex(PROVIDER_NAME) });

const fingerprint = z.string().meta({
  description: '`sha256:` and 12 hex digits of a hash of the key: tells keys apart, reveals nothing',
});

const ProviderKeySchema = z
  .object({ provider: z.string(), fingerprint, createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'ProviderKey' });

const PutProviderKeyBody = z.strictObject({
  apiKey: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^\S+$/, 'must not contain whitespace')
    .meta({ description: "The provider's API key; stored sealed, never returned" }),
});

const unavailable = { status: 503, description: 'No master key on this deployment (SECRETS_UNAVAILABLE)' };
const notFound = { status: 404, description: 'No enabled provider of this name (PROVIDER_NOT_FOUND)' };

function secretsOf(deps: ApiDeps): SecretBox {
  if (!deps.secrets) throw new SecretsError('SECRETS_UNAVAILABLE');
  return deps.secrets;
}

export const providerKeyRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/provider-keys',
    operationId: 'listProviderKeys',
    auth: 'provider_keys.read',
    tag: 'gateway',
    summary: "The tenant's own LLM provider keys (BYOK): provider and fingerprint, never the key",
    success: {
      status: 200,
      schema: z.object({ providerKeys: z.array(ProviderKeySchema) }).meta({ id: 'ProviderKeyList' }),
      description: 'The keys, by provider',
    },
    handler: async ({ tx }) => ({ body: { providerKeys: await listProviderKeys(tx) } }),
  }),
  tenantRoute({
    method: 'PUT',
    url: '/v1/provider-keys/:provider',
    operationId: 'putProviderKey',
    auth: 'provider_keys.write',
    tag: 'gateway',
    summary: "Set the tenant's key of a provider; the gateway uses it instead of any platform key",
    description:
      'Stored sealed by the tenant’s data key (docs/security.md); the answer and the audit log show ' +
      'only its fingerprint. 201 when the tenant had no key of this provider, 200 when it replaced one. ',
    params: ProviderParams,
    body: PutProviderKeyBody,
    success: { status: 201, schema: ProviderKeySchema, description: 'The stored key (200 when replaced)' },
    errors: [
      notFound,
      { status: 422, description: 'The simulated provider takes no key (PROVIDER_NEEDS_NO_KEY)' },
      unavailable,
    ],
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const { key, created } = await putProviderKey(tx, secretsOf(deps), principal.tenantId, {
        provider: params.provider,
        apiKey: body.apiKey,
        createdBy: actorRef(principal.actor),
      });
      return {
        afterCommit: () => deps.gateway?.invalidate(principal.tenantId),
        status: created ? 201 : 200,
        body: key,
        audit: {
          target: { type: 'provider_key', id: params.provider },
          details: { fingerprint: key.fingerprint, replaced: !created },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/provider-keys/:provider',
    operationId: 'deleteProviderKey',
    auth: 'provider_keys.write',
    tag: 'gateway',
    summary: "Delete the tenant's key of a provider; calls fall back to the platform key, if any",
    params: ProviderParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [{ status: 404, description: 'The tenant has no key of this provider (PROVIDER_KEY_NOT_FOUND)' }],
    handler: async ({ tx, principal, deps }, { params }) => {
      const deleted = await deleteProviderKey(tx, params.provider);
      if (!deleted)
        throw new SecretsError(
          'PROVIDER_KEY_NOT_FOUND',
          `The tenant has no key of provider ${params.provider}`,
        );
      return {
        afterCommit: () => deps.gateway?.invalidate(principal.tenantId),
        audit: {
          target: { type: 'provider_key', id: params.provider },
          details: { fingerprint: deleted.fingerprint },
        },
      };
    },
  }),
];
