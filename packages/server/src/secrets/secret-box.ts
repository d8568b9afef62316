import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { open, seal } from './aes-gcm.ts';
import { SecretsError } from './errors.ts';
import { masterKeyId } from './master-key.ts';

const DATA_KEY_BYTES = 32;

/**
 * Envelope encryption of tenant secrets (DESIGN.md "Tenancy and data"): each tenant has a data
 * key, made on first use and stored wrapped by the master key with the tenant id as associated
 * data; a secret is sealed by the data key with `tenantId:secretId` as associated data, so a
 * sealed value moved to another row or tenant does not open. Tenant calls run in the tenant's
 * transaction.
 *
 * Rotation (ADR 0006, docs/security.md): new data keys are wrapped by the current master key;
 * data keys wrapped by a previous one still unwrap, and `rewrap` moves them to the current one.
 * Platform secrets (operators' provider keys) are sealed by the master key itself.
 */
export interface SecretBox {
  /** The id (`masterKeyId`) of the master key that wraps and seals from now on. */
  readonly currentKeyId: string;
  seal(tx: Queryable, tenantId: string, secretId: string, plaintext: string): Promise<string>;
  open(tx: Queryable, tenantId: string, secretId: string, sealed: string): Promise<string>;
  /**
   * Re-wraps the tenant's data key under the current master key when a previous one wraps it;
   * true when it changed. The data key stays the same, so no secret is re-sealed.
   */
  rewrap(tx: Queryable, tenantId: string): Promise<boolean>;
  /** A platform secret sealed by the current master key: `<masterKeyId>.<sealed>`. */
  sealPlatform(context: string, plaintext: string): string;
  openPlatform(context: string, stored: string): string;
  /** The same platform secret sealed under the current master key; null when it already is. */
  rewrapPlatform(context: string, stored: string): string | null;
}

export interface SecretBoxOptions {
  masterKey: Buffer;
  /** Earlier master keys, accepted for unwrapping only (SHOAL_MASTER_KEY_PREVIOUS). */
  previousKeys?: readonly Buffer[];
}

type WrappedKeyRow = {
  master_key_id: string;
  wrapped_key: string;
};

const wrapContext = (tenantId: string) => `shoal:tenant-key:${tenantId}`;
const secretContext = (tenantId: string, secretId: string) => `shoal:secret:${tenantId}:${secretId}`;

export function createSecretBox(options: SecretBoxOptions): SecretBox {
  const current = Buffer.from(options.masterKey);
  const currentKeyId = masterKeyId(current);
  // The current key first: a previous list that repeats it changes nothing.
  const keys = new Map<string, Buffer>([[currentKeyId, current]]);
  for (const previous of options.previousKeys ?? []) {
    const id = masterKeyId(previous);
    if (!keys.has(id)) keys.set(id, Buffer.from(previous));
  }

  const masterKey = (id: string, what: string): Buffer => {
    const key = keys.get(id);
    if (!key)
      throw new SecretsError(
        'SECRETS_MASTER_KEY_MISMATCH',
        `${what} was wrapped by master key ${id}, which is neither SHOAL_MASTER_KEY nor in SHOAL_MASTER_KEY_PREVIOUS`,
      );
    return key;
  };

  const unwrap = (tenantId: string, row: WrappedKeyRow): Buffer => {
    const key = masterKey(row.master_key_id, `The data key of tenant ${tenantId}`);
    try {
      return open(key, row.wrapped_key, wrapContext(tenantId));
    } catch (error) {
      throw new SecretsError('SECRET_UNREADABLE', "The tenant's data key could not be unwrapped", {
        cause: error,
      });
    }
  };

  const readRow = async (tx: Queryable, tenantId: string, lock: boolean): Promise<WrappedKeyRow | null> => {
    const found = await tx.query<WrappedKeyRow>(
      `select master_key_id, wrapped_key from tenant_keys where tenant_id = $1${lock ? ' for update' : ''}`,
      [tenantId],
    );
    return found.rows[0] ?? null;
  };

  const readKey = async (tx: Queryable, tenantId: string): Promise<Buffer | null> => {
    const row = await readRow(tx, tenantId, false);
    return row ? unwrap(tenantId, row) : null;
  };

  const dataKey = async (tx: Queryable, tenantId: string): Promise<Buffer> => {
    const existing = await readKey(tx, tenantId);
    if (existing) return existing;
    const fresh = randomBytes(DATA_KEY_BYTES);
    // Two first uses at once: the loser's insert does nothing and it reads the winner's key.
    await tx.query(
      `insert into tenant_keys (tenant_id, master_key_id, wrapped_key) values ($1, $2, $3)
       on conflict (tenant_id) do nothing`,
      [tenantId, currentKeyId, seal(current, fresh, wrapContext(tenantId))],
    );
    const stored = await readKey(tx, tenantId);
    if (!stored) throw new SecretsError('SECRET_UNREADABLE', 'The tenant has no data key');
    return stored;
  };

  const splitPlatform = (stored: string): { keyId: string; sealed: string } => {
    const dot = stored.indexOf('.');
    if (dot <= 0) throw new SecretsError('SECRET_UNREADABLE', 'A platform secret has no master key id');
    return { keyId: stored.slice(0, dot), sealed: stored.slice(dot + 1) };
  };

  const openPlatform = (context: string, stored: string): string => {
    const { keyId, sealed } = splitPlatform(stored);
    const key = masterKey(keyId, 'A platform secret');
    try {
      return open(key, sealed, context).toString('utf8');
    } catch (error) {
      throw new SecretsError('SECRET_UNREADABLE', undefined, { cause: error });
    }
  };

  const sealPlatform = (context: string, plaintext: string): string =>
    `${currentKeyId}.${seal(current, Buffer.from(plaintext, 'utf8'), context)}`;

  return {
    currentKeyId,
    async seal(tx, tenantId, secretId, plaintext) {
      const key = await dataKey(tx, tenantId);
      return seal(key, Buffer.from(plaintext, 'utf8'), secretContext(tenantId, secretId));
    },
    async open(tx, tenantId, secretId, sealed) {
      const key = await readKey(tx, tenantId);
      if (!key) throw new SecretsError('SECRET_UNREADABLE', 'The tenant has no data key');
      try {
        return open(key, sealed, secretContext(tenantId, secretId)).toString('utf8');
      } catch (error) {
        throw new SecretsError('SECRET_UNREADABLE', undefined, { cause: error });
      }
    },
    async rewrap(tx, tenantId) {
      // Locked, so two rewraps (or a rewrap and a first use) of one tenant run one after the other.
      const row = await readRow(tx, tenantId, true);
      if (!row || row.master_key_id === currentKeyId) return false;
      const key = unwrap(tenantId, row);
      await tx.query(
        `update tenant_keys set master_key_id = $2, wrapped_key = $3, rewrapped_at = now()
          where tenant_id = $1`,
        [tenantId, currentKeyId, seal(current, key, wrapContext(tenantId))],
      );
      return true;
    },
    sealPlatform,
    openPlatform,
    rewrapPlatform(context, stored) {
      if (splitPlatform(stored).keyId === currentKeyId) return null;
      return sealPlatform(context, openPlatform(context, stored));
    },
  };
}
