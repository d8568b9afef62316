import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { SecretsError } from './errors.ts';
import { secretFingerprint } from './fingerprint.ts';
import type { SecretBox } from './secret-box.ts';

export const SECRET_KINDS = ['provider_key', 'generic'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** A stored secret as lists show it: never its sealed text, never its plaintext. */
export interface TenantSecretView {
  id: string;
  name: string;
  kind: SecretKind;
  provider: string | null;
  fingerprint: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface PutSecretInput {
  name: string;
  kind: SecretKind;
  /** Required for `provider_key`, absent otherwise (the table's check). */
  provider?: string | null;
  plaintext: string;
  /** actorRef of who stored it. */
  createdBy: string;
}

type SecretRow = {
  id: string;
  name: string;
  kind: SecretKind;
  provider: string | null;
  fingerprint: string;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

const VIEW_COLUMNS = 'id, name, kind, provider, fingerprint, created_by, created_at, updated_at';
const iso = (value: Date | string) => new Date(value).toISOString();

const toView = (row: SecretRow): TenantSecretView => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  provider: row.provider,
  fingerprint: row.fingerprint,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

/**
 * Stores a secret of the tenant, sealed with `tenantId:secretId` as associated data: a new row,
 * or, when the name exists, the same row (same id) with the new value. Tenant transaction.
 */
export async function putTenantSecret(
  tx: Queryable,
  box: SecretBox,
  tenantId: string,
  input: PutSecretInput,
): Promise<{ secret: TenantSecretView; created: boolean }> {
  const provider = input.kind === 'provider_key' ? (input.provider ?? null) : null;
  const fingerprint = secretFingerprint(input.plaintext);
  // A first put racing another of the same name loses the insert; the second pass replaces.
  for (let pass = 0; pass < 2; pass += 1) {
    const existing = await tx.query<SecretRow>(
      `select ${VIEW_COLUMNS} from tenant_secrets where name = $1 for update`,
      [input.name],
    );
    const row = existing.rows[0];
    if (row) {
      if (row.kind !== input.kind || row.provider !== provider)
        throw new SecretsError(
          'SECRET_NAME_TAKEN',
          `A ${row.kind} secret is already named ${input.name}; delete it first`,
        );
      const sealed = await box.seal(tx, tenantId, row.id, input.plaintext);
      const updated = await tx.query<SecretRow>(
        `update tenant_secrets set sealed = $2, fingerprint = $3, updated_at = now()
          where id = $1 returning ${VIEW_COLUMNS}`,
        [row.id, sealed, fingerprint],
      );
      return { secret: toView(updated.rows[0] as SecretRow), created: false };
    }
    const id = randomUUID();
    const sealed = await box.seal(tx, tenantId, id, input.plaintext);
    const inserted = await tx.query<SecretRow>(
      `insert into tenant_secrets (tenant_id, id, name, kind, provider, sealed, fingerprint, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict do nothing
       returning ${VIEW_COLUMNS}`,
      [tenantId, id, input.name, input.kind, provider, sealed, fingerprint, input.createdBy],
    );
    if (inserted.rows[0]) return { secret: toView(inserted.rows[0]), created: true };
  }
  throw new SecretsError('SECRET_NAME_TAKEN', `The secret ${input.name} changed while it was stored`);
}

/** The tenant's secrets by name, optionally of one kind. Tenant transaction. */
export async function listTenantSecrets(
  tx: Queryable,
  filter: { kind?: SecretKind } = {},
): Promise<TenantSecretView[]> {
  const result = await tx.query<SecretRow>(
    `select ${VIEW_COLUMNS} from tenant_secrets where ($1::text is null or kind = $1) order by name`,
    [filter.kind ?? null],
  );
  return result.rows.map(toView);
}

/**
 * Deletes a secret by name, or the provider key of a provider; what it was, or null when there
 * was none. Tenant transaction.
 */
export async function deleteTenantSecret(
  tx: Queryable,
  by: { name: string } | { provider: string },
): Promise<TenantSecretView | null> {
  const result = await tx.query<SecretRow>(
    'name' in by
      ? `delete from tenant_secrets where name = $1 returning ${VIEW_COLUMNS}`
      : `delete from tenant_secrets where kind = 'provider_key' and provider = $1 returning ${VIEW_COLUMNS}`,
    ['name' in by ? by.name : by.provider],
  );
  return result.rows[0] ? toView(result.rows[0]) : null;
}

/** The plaintext of a secret by name, or null when there is none. Tenant transaction. */
export async function readTenantSecret(
  tx: Queryable,
  box: SecretBox,
  tenantId: string,
  name: string,
): Promise<string | null> {
  const result = await tx.query<{ id: string; sealed: string }>(
    'select id, sealed from tenant_secrets where name = $1',
    [name],
  );
  const row = result.rows[0];
  return row ? box.open(tx, tenantId, row.id, row.sealed) : null;
}

/**
 * The tenant's own API key of an LLM provider (BYOK), or null when it brought none.
 * Tenant transaction; what the gateway calls before falling back to the platform key.
 */
export async function readProviderKey(
  tx: Queryable,
  box: SecretBox,
  tenantId: string,
  provider: string,
): Promise<string | null> {
  const result = await tx.query<{ id: string; sealed: string }>(
    `select id, sealed from tenant_secrets where kind = 'provider_key' and provider = $1`,
    [provider],
  );
  const row = result.rows[0];
  return row ? box.open(tx, tenantId, row.id, row.sealed) : null;
}
