import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import type { Database } from '../../src/db/index.ts';
import {
  createGateway,
  createProviders,
  createTokenCounter,
  secretSources,
  type BudgetPort,
  type Gateway,
  type GatewayOptions,
} from '../../src/gateway/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createSecretBox, platformProviderContext, secretFingerprint } from '../../src/secrets/index.ts';
import { TEST_MASTER_KEY, testConfig } from './test-app.ts';

export const testSecrets = () => createSecretBox({ masterKey: TEST_MASTER_KEY });

export interface TestModel {
  model: string;
  kind?: 'chat' | 'embedding';
  /** USD per million tokens as decimal strings; absent: the model has no price. */
  price?: { input: string; output: string; cached?: string };
}

/** Adds a provider row with its models and prices, as an operator would (straight in SQL). */
export async function addProvider(
  db: Database,
  provider: {
    name: string;
    kind: 'openai' | 'anthropic' | 'simulated';
    baseUrl?: string | null;
    platformKey?: string;
    options?: Record<string, unknown>;
    models: TestModel[];
  },
): Promise<void> {
  const box = testSecrets();
  const sealed = provider.platformKey
    ? box.sealPlatform(platformProviderContext(provider.name), provider.platformKey)
    : null;
  await db.ownerTx(async (tx) => {
    await tx.query(
      `insert into llm_providers (name, kind, base_url, api_key_sealed, api_key_fingerprint, options)
       values ($1, $2, $3, $4, $5, $6)`,
      [
        provider.name,
        provider.kind,
        provider.baseUrl ?? null,
        sealed,
        provider.platformKey ? secretFingerprint(provider.platformKey) : null,
        JSON.stringify(provider.options ?? {}),
      ],
    );
    for (const m of provider.models) {
      await tx.query(
        `insert into llm_models (provider, model, kind, context_tokens) values ($1, $2, $3, 128000)`,
        [provider.name, m.model, m.kind ?? 'chat'],
      );
      if (m.price)
        await tx.query(
          `insert into model_prices (provider, model, effective_from, input_usd_per_mtok, output_usd_per_mtok,
                                     cached_input_usd_per_mtok) values ($1, $2, '2024-01-01', $3, $4, $5)`,
          [provider.name, m.model, m.price.input, m.price.output, m.price.cached ?? m.price.input],
        );
    }
  });
}

export interface GatewayApp {
  app: ApiServer;
  gateway: Gateway;
}

/** The API server with a gateway built from test parts (clock, sleeps, budgets, options). */
export function createGatewayApp(
  db: Database,
  options: {
    overrides?: Partial<GatewayOptions>;
    budgets?: BudgetPort;
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    config?: Record<string, string>;
  } = {},
): GatewayApp {
  const config = testConfig(options.config);
  const logger = createLogger({ level: 'silent' });
  const secrets = testSecrets();
  const tokens = createTokenCounter();
  const gateway = createGateway(
    {
      db,
      logger,
      providers: createProviders({ tokens, sleep: async () => undefined }),
      budgets: options.budgets ?? null,
      sources: secretSources(db, secrets),
      tokens,
      ...(options.random ? { random: options.random } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { now: options.now } : {}),
    },
    { flushMs: 5, ...options.overrides },
  );
  const app = createApiServer({
    config,
    db,
    logger,
    rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    secrets,
    gateway,
  });
  app.addHook('onClose', () => gateway.close());
  return { app, gateway };
}

/** The tenant's recorded calls, oldest first, after the gateway wrote what it buffered. */
export async function recordedCalls(db: Database, gateway: Gateway, tenantId: string) {
  await gateway.flush();
  return db.ownerTx(async (tx) => {
    const result = await tx.query<Record<string, unknown>>(
      `select * from llm_calls where tenant_id = $1 order by created_at, id`,
      [tenantId],
    );
    return result.rows;
  });
}
