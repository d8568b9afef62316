import { z } from 'zod';
import {
  deleteTenantPrices,
  listModelPrices,
  putTenantPrice,
  type EffectivePrice,
} from '../../gateway/index.ts';
import { ModelParams, ModelPriceSchema, PriceBody, TenantPriceSchema } from '../gateway-schemas.ts';
import { tenantRoute, type ApiDeps } from '../route.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
/** The price without the model it is of (the list item names it). */
const priceOnly = ({ provider: _p, model: _m, kind: _k, ...price }: EffectivePrice) => price;
const modelRef = (params: { provider: string; model: string }) => `${params.provider}/${params.model}`;

export const modelPriceRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/model-prices',
    operationId: 'listModelPrices',
    auth: 'model_prices.read',
    tag: 'gateway',
    summary: 'Every model with the price in effect for the tenant',
    description:
      "The tenant's own price of a model wins over the catalog's; of each, the latest that started at or before " +
      '`at` applies. A model with neither is listed with `priced: false`: the gateway refuses it. ',
    query: z.strictObject({
      at: z.iso
        .datetime({ offset: true })
        .optional()
        .meta({ description: 'The moment to read the prices at (default: now)' }),
    }),
    success: {
      status: 200,
      schema: z.object({ at: z.iso.datetime(), data: z.array(ModelPriceSchema) }),
      description: 'The models, by provider and name',
    },
    handler: async ({ tx, principal, deps }, { query }) => {
      const at = query.at ? new Date(query.at) : nowOf(deps);
      const models = await listModelPrices(tx, principal.tenantId, at);
      return {
        body: {
          at: at.toISOString(),
          data: models.map(({ price, ...model }) => ({
            ...model,
            priced: price !== null,
            price: price ? priceOnly(price) : null,
          })),
        },
      };
    },
  }),
  tenantRoute({
    method: 'PUT',
    url: '/v1/model-prices/:provider/:model',
    operationId: 'putModelPrice',
    auth: 'model_prices.write',
    tag: 'gateway',
    summary: "Set the tenant's own price of a model from a moment on",
    description:
      'The price applies from `effectiveFrom` (default now) until a later one of the tenant starts, and wins over ' +
      'the catalog. A price starting at the same moment is replaced. Model names holding "/" cannot be addressed. ',
    params: ModelParams,
    body: PriceBody,
    success: {
      status: 200,
      schema: z.object({ price: TenantPriceSchema, replaced: z.boolean() }),
      description: 'The stored price; `replaced` when one starting at the same moment existed',
    },
    errors: [{ status: 404, description: 'No such model in the catalog (MODEL_NOT_FOUND)' }],
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const result = await putTenantPrice(tx, principal.tenantId, params, {
        effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : nowOf(deps),
        inputUsdPerMtok: body.inputUsdPerMtok,
        outputUsdPerMtok: body.outputUsdPerMtok,
        cachedInputUsdPerMtok: body.cachedInputUsdPerMtok,
      });
      const { provider: _p, model: _m, createdAt: _c, ...details } = result.price;
      return {
        afterCommit: () => deps.gateway?.invalidate(principal.tenantId),

        body: result,
        audit: {
          target: { type: 'model_price', id: modelRef(params) },
          details: { ...details, replaced: result.replaced },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/model-prices/:provider/:model',
    operationId: 'deleteModelPrices',
    auth: 'model_prices.write',
    tag: 'gateway',
    summary: "Remove the tenant's own prices of a model (the catalog's apply again)",
    params: ModelParams,
    success: { status: 204, schema: null, description: 'Removed' },
    errors: [
      {
        status: 404,
        description: 'The tenant has no price of its own for this model (PRICE_OVERRIDE_NOT_FOUND)',
      },
    ],
    handler: async ({ tx, principal, deps }, { params }) => {
      const removed = await deleteTenantPrices(tx, principal.tenantId, params);
      return {
        afterCommit: () => deps.gateway?.invalidate(principal.tenantId),

        audit: {
          target: { type: 'model_price', id: modelRef(params) },
          details: { removed: removed.map((p) => p.effectiveFrom) },
        },
      };
    },
  }),
];
