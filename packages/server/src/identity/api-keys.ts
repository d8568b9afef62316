import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/index.ts';
import type { Queryable } from '../db/index.ts';
import { displayPrefix, generateApiKey, isWellFormedApiKey } from './api-key-format.ts';
import { IdentityError } from './errors.ts';
import type { Principal } from './principal.ts';
import { canGrant, type Role } from './roles.ts';
import { sha256Hex } from './tokens.ts';

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  key_prefix: string;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

const COLUMNS = 'id, name, role, key_prefix, created_by, created_at, expires_at, last_used_at, revoked_at';

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.key_prefix,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at?.toISOString() ?? null,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export const actorRef = (actor: Actor): string => `${actor.type}:${actor.id ?? '-'}`;

/** The secret is returned here once and never again: only its SHA-256 is stored. */
export async function createApiKey(
  tx: Queryable,
  tenantId: string,
  input: { name: string; role: Role; expiresAt: Date | null; createdBy: Actor; granterRole: Role | null },
): Promise<{ apiKey: ApiKey; secret: string }> {
  if (input.granterRole && !canGrant(input.granterRole, input.role))
    throw new IdentityError('ROLE_NOT_GRANTABLE');
  const secret = generateApiKey();
  const result = await tx.query<ApiKeyRow>(
    `insert into api_keys (tenant_id, id, name, role, key_prefix, key_hash, created_by, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
    [
      tenantId,
      randomUUID(),
      input.name,
      input.role,
      displayPrefix(secret),
      sha256Hex(secret),
      actorRef(input.createdBy),
      input.expiresAt,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('api key insert returned no row');
  return { apiKey: toApiKey(row), secret };
}

export async function listApiKeys(tx: Queryable): Promise<ApiKey[]> {
  const result = await tx.query<ApiKeyRow>(`select ${COLUMNS} from api_keys order by created_at, id`);
  return result.rows.map(toApiKey);
}

export async function getApiKey(tx: Queryable, id: string): Promise<ApiKey> {
  const result = await tx.query<ApiKeyRow>(`select ${COLUMNS} from api_keys where id = $1`, [id]);
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toApiKey(row);
}

export async function revokeApiKey(tx: Queryable, principal: Principal, id: string): Promise<ApiKey> {
  const key = await getApiKey(tx, id);
  if (!canGrant(principal.role, key.role)) throw new IdentityError('ROLE_NOT_GRANTABLE');
  const result = await tx.query<ApiKeyRow>(
    `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toApiKey(row);
}

/** How often `last_used_at` is written: once a minute per key, not once a request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** System role: maps a presented key to its tenant and role, or throws a stable 401. */
export async function resolveApiKey(
  sys: Queryable,
  presented: string,
  now: Date = new Date(),
): Promise<Principal> {
  return (await resolveApiKeyEntry(sys, presented, now)).principal;
}

/** As resolveApiKey, with the key's expiry: how long a cache may keep the principal. */
export async function resolveApiKeyEntry(
  sys: Queryable,
  presented: string,
  now: Date = new Date(),
): Promise<{ principal: Principal; expiresAt: Date | null }> {
  if (!isWellFormedApiKey(presented)) throw new IdentityError('API_KEY_MALFORMED');
  const result = await sys.query<{
    tenant_id: string;
    id: string;
    role: Role;
    expires_at: Date | null;
    revoked_at: Date | null;
    last_used_at: Date | null;
    llm_requests_per_minute: number | null;
    llm_tokens_per_minute: number | null;
  }>(
    `select tenant_id, id, role, expires_at, revoked_at, last_used_at, llm_requests_per_minute, llm_tokens_per_minute
       from api_keys where key_hash = $1`,
    [sha256Hex(presented)],
  );
  const row = result.rows[0];
  if (!row) throw new IdentityError('API_KEY_INVALID');
  if (row.revoked_at) throw new IdentityError('API_KEY_REVOKED');
  if (row.expires_at && row.expires_at.getTime() <= now.getTime()) throw new IdentityError('API_KEY_EXPIRED');
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await sys.query('update api_keys set last_used_at = $3 where tenant_id = $1 and id = $2', [
      row.tenant_id,
      row.id,
      now,
    ]);
  }
  const principal: Principal = {
    tenantId: row.tenant_id,
    role: row.role,
    actor: { type: 'api_key', id: row.id },
    via: 'api_key',
    userId: null,
    apiKeyId: row.id,
    sessionId: null,
    llmLimits: { requestsPerMinute: row.llm_requests_per_minute, tokensPerMinute: row.llm_tokens_per_minute },
  };
  return { principal, expiresAt: row.expires_at };
}
