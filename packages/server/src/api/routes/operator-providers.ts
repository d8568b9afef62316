import { z } from 'zod';
import { PROVIDER_KINDS } from '../../gateway/index.ts';
import { deletePlatformProvider, listPlatformProviders, putPlatformProvider } from '../../secrets/index.ts';
import { operatorRoute } from '../route.ts';
import { PROVIDER_NAME } from './provider-keys.ts';

const timestamp = z.iso.datetime();
const NameParams = z.strictObject({ name: z.string().regex(PROVIDER_NAME) });

const PlatformProviderSchema = z
  .object({
    name: z.string(),
    kind: z.enum(PROVIDER_KINDS),
    baseUrl: z.string().nullable(),
    hasPlatformKey: z
      .boolean()
      .meta({ description: 'Tenants without a key of their own call this provider with the platform key' }),
    platformKeyFingerprint: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PlatformProvider' });

const PutPlatformProviderBody = z.strictObject({
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .optional()
    .meta({ description: 'Required unless kind is simulated' }),
  apiKey: z
    .string()
    .min(1)
    .max(4096)
    .regex(/^\S+$/, 'must not contain whitespace')
    .nullable()
    .optional()
    .meta({ description: 'The platform key, sealed by the master key; null removes it, absent keeps it' }),
  options: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'Timeouts; the simulated provider’s latency and error rate. Absent: kept' }),
  enabled: z.boolean().optional().meta({ description: 'Absent: kept (true for a new provider)' }),
});

const notFound = { status: 404, description: 'No provider of this name (PROVIDER_NOT_FOUND)' };

/**
 * Providers are platform configuration, not a tenant's: a change is logged (operator, request,
 * what changed, the key's fingerprint) rather than written into every tenant's audit chain, as
 * a new plan is. The cached catalog of this process is dropped after each change.
 */
export const operatorProviderRoutes = [
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/providers',
    operationId: 'listPlatformProviders',
    tag: 'operator',
    summary: 'The LLM providers, whether each has a platform key (its fingerprint, never the key)',
    success: {
      status: 200,
      schema: z.object({ providers: z.array(PlatformProviderSchema) }).meta({ id: 'PlatformProviderList' }),
      description: 'The providers, by name',
    },
    handler: async ({ sys }) => ({ body: { providers: await listPlatformProviders(sys) } }),
  }),
  operatorRoute({
    method: 'PUT',
    url: '/v1/operator/providers/:name',
    operationId: 'putPlatformProvider',
    tag: 'operator',
    summary: 'Create or change an LLM provider and its platform-wide API key',
    description:
      '`kind` and `baseUrl` are always sent; `apiKey`, `options` and `enabled` keep their values when ' +
      'absent. Applies to every tenant at once; logged, not written into tenants’ audit logs. ',
    params: NameParams,
    body: PutPlatformProviderBody,
    success: {
      status: 201,
      schema: PlatformProviderSchema,
      description: 'The provider (200 when it existed)',
    },
    errors: [
      {
        status: 422,
        description:
          'No http(s) baseUrl for an openai or anthropic provider (PROVIDER_INVALID), or a key for a simulated one (PROVIDER_NEEDS_NO_KEY)',
      },
      { status: 503, description: 'A platform key needs a master key (SECRETS_UNAVAILABLE)' },
    ],
    handler: async ({ sys, deps, change }, { params, body }) => {
      const result = await putPlatformProvider(sys, deps.secrets ?? null, params.name, body);
      deps.logger.info(
        {
          provider: params.name,
          created: result.created,
          changed: result.changed,
          platformKey: result.platformKey,
          platformKeyFingerprint: result.provider.platformKeyFingerprint,
          actor: change.actor,
          requestId: change.requestId,
        },
        result.created ? 'operator created an LLM provider' : 'operator changed an LLM provider',
      );
      return {
        afterCommit: () => deps.gateway?.invalidate(null),
        status: result.created ? 201 : 200,
        body: result.provider,
      };
    },
  }),
  operatorRoute({
    method: 'DELETE',
    url: '/v1/operator/providers/:name',
    operationId: 'deletePlatformProvider',
    tag: 'operator',
    summary: 'Delete an LLM provider with its models, prices and every tenant’s key of it',
    description:
      'Irreversible: tenants’ keys of the provider are deleted with it. `"enabled": false` stops its use ' +
      'and can be undone. The built-in simulated provider cannot be deleted. ',
    params: NameParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [notFound, { status: 409, description: 'The simulated provider is built in (PROVIDER_BUILTIN)' }],
    handler: async ({ sys, deps, change }, { params }) => {
      const deleted = await deletePlatformProvider(sys, params.name);
      deps.logger.warn(
        {
          provider: deleted.name,
          kind: deleted.kind,
          actor: change.actor,
          requestId: change.requestId,
        },
        "operator deleted an LLM provider, its models and tenants' keys of it",
      );
      return { afterCommit: () => deps.gateway?.invalidate(null) };
    },
  }),
];
