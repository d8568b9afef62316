import { sqlState, SQLSTATE, type Queryable } from '../db/index.ts';
import { formatUsdPerMtok, parseUsdPerMtok, type PriceRates } from './cost.ts';
import { GatewayError } from './errors.ts';
import type { ModelKind, ModelRef } from './model-store.ts';

export const PRICE_SOURCES = ['catalog', 'tenant'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/** USD per million tokens as decimal strings with 6 fraction digits, as numeric(14, 6) prints them. */
export interface UsdPerMtok {
  inputUsdPerMtok: string;
  outputUsdPerMtok: string;
  cachedInputUsdPerMtok: string;
}

/** The price of a model in effect at some moment for one tenant; `costMicroUsd` takes it as is. */
export interface EffectivePrice extends UsdPerMtok, PriceRates {
  provider: string;
  model: string;
  kind: ModelKind;
  /** The catalog row (model_prices.id); null for a tenant's own price. */
  priceId: number | null;
  source: PriceSource;
  effectiveFrom: string;
}

/** A model of the catalog with the price in effect for the tenant, or null: it cannot be called. */
export interface ModelPrice extends ModelRef {
  kind: ModelKind;
  contextTokens: number;
  providerEnabled: boolean;
  price: EffectivePrice | null;
}

/** A row of model_prices: one catalog price of a model from effectiveFrom on. */
export interface CatalogPrice extends UsdPerMtok, ModelRef {
  priceId: number;
  effectiveFrom: string;
  createdAt: string;
}

/** A row of tenant_model_prices: the tenant's own price of a model from effectiveFrom on. */
export interface TenantPrice extends UsdPerMtok, ModelRef {
  effectiveFrom: string;
  createdAt: string;
}

/** A price to write: decimals of at most 6 fraction digits; cached input defaults to input. */
export interface PriceInput {
  effectiveFrom: Date;
  inputUsdPerMtok: string;
  outputUsdPerMtok: string;
  cachedInputUsdPerMtok?: string | undefined;
}

interface PriceRow extends Record<string, unknown> {
  provider: string;
  model: string;
  kind: ModelKind;
  context_tokens: number;
  provider_enabled: boolean;
  source: PriceSource | null;
  price_id: string | number | null;
  effective_from: Date | null;
  input_usd_per_mtok: string | null;
  output_usd_per_mtok: string | null;
  cached_input_usd_per_mtok: string | null;
}

/*
 * Per model, the tenant's latest price from at or before `at` wins; without one, the catalog's.
 * One statement: each model looks up at most one row of each table through its key index.
 */
const MODEL_PRICES_SQL = `
select m.provider, m.model, m.kind, m.context_tokens, pv.enabled as provider_enabled,
       p.source, p.price_id, p.effective_from,
       p.input_usd_per_mtok::text, p.output_usd_per_mtok::text, p.cached_input_usd_per_mtok::text
  from llm_models m
  join llm_providers pv on pv.name = m.provider
  left join lateral (
    select * from (
      (select 'tenant' as source, null::bigint as price_id, 0 as rank, t.effective_from,
              t.input_usd_per_mtok, t.output_usd_per_mtok, t.cached_input_usd_per_mtok
         from tenant_model_prices t
        where t.tenant_id = $1 and t.provider = m.provider and t.model = m.model and t.effective_from <= $2
        order by t.effective_from desc limit 1)
      union all
      (select 'catalog', c.id, 1, c.effective_from,
              c.input_usd_per_mtok, c.output_usd_per_mtok, c.cached_input_usd_per_mtok
         from model_prices c
        where c.provider = m.provider and c.model = m.model and c.effective_from <= $2
        order by c.effective_from desc limit 1)
    ) candidates order by rank limit 1
  ) p on true`;

function toUsd(row: {
  input_usd_per_mtok: string;
  output_usd_per_mtok: string;
  cached_input_usd_per_mtok: string;
}): UsdPerMtok {
  return {
    inputUsdPerMtok: row.input_usd_per_mtok,
    outputUsdPerMtok: row.output_usd_per_mtok,
    cachedInputUsdPerMtok: row.cached_input_usd_per_mtok,
  };
}

function toModelPrice(row: PriceRow): ModelPrice {
  const base = {
    provider: row.provider,
    model: row.model,
    kind: row.kind,
    contextTokens: row.context_tokens,
    providerEnabled: row.provider_enabled,
  };
  if (
    row.source === null ||
    row.effective_from === null ||
    row.input_usd_per_mtok === null ||
    row.output_usd_per_mtok === null ||
    row.cached_input_usd_per_mtok === null
  )
    return { ...base, price: null };
  const usd = toUsd({
    input_usd_per_mtok: row.input_usd_per_mtok,
    output_usd_per_mtok: row.output_usd_per_mtok,
    cached_input_usd_per_mtok: row.cached_input_usd_per_mtok,
  });
  return {
    ...base,
    price: {
      provider: row.provider,
      model: row.model,
      kind: row.kind,
      priceId: row.price_id === null ? null : Number(row.price_id),
      source: row.source,
      effectiveFrom: row.effective_from.toISOString(),
      ...usd,
      inputMicroUsdPerMtok: parseUsdPerMtok(usd.inputUsdPerMtok),
      outputMicroUsdPerMtok: parseUsdPerMtok(usd.outputUsdPerMtok),
      cachedInputMicroUsdPerMtok: parseUsdPerMtok(usd.cachedInputUsdPerMtok),
    },
  };
}

/**
 * Every model of the catalog (or only `refs`) with the price in effect for the tenant at `at`;
 * a model with neither a tenant nor a catalog price from at or before `at` has `price: null`.
 */
export async function listModelPrices(
  tx: Queryable,
  tenantId: string,
  at: Date,
  refs?: readonly ModelRef[],
): Promise<ModelPrice[]> {
  const found = refs
    ? await tx.query<PriceRow>(
        `${MODEL_PRICES_SQL}
          join unnest($3::text[], $4::text[]) as wanted (provider, model)
            on wanted.provider = m.provider and wanted.model = m.model
         order by m.provider, m.model`,
        [tenantId, at, refs.map((r) => r.provider), refs.map((r) => r.model)],
      )
    : await tx.query<PriceRow>(`${MODEL_PRICES_SQL} order by m.provider, m.model`, [tenantId, at]);
  return found.rows.map(toModelPrice);
}

/** The price in effect at `at` of every priced model (or of those of `refs` that have one). */
export async function effectivePrices(
  tx: Queryable,
  tenantId: string,
  at: Date,
  refs?: readonly ModelRef[],
): Promise<EffectivePrice[]> {
  const models = await listModelPrices(tx, tenantId, at, refs);
  return models.flatMap((m) => (m.price ? [m.price] : []));
}

/** A decimal string normalised to 6 fraction digits; RangeError when it is not a valid price. */
function normalise(decimal: string): string {
  return formatUsdPerMtok(parseUsdPerMtok(decimal));
}

function priceValues(price: PriceInput): [string, string, string] {
  const input = normalise(price.inputUsdPerMtok);
  return [input, normalise(price.outputUsdPerMtok), normalise(price.cachedInputUsdPerMtok ?? input)];
}

interface StoredPriceRow extends Record<string, unknown> {
  provider: string;
  model: string;
  effective_from: Date;
  input_usd_per_mtok: string;
  output_usd_per_mtok: string;
  cached_input_usd_per_mtok: string;
  created_at: Date;
}

const PRICE_COLUMNS = `provider, model, effective_from, input_usd_per_mtok::text, output_usd_per_mtok::text,
  cached_input_usd_per_mtok::text, created_at`;

const toTenantPrice = (row: StoredPriceRow): TenantPrice => ({
  provider: row.provider,
  model: row.model,
  effectiveFrom: row.effective_from.toISOString(),
  ...toUsd(row),
  createdAt: row.created_at.toISOString(),
});

/**
 * Sets the tenant's own price of a model from `effectiveFrom` on (replacing one that starts at
 * the same moment). Earlier overrides stay: each applies until the next one starts.
 */
export async function putTenantPrice(
  tx: Queryable,
  tenantId: string,
  ref: ModelRef,
  price: PriceInput,
): Promise<{ price: TenantPrice; replaced: boolean }> {
  const values = priceValues(price);
  const removed = await tx.query(
    `delete from tenant_model_prices
      where tenant_id = $1 and provider = $2 and model = $3 and effective_from = $4`,
    [tenantId, ref.provider, ref.model, price.effectiveFrom],
  );
  const written = await tx.query<StoredPriceRow>(
    `insert into tenant_model_prices (tenant_id, provider, model, effective_from, input_usd_per_mtok,
                                      output_usd_per_mtok, cached_input_usd_per_mtok)
     select $1, m.provider, m.model, $4, $5, $6, $7 from llm_models m where m.provider = $2 and m.model = $3
     returning ${PRICE_COLUMNS}`,
    [tenantId, ref.provider, ref.model, price.effectiveFrom, ...values],
  );
  const row = written.rows[0];
  if (!row) throw new GatewayError('MODEL_NOT_FOUND', `No model ${ref.provider}/${ref.model} in the catalog`);
  return { price: toTenantPrice(row), replaced: (removed.rowCount ?? 0) > 0 };
}

/** The tenant's own prices, every one, newest first per model. */
export async function listTenantPrices(tx: Queryable, tenantId: string): Promise<TenantPrice[]> {
  const found = await tx.query<StoredPriceRow>(
    `select ${PRICE_COLUMNS} from tenant_model_prices where tenant_id = $1
      order by provider, model, effective_from desc`,
    [tenantId],
  );
  return found.rows.map(toTenantPrice);
}

/** Removes every price the tenant set for a model: the catalog's applies again. */
export async function deleteTenantPrices(
  tx: Queryable,
  tenantId: string,
  ref: ModelRef,
): Promise<TenantPrice[]> {
  const removed = await tx.query<StoredPriceRow>(
    `delete from tenant_model_prices where tenant_id = $1 and provider = $2 and model = $3
     returning ${PRICE_COLUMNS}`,
    [tenantId, ref.provider, ref.model],
  );
  if (removed.rows.length === 0)
    throw new GatewayError(
      'PRICE_OVERRIDE_NOT_FOUND',
      `The tenant has no price of its own for ${ref.provider}/${ref.model}`,
    );
  return removed.rows.map(toTenantPrice).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
}

interface CatalogRow extends StoredPriceRow {
  id: string | number;
}

const toCatalogPrice = (row: CatalogRow): CatalogPrice => ({
  priceId: Number(row.id),
  provider: row.provider,
  model: row.model,
  effectiveFrom: row.effective_from.toISOString(),
  ...toUsd(row),
  createdAt: row.created_at.toISOString(),
});

/**
 * Adds a catalog price of a model from `effectiveFrom` on (operators, system role). Rows are
 * never changed, so every recorded call's price stays readable; a newer row supersedes.
 */
export async function addCatalogPrice(
  sys: Queryable,
  ref: ModelRef,
  price: PriceInput,
): Promise<CatalogPrice> {
  const values = priceValues(price);
  try {
    const written = await sys.query<CatalogRow>(
      `insert into model_prices (provider, model, effective_from, input_usd_per_mtok, output_usd_per_mtok,
                                 cached_input_usd_per_mtok)
       select m.provider, m.model, $3, $4, $5, $6 from llm_models m where m.provider = $1 and m.model = $2
       returning id, ${PRICE_COLUMNS}`,
      [ref.provider, ref.model, price.effectiveFrom, ...values],
    );
    const row = written.rows[0];
    if (!row)
      throw new GatewayError('MODEL_NOT_FOUND', `No model ${ref.provider}/${ref.model} in the catalog`);
    return toCatalogPrice(row);
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation)
      throw new GatewayError(
        'PRICE_ALREADY_EXISTS',
        `${ref.provider}/${ref.model} already has a catalog price from ${price.effectiveFrom.toISOString()}`,
      );
    throw error;
  }
}

/** Every catalog price row, newest first per model. */
export async function listCatalogPrices(tx: Queryable): Promise<CatalogPrice[]> {
  const found = await tx.query<CatalogRow>(
    `select id, ${PRICE_COLUMNS} from model_prices order by provider, model, effective_from desc`,
  );
  return found.rows.map(toCatalogPrice);
}
