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
 * sealed value moved to another row or tenant does not open. Calls run in the tenant's transaction.
 */
export interface SecretBox {
  seal(tx: Queryable, tenantId: string, secretId: string, plaintext: string): Promise<string>;
  open(tx: Queryable, tenantId: string, secretId: string, sealed: string): Promise<string>;
}

const wrapContext = (tenantId: string) => `shoal:tenant-key:${tenantId}`;
const secretContext = (tenantId: string, secretId: string) => `shoal:secret:${tenantId}:${secretId}`;

export function createSecretBox(options: { masterKey: Buffer }): SecretBox {
  const masterKey = Buffer.from(options.masterKey);
  const keyId = masterKeyId(masterKey);

  const unwrap = (tenantId: string, row: { master_key_id: string; wrapped_key: string }): Buffer => {
    if (row.master_key_id !== keyId) throw new SecretsError('SECRETS_MASTER_KEY_MISMATCH');
    try {
      return open(masterKey, row.wrapped_key, wrapContext(tenantId));
    } catch (error) {
      throw new SecretsError('SECRET_UNREADABLE', "The tenant's data key could not be unwrapped", {
        cause: error,
      });
    }
  };

  const readKey = async (tx: Queryable, tenantId: string): Promise<Buffer | null> => {
    const found = await tx.query<{ master_key_id: string; wrapped_key: string }>(
      'select master_key_id, wrapped_key from tenant_keys where tenant_id = $1',
      [tenantId],
    );
    const row = found.rows[0];
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
      [tenantId, keyId, seal(masterKey, fresh, wrapContext(tenantId))],
    );
    const stored = await readKey(tx, tenantId);
    if (!stored) throw new SecretsError('SECRET_UNREADABLE', 'The tenant has no data key');
    return stored;
  };

  return {
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
  };
}
