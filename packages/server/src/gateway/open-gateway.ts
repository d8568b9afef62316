import type { Config } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import type { Logger, Metrics, Tracing } from '../observability/index.ts';
import {
  listProviderKeys,
  platformProviderContext,
  readProviderKey,
  type SecretBox,
} from '../secrets/index.ts';
import type { BudgetPort } from './budget-port.ts';
import type { CatalogSources } from './gateway-catalog.ts';
import { createGateway, type GatewayOptions } from './gateway.ts';
import type { Gateway } from './gateway-types.ts';
import type { LlmProvider, ProviderKind } from './providers/provider.ts';
import { createProviders } from './providers/registry.ts';
import { createTokenCounter } from './tokens.ts';

/**
 * Where the gateway's keys come from: tenants' provider keys (BYOK) and operators' platform
 * keys, both opened by the secret box. Without a master key there are no stored keys at all,
 * so only keyless providers (the simulated one, `options.keyless`) can be called.
 */
export function secretSources(db: Database, secrets: SecretBox | null): CatalogSources {
  if (!secrets) return { openPlatformKey: null, readTenantKeys: null };
  return {
    openPlatformKey: (provider, sealed) => secrets.openPlatform(platformProviderContext(provider), sealed),
    readTenantKeys: (tenantId) =>
      db.tenantTx(tenantId, async (tx) => {
        const keys = new Map<string, string>();
        for (const { provider } of await listProviderKeys(tx)) {
          const key = await readProviderKey(tx, secrets, tenantId, provider);
          if (key !== null) keys.set(provider, key);
        }
        return keys;
      }),
  };
}

/** The gateway of a process, as the composition root builds it from config. */
export function openGateway(deps: {
  db: Database;
  logger: Logger;
  config: Config;
  secrets: SecretBox | null;
  budgets?: BudgetPort | null;
  metrics?: Metrics | null;
  tracing?: Tracing | null;
  providers?: ReadonlyMap<ProviderKind, LlmProvider>;
  now?: () => number;
  overrides?: Partial<GatewayOptions>;
}): Gateway {
  const tokens = createTokenCounter();
  // The rank table takes ~0.6 s to build: at start, not on the first call a tenant makes.
  tokens.warm();
  return createGateway(
    {
      db: deps.db,
      logger: deps.logger,
      providers: deps.providers ?? createProviders({ tokens }),
      budgets: deps.budgets ?? null,
      metrics: deps.metrics ?? null,
      tracing: deps.tracing ?? null,
      sources: secretSources(deps.db, deps.secrets),
      tokens,
      ...(deps.now ? { now: deps.now } : {}),
    },
    {
      timeoutMs: deps.config.SHOAL_GATEWAY_TIMEOUT_MS,
      maxRetryAfterMs: deps.config.SHOAL_GATEWAY_MAX_RETRY_AFTER_MS,
      ...deps.overrides,
    },
  );
}
