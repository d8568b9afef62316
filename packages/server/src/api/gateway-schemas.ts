import { z } from 'zod';
import { ALIAS_NAME_PATTERN, AliasSpecSchema, MODEL_KINDS, PRICE_SOURCES } from '../gateway/index.ts';

/** Shapes of model aliases, models and prices; each a named component in OpenAPI. */
const timestamp = z.iso.datetime();

export const AliasNameParams = z.strictObject({
  name: z.string().regex(ALIAS_NAME_PATTERN, 'must match ^[a-z0-9][a-z0-9._-]{0,63}$'),
});

/**
 * A model in a path: `/{provider}/{model}`. The model name may hold dots, colons and @
 * (gpt-4.1-mini, llama3.1:8b) but not '/': such models cannot be addressed in a path.
 */
export const ModelParams = z.strictObject({
  provider: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must match ^[a-z][a-z0-9-]{0,39}$'),
  model: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must match ^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$'),
});

const PRICE_PATTERN = /^\d{1,8}(?:\.\d{1,6})?$/;
const PRICE_MESSAGE = 'must be a non-negative decimal with at most 8 integer and 6 fraction digits';

/** USD per million tokens in a request: a decimal string or a JSON number, at most 6 decimals. */
const UsdPerMtokInput = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .pipe(z.string().regex(PRICE_PATTERN, PRICE_MESSAGE))
  .meta({ description: 'USD per million tokens, e.g. "0.15" or 0.15 (at most 6 decimals)', example: '0.15' });

const UsdPerMtok = z
  .string()
  .meta({ description: 'USD per million tokens, 6 decimals', example: '0.150000' });
const MicroUsdPerMtok = z.number().int().meta({ description: 'The same in micro-USD per million tokens' });

export const PriceBody = z.strictObject({
  inputUsdPerMtok: UsdPerMtokInput,
  outputUsdPerMtok: UsdPerMtokInput,
  cachedInputUsdPerMtok: UsdPerMtokInput.optional().meta({
    description: 'Input tokens served from the provider prompt cache (default: the input price)',
  }),
  effectiveFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'When the price starts to apply (default: now); may be in the future' }),
});

export const ModelAliasSchema = z
  .object({
    name: z.string(),
    spec: AliasSpecSchema,
    version: z.number().int().meta({ description: '1 when created, one more on every change of the spec' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'ModelAlias' });

export const AliasWarningSchema = z
  .object({
    code: z.enum(['CANDIDATE_UNPRICED']),
    candidate: z.string(),
    message: z.string(),
  })
  .meta({ id: 'AliasWarning' });

const ModelKind = z.enum(MODEL_KINDS).meta({ id: 'ModelKind' });

export const EffectivePriceSchema = z
  .object({
    source: z.enum(PRICE_SOURCES).meta({ description: "catalog, or tenant: the tenant's own price" }),
    priceId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The catalog price row; null for a tenant price' }),
    effectiveFrom: timestamp,
    inputUsdPerMtok: UsdPerMtok,
    outputUsdPerMtok: UsdPerMtok,
    cachedInputUsdPerMtok: UsdPerMtok,
    inputMicroUsdPerMtok: MicroUsdPerMtok,
    outputMicroUsdPerMtok: MicroUsdPerMtok,
    cachedInputMicroUsdPerMtok: MicroUsdPerMtok,
  })
  .meta({ id: 'EffectivePrice' });

export const ModelPriceSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    kind: ModelKind,
    contextTokens: z.number().int(),
    providerEnabled: z.boolean(),
    priced: z.boolean().meta({ description: 'False: no price in effect, so the gateway refuses the model' }),
    price: EffectivePriceSchema.nullable(),
  })
  .meta({ id: 'ModelPrice' });

export const TenantPriceSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    effectiveFrom: timestamp,
    inputUsdPerMtok: UsdPerMtok,
    outputUsdPerMtok: UsdPerMtok,
    cachedInputUsdPerMtok: UsdPerMtok,
    createdAt: timestamp,
  })
  .meta({ id: 'TenantPrice' });

export const CatalogPriceSchema = z
  .object({
    priceId: z.number().int(),
    provider: z.string(),
    model: z.string(),
    effectiveFrom: timestamp,
    inputUsdPerMtok: UsdPerMtok,
    outputUsdPerMtok: UsdPerMtok,
    cachedInputUsdPerMtok: UsdPerMtok,
    createdAt: timestamp,
  })
  .meta({ id: 'CatalogPrice' });

export const CatalogModelSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    kind: ModelKind,
    contextTokens: z.number().int(),
    providerEnabled: z.boolean(),
    createdAt: timestamp,
    prices: z.array(CatalogPriceSchema).meta({ description: 'Every catalog price row, newest first' }),
  })
  .meta({ id: 'CatalogModel' });

export const PutModelBody = z.strictObject({
  kind: ModelKind,
  contextTokens: z.number().int().min(1).max(100_000_000),
});
