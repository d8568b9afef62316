import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import type { Database } from '../../src/db/index.ts';
import { createApiKey, createTenantWithOwner, type Role } from '../../src/identity/index.ts';
import { openGateway, type Gateway } from '../../src/gateway/index.ts';
import { openMetrics } from '../../src/cli/metrics.ts';
import { createBudgetEscrow, DEFAULT_ESCROW_OPTIONS } from '../../src/metering/index.ts';
import { createLogger, type Metrics } from '../../src/observability/index.ts';
import { createSecretBox } from '../../src/secrets/index.ts';

/** The fixed master key of every test server (never used outside tests). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);

/** The operator token of every test server (override SHOAL_OPERATOR_TOKEN with '' to disable). */
export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789abcdef';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    SHOAL_LOG_LEVEL: 'silent',
    SHOAL_RATE_LIMIT_PER_MINUTE: '1000000',
    SHOAL_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
    // Tests change keys straight in the database and expect the next request to see it.
    SHOAL_API_KEY_CACHE_MS: '0',
    ...overrides,
  });
}

/**
 * The real HTTP server on the test database, driven with `app.inject()`, with the LLM gateway
 * (closed with the server). Tests that need other providers or a clock build their own.
 */
export function createTestApp(db: Database, overrides: Record<string, string> = {}): ApiServer {
  return createTestServer(db, overrides).app;
}

/**
 * The test app with what a worker of the same process would share: its metrics, and the
 * database whose committed transactions they count (pass that one to startWorker).
 */
export function createTestServer(
  rawDb: Database,
  overrides: Record<string, string> = {},
): { app: ApiServer; metrics: Metrics; db: Database; gateway: Gateway } {
  const config = testConfig(overrides);
  const logger = createLogger({ level: 'silent' });
  const { metrics, db } = openMetrics({ config, logger, db: rawDb, defaultMetrics: false });
  const secrets = createSecretBox({ masterKey: TEST_MASTER_KEY });
  const budgets = createBudgetEscrow(
    { db, logger },
    { ...DEFAULT_ESCROW_OPTIONS, processId: `test-app:${crypto.randomUUID()}` },
  );
  metrics.setSources({ reservationsOpen: () => budgets.held().open });
  const gateway = openGateway({ db, logger, config, secrets, budgets, metrics });
  const app = createApiServer({
    config,
    db,
    logger,
    rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    secrets,
    gateway,
    budgets,
    metrics,
  });
  app.addHook('onClose', async () => {
    await gateway.close();
    await budgets.close();
  });
  return { app, metrics, db, gateway };
}

export interface TestTenant {
  tenantId: string;
  ownerUserId: string;
  ownerEmail: string;
  password: string;
  /** An API key per role, all created by the owner. */
  keys: Record<Role, string>;
  keyIds: Record<Role, string>;
}

export const TEST_PASSWORD = 'correct horse battery staple';
let counter = 0;

/** A tenant with an owner and one API key for every role, made straight through identity. */
export async function seedTenant(db: Database, name = `tenant-${++counter}`): Promise<TestTenant> {
  const ownerEmail = `${name.replace(/[^a-z0-9-]/gi, '')}-${counter}-${Date.now()}@example.test`;
  const { tenant, userId } = await db.systemTx((sys) =>
    createTenantWithOwner(
      sys,
      { tenantName: name, email: ownerEmail, name: `${name} owner`, password: TEST_PASSWORD },
      { requestId: null, ip: null },
    ),
  );
  const keys = {} as Record<Role, string>;
  const keyIds = {} as Record<Role, string>;
  await db.tenantTx(tenant.id, async (tx) => {
    for (const role of ['owner', 'admin', 'developer', 'operator', 'viewer', 'billing'] as const) {
      const created = await createApiKey(tx, tenant.id, {
        name: `${name} ${role} key`,
        role,
        expiresAt: null,
        createdBy: { type: 'user', id: userId },
        granterRole: 'owner',
      });
      keys[role] = created.secret;
      keyIds[role] = created.apiKey.id;
    }
  });
  return { tenantId: tenant.id, ownerUserId: userId, ownerEmail, password: TEST_PASSWORD, keys, keyIds };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
