import { randomBytes, randomUUID } from 'node:crypto';
import { migrate, openPostgres } from '../../packages/server/src/db/index.ts';
import { createApiKey, createTenantWithOwner } from '../../packages/server/src/identity/index.ts';
import { OPERATOR_CLI_ACTOR, updateTenantOverrides } from '../../packages/server/src/scheduling/index.ts';
import {
  createSecretBox,
  platformProviderContext,
  secretFingerprint,
} from '../../packages/server/src/secrets/index.ts';

/** The provider and model Shoal routes the bench's calls to (`fake/gpt-fake`). */
export const SHOAL_PROVIDER = 'fake';
export const UPSTREAM_MODEL = 'gpt-fake';
/** Far above what the bench sends, so the limits are checked on every call but never refuse. */
const LIMIT = 2_000_000_000;

export interface ShoalSetup {
  tenantId: string;
  apiKey: string;
  masterKey: string;
}

/**
 * Migrates the bench's database and sets it up as an operator and a tenant would: a provider
 * of kind `openai` at the fake upstream with a platform key sealed by the master key, a priced
 * model, a tenant with a developer API key, LLM limits (requests and tokens per minute)
 * overridden high, and a hard monthly budget far above what the bench spends. Everything else is at its production default.
 */
export async function setUpShoal(databaseUrl: string, upstreamUrl: string): Promise<ShoalSetup> {
  const db = openPostgres({ url: databaseUrl, poolSize: 2 });
  try {
    await migrate(db);
    const masterKey = randomBytes(32);
    const box = createSecretBox({ masterKey });
    const platformKey = `sk-bench-${randomBytes(8).toString('hex')}`;
    await db.ownerTx(async (tx) => {
      await tx.query(
        `insert into llm_providers (name, kind, base_url, api_key_sealed, api_key_fingerprint, options)
         values ($1, 'openai', $2, $3, $4, '{}')`,
        [
          SHOAL_PROVIDER,
          `${upstreamUrl}/v1`,
          box.sealPlatform(platformProviderContext(SHOAL_PROVIDER), platformKey),
          secretFingerprint(platformKey),
        ],
      );
      await tx.query(
        `insert into llm_models (provider, model, kind, context_tokens) values ($1, $2, 'chat', 128000)`,
        [SHOAL_PROVIDER, UPSTREAM_MODEL],
      );
      await tx.query(
        `insert into model_prices (provider, model, effective_from, input_usd_per_mtok, output_usd_per_mtok,
                                   cached_input_usd_per_mtok) values ($1, $2, '2024-01-01', 0.15, 0.60, 0.075)`,
        [SHOAL_PROVIDER, UPSTREAM_MODEL],
      );
    });
    const { tenant, userId } = await db.systemTx((sys) =>
      createTenantWithOwner(
        sys,
        {
          tenantName: 'bench-gateway',
          email: 'bench-gateway@example.test',
          name: 'bench',
          password: randomBytes(16).toString('hex'),
        },
        { requestId: null, ip: null },
      ),
    );
    const key = await db.tenantTx(tenant.id, (tx) =>
      createApiKey(tx, tenant.id, {
        name: 'bench developer key',
        role: 'developer',
        expiresAt: null,
        createdBy: { type: 'user', id: userId },
        granterRole: 'owner',
      }),
    );
    await db.systemTx((sys) =>
      updateTenantOverrides(
        sys,
        tenant.id,
        { llmRequestsPerMinute: LIMIT, llmTokensPerMinute: LIMIT },
        { actor: OPERATOR_CLI_ACTOR, requestId: null, ip: null },
      ),
    );
    // A hard monthly budget far above what the bench spends: every call reserves and settles.
    await db.ownerTx((tx) =>
      tx.query(
        `insert into budgets (tenant_id, id, name, scope, period, limit_micro_usd, kind)
         values ($1, $2, 'bench', 'tenant', 'monthly', $3, 'hard')`,
        [tenant.id, randomUUID(), 1_000_000_000_000],
      ),
    );
    return { tenantId: tenant.id, apiKey: key.secret, masterKey: masterKey.toString('base64') };
  } finally {
    await db.close();
  }
}

/** The tenant's rows in llm_calls, by outcome (read as the owner, after Shoal stopped). */
export async function countCalls(databaseUrl: string, tenantId: string): Promise<Record<string, number>> {
  const db = openPostgres({ url: databaseUrl, poolSize: 1 });
  try {
    const rows = await db.ownerTx((tx) =>
      tx.query<{ outcome: string; n: string }>(
        `select outcome, count(*) as n from llm_calls where tenant_id = $1 group by outcome`,
        [tenantId],
      ),
    );
    return Object.fromEntries(rows.rows.map((r) => [r.outcome, Number(r.n)]));
  } finally {
    await db.close();
  }
}
