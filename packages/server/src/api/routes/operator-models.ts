import { z } from 'zod';
import {
  addCatalogPrice,
  listCatalogPrices,
  listCatalogModels,
  putCatalogModel,
} from '../../gateway/index.ts';
import {
  CatalogModelSchema,
  CatalogPriceSchema,
  ModelParams,
  PriceBody,
  PutModelBody,
} from '../gateway-schemas.ts';
import { operatorRoute, type ApiDeps } from '../route.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();

/*
 * The catalog is global: a change is logged, not written to every tenant's audit chain. Its
 * history stays in the rows themselves (a price change is a new row, never an update).
 */
export const operatorModelRoutes = [
  operatorRoute({
    method: 'GET',
    url: '/v1/operator/models',
    operationId: 'listCatalogModels',
    tag: 'operator',
    summary: 'The model catalog with every catalog price of each model',
    success: {
      status: 200,
      schema: z.object({ data: z.array(CatalogModelSchema) }),
      description: 'The models, by provider and name',
    },
    handler: async ({ sys }) => {
      const models = await listCatalogModels(sys);
      const prices = await listCatalogPrices(sys);
      return {
        body: {
          data: models.map((m) => ({
            ...m,
            prices: prices.filter((p) => p.provider === m.provider && p.model === m.model),
          })),
        },
      };
    },
  }),
  operatorRoute({
    method: 'PUT',
    url: '/v1/operator/models/:provider/:model',
    operationId: 'putCatalogModel',
    tag: 'operator',
    summary: 'Add a model to the catalog or change its kind and context window',
    description:
      'Answers 201 for a new model, 200 for a changed one. A new model has no price until one is added. ',
    params: ModelParams,
    body: PutModelBody,
    success: {
      status: 201,
      schema: z.object({
        model: CatalogModelSchema.omit({ prices: true }),
        created: z.boolean(),
      }),
      description: 'The model (201 added; 200 changed)',
    },
    errors: [{ status: 404, description: 'No such provider (PROVIDER_NOT_FOUND)' }],
    handler: async ({ sys, deps }, { params, body }) => {
      const result = await putCatalogModel(sys, params, body);
      deps.logger.info({ ...params, ...body, created: result.created }, 'operator put a catalog model');
      return {
        afterCommit: () => deps.gateway?.invalidate(null),
        body: result,
        status: result.created ? 201 : 200,
      };
    },
  }),
  operatorRoute({
    method: 'POST',
    url: '/v1/operator/models/:provider/:model/prices',
    operationId: 'addCatalogPrice',
    tag: 'operator',
    summary: 'Add a catalog price of a model from a moment on',
    description:
      'The price applies from `effectiveFrom` (default now) until a later catalog price starts, to every tenant ' +
      'without a price of its own for the model. Earlier rows are kept, so recorded calls keep their price. ',
    params: ModelParams,
    body: PriceBody,
    success: { status: 201, schema: CatalogPriceSchema, description: 'The new catalog price' },
    errors: [
      { status: 404, description: 'No such model in the catalog (MODEL_NOT_FOUND)' },
      {
        status: 409,
        description: 'The model has a catalog price starting at this moment (PRICE_ALREADY_EXISTS)',
      },
    ],
    handler: async ({ sys, deps }, { params, body }) => {
      const price = await addCatalogPrice(sys, params, {
        effectiveFrom: body.effectiveFrom ? new Date(body.effectiveFrom) : nowOf(deps),
        inputUsdPerMtok: body.inputUsdPerMtok,
        outputUsdPerMtok: body.outputUsdPerMtok,
        cachedInputUsdPerMtok: body.cachedInputUsdPerMtok,
      });
      deps.logger.info({ ...price }, 'operator added a catalog price');
      return {
        afterCommit: () => deps.gateway?.invalidate(null),
        body: price,
      };
    },
  }),
];
