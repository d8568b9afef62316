import { z } from 'zod';
import { AliasSpecSchema, deleteAlias, getAlias, listAliases, putAlias } from '../../gateway/index.ts';
import { AliasNameParams, AliasWarningSchema, ModelAliasSchema } from '../gateway-schemas.ts';
import { tenantRoute, type ApiDeps } from '../route.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
const notFound = { status: 404, description: 'The tenant has no alias of this name (ALIAS_NOT_FOUND)' };

export const modelAliasRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/model-aliases',
    operationId: 'listModelAliases',
    auth: 'model_aliases.read',
    tag: 'gateway',
    summary: "The tenant's model aliases, by name",
    success: {
      status: 200,
      schema: z.object({ data: z.array(ModelAliasSchema) }),
      description: 'The aliases',
    },
    handler: async ({ tx }) => ({ body: { data: await listAliases(tx) } }),
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/model-aliases/:name',
    operationId: 'getModelAlias',
    auth: 'model_aliases.read',
    tag: 'gateway',
    summary: 'A model alias',
    params: AliasNameParams,
    success: { status: 200, schema: ModelAliasSchema, description: 'The alias' },
    errors: [notFound],
    handler: async ({ tx }, { params }) => ({ body: await getAlias(tx, params.name) }),
  }),
  tenantRoute({
    method: 'PUT',
    url: '/v1/model-aliases/:name',
    operationId: 'putModelAlias',
    auth: 'model_aliases.write',
    tag: 'gateway',
    summary: 'Create a model alias or replace its spec',
    description:
      'Answers 201 when the alias is new, 200 when it existed: `changed` false (and the version kept) when the ' +
      'spec equals the stored one. Every candidate must be a model of the catalog; one without a price in ' +
      'effect is accepted (the gateway skips it until it is priced) and listed in `warnings`. ',
    params: AliasNameParams,
    body: AliasSpecSchema,
    success: {
      status: 201,
      schema: z.object({
        alias: ModelAliasSchema,
        created: z.boolean(),
        changed: z.boolean(),
        warnings: z.array(AliasWarningSchema),
      }),
      description: 'The alias as stored (201 created; 200 replaced or unchanged)',
    },
    errors: [
      {
        status: 422,
        description:
          'A candidate is not in the model catalog (ALIAS_UNKNOWN_MODEL), or the candidates mix chat and ' +
          'embedding models (ALIAS_MIXED_KINDS)',
      },
    ],
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const result = await putAlias(tx, principal.tenantId, params.name, body, nowOf(deps));
      return {
        ...(result.changed ? { afterCommit: () => deps.gateway?.invalidate(principal.tenantId) } : {}),

        body: result,
        status: result.created ? 201 : 200,
        audit: {
          target: { type: 'model_alias', id: params.name },
          details: {
            created: result.created,
            changed: result.changed,
            version: result.alias.version,
            candidates: result.alias.spec.candidates.map((c) => c.model),
          },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/model-aliases/:name',
    operationId: 'deleteModelAlias',
    auth: 'model_aliases.write',
    tag: 'gateway',
    summary: 'Delete a model alias',
    description: 'Calls naming the alias fail with MODEL_NOT_FOUND from then on. ',
    params: AliasNameParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [notFound],
    handler: async ({ tx, principal, deps }, { params }) => {
      const alias = await deleteAlias(tx, params.name);
      return {
        afterCommit: () => deps.gateway?.invalidate(principal.tenantId),

        audit: { target: { type: 'model_alias', id: alias.name }, details: { version: alias.version } },
      };
    },
  }),
];
