import type { Database } from '../db/index.ts';
import { AliasSpecSchema, type AliasSpec } from './alias-spec.ts';
import type { PriceRates } from './cost.ts';
import { effectivePrices } from './price-store.ts';
import type { ProviderKind } from './providers/provider.ts';

export interface ProviderEntry {
  name: string;
  kind: ProviderKind;
  baseUrl: string | null;
  /** The platform-wide key, opened; null when the operator set none. */
  platformKey: string | null;
  options: Record<string, unknown>;
  /** True when calls need no key at all (the simulated provider, or `options.keyless`). */
  keyless: boolean;
}

export interface ModelEntry {
  provider: string;
  model: string;
  kind: 'chat' | 'embedding';
  contextTokens: number;
}

export type PriceEntry = PriceRates & { priceId: number | null; source: 'catalog' | 'tenant' };

/** What every tenant shares: enabled providers and their models. */
export interface GlobalCatalog {
  providers: ReadonlyMap<string, ProviderEntry>;
  models: ReadonlyMap<string, ModelEntry>;
  /** Model name → the enabled providers offering it, by provider name. */
  byName: ReadonlyMap<string, readonly ModelEntry[]>;
}

/** What one tenant's calls need: its aliases, prices in effect, limits and provider keys. */
export interface TenantCatalog {
  aliases: ReadonlyMap<string, AliasSpec>;
  prices: ReadonlyMap<string, PriceEntry>;
  limits: { requestsPerMinute: number; tokensPerMinute: number };
  /** Provider name → the tenant's own key (BYOK). */
  keys: ReadonlyMap<string, string>;
}

export interface CatalogSources {
  /** Opens a platform key as stored in `llm_providers.api_key_sealed`. */
  openPlatformKey: ((provider: string, sealed: string) => string) | null;
  /** The tenant's provider keys, opened, in the tenant's transaction. */
  readTenantKeys: ((tenantId: string) => Promise<ReadonlyMap<string, string>>) | null;
}

export interface GatewayCatalog {
  global(): Promise<GlobalCatalog>;
  tenant(tenantId: string): Promise<TenantCatalog>;
  invalidate(tenantId: string | null): void;
}

const ref = (provider: string, model: string) => `${provider}/${model}`;

/**
 * The gateway's view of the catalog, read through a per-process cache (ADR 0006, step 1):
 * an entry older than `ttlMs` is reloaded in the background while calls go on with it, changes
 * made through this process drop entries at once, and concurrent readers of a missing entry
 * share one load.
 */
export function createGatewayCatalog(
  deps: { db: Database; now?: () => number },
  sources: CatalogSources,
  options: { ttlMs: number },
): GatewayCatalog {
  const now = deps.now ?? Date.now;

  const loadGlobal = async (): Promise<GlobalCatalog> => {
    const [providers, models] = await Promise.all([
      deps.db.systemQuery<{
        name: string;
        kind: ProviderKind;
        base_url: string | null;
        api_key_sealed: string | null;
        options: Record<string, unknown>;
      }>(`select name, kind, base_url, api_key_sealed, options from llm_providers where enabled`),
      deps.db.systemQuery<{
        provider: string;
        model: string;
        kind: 'chat' | 'embedding';
        context_tokens: number;
      }>(
        `select m.provider, m.model, m.kind, m.context_tokens
           from llm_models m join llm_providers p on p.name = m.provider where p.enabled
          order by m.provider, m.model`,
      ),
    ]);
    const providerMap = new Map<string, ProviderEntry>();
    for (const row of providers.rows) {
      const platformKey =
        row.api_key_sealed && sources.openPlatformKey
          ? sources.openPlatformKey(row.name, row.api_key_sealed)
          : null;
      providerMap.set(row.name, {
        name: row.name,
        kind: row.kind,
        baseUrl: row.base_url,
        platformKey,
        options: row.options,
        keyless: row.kind === 'simulated' || row.options.keyless === true,
      });
    }
    const modelMap = new Map<string, ModelEntry>();
    const byName = new Map<string, ModelEntry[]>();
    for (const row of models.rows) {
      const entry = {
        provider: row.provider,
        model: row.model,
        kind: row.kind,
        contextTokens: row.context_tokens,
      };
      modelMap.set(ref(row.provider, row.model), entry);
      byName.set(row.model, [...(byName.get(row.model) ?? []), entry]);
    }
    return { providers: providerMap, models: modelMap, byName };
  };

  const loadTenant = async (tenantId: string): Promise<TenantCatalog> => {
    const base = await deps.db.tenantTx(tenantId, async (tx) => {
      const aliases = await tx.query<{ name: string; spec: unknown }>(`select name, spec from model_aliases`);
      const prices = await effectivePrices(tx, tenantId, new Date(now()));
      const limits = await tx.query<{ llm_requests_per_minute: number; llm_tokens_per_minute: number }>(
        `select llm_requests_per_minute, llm_tokens_per_minute from tenant_effective_limits where tenant_id = $1`,
        [tenantId],
      );
      return { aliases: aliases.rows, prices, limits: limits.rows[0] };
    });
    const keys = sources.readTenantKeys ? await sources.readTenantKeys(tenantId) : new Map<string, string>();
    return {
      aliases: new Map(base.aliases.map((row) => [row.name, AliasSpecSchema.parse(row.spec)])),
      prices: new Map(
        base.prices.map((price) => [
          ref(price.provider, price.model),
          {
            priceId: price.priceId,
            source: price.source,
            inputMicroUsdPerMtok: price.inputMicroUsdPerMtok,
            outputMicroUsdPerMtok: price.outputMicroUsdPerMtok,
            cachedInputMicroUsdPerMtok: price.cachedInputMicroUsdPerMtok,
          },
        ]),
      ),
      limits: {
        requestsPerMinute: base.limits?.llm_requests_per_minute ?? 0,
        tokensPerMinute: base.limits?.llm_tokens_per_minute ?? 0,
      },
      keys,
    };
  };

  const globalCache = createRefreshingCache(() => loadGlobal(), options.ttlMs, now);
  const tenantCache = new Map<string, RefreshingEntry<TenantCatalog>>();

  return {
    global: () => globalCache.get(),
    tenant(tenantId) {
      let entry = tenantCache.get(tenantId);
      if (!entry) {
        entry = createRefreshingCache(() => loadTenant(tenantId), options.ttlMs, now);
        tenantCache.set(tenantId, entry);
      }
      return entry.get();
    },
    invalidate(tenantId) {
      if (tenantId === null) {
        globalCache.clear();
        tenantCache.clear();
      } else tenantCache.delete(tenantId);
    },
  };
}

interface RefreshingEntry<T> {
  get(): Promise<T>;
  clear(): void;
}

/**
 * A value loaded once and reloaded in the background once it is `ttlMs` old: callers get the
 * last good value at once meanwhile, so no request waits for a reload (stale-while-revalidate).
 * Until the first load succeeds, callers share it; a failed load is forgotten.
 */
function createRefreshingCache<T>(
  load: () => Promise<T>,
  ttlMs: number,
  now: () => number,
): RefreshingEntry<T> {
  let good: { value: T; at: number } | null = null;
  let loading: Promise<T> | null = null;
  const reload = () => {
    const started = now();
    const attempt = load().then((value) => {
      if (loading === attempt) good = { value, at: started };
      return value;
    });
    loading = attempt;
    attempt
      .catch(() => undefined)
      .finally(() => {
        if (loading === attempt) loading = null;
      });
    return attempt;
  };
  return {
    get() {
      if (good) {
        if (now() - good.at >= ttlMs && !loading) void reload().catch(() => undefined);
        return Promise.resolve(good.value);
      }
      return loading ?? reload();
    },
    clear() {
      good = null;
      loading = null;
    },
  };
}
