import type { Queryable } from '../db/index.ts';
import { SecretsError } from './errors.ts';
import type { SecretBox } from './secret-box.ts';
import {
  deleteTenantSecret,
  listTenantSecrets,
  putTenantSecret,
  type TenantSecretView,
} from './tenant-secrets.ts';

/** A tenant's own key of an LLM provider (BYOK), as lists show it. */
export interface ProviderKeyView {
  provider: string;
  fingerprint: string;
  createdAt: string;
  updatedAt: string;
}

/** The name of a provider key among the tenant's secrets: one per provider. */
export const providerKeyName = (provider: string) => `provider:${provider}`;

const toView = (secret: TenantSecretView): ProviderKeyView => ({
  provider: secret.provider ?? '',
  fingerprint: secret.fingerprint,
  createdAt: secret.createdAt,
  updatedAt: secret.updatedAt,
});

/**
 * Stores (or replaces) the tenant's key of `provider`. The provider must exist and be enabled
 * (PROVIDER_NOT_FOUND), and not be the simulated one (PROVIDER_NEEDS_NO_KEY). Tenant transaction.
 */
export async function putProviderKey(
  tx: Queryable,
  box: SecretBox,
  tenantId: string,
  input: { provider: string; apiKey: string; createdBy: string },
): Promise<{ key: ProviderKeyView; created: boolean }> {
  const found = await tx.query<{ kind: string; enabled: boolean }>(
    'select kind, enabled from llm_providers where name = $1',
    [input.provider],
  );
  const provider = found.rows[0];
  if (!provider?.enabled)
    throw new SecretsError('PROVIDER_NOT_FOUND', `No enabled LLM provider named ${input.provider}`);
  if (provider.kind === 'simulated')
    throw new SecretsError(
      'PROVIDER_NEEDS_NO_KEY',
      `${input.provider} is a simulated provider and takes no API key`,
    );
  const { secret, created } = await putTenantSecret(tx, box, tenantId, {
    name: providerKeyName(input.provider),
    kind: 'provider_key',
    provider: input.provider,
    plaintext: input.apiKey,
    createdBy: input.createdBy,
  });
  return { key: toView(secret), created };
}

/** The tenant's provider keys, by provider. Tenant transaction. */
export async function listProviderKeys(tx: Queryable): Promise<ProviderKeyView[]> {
  const secrets = await listTenantSecrets(tx, { kind: 'provider_key' });
  return secrets.map(toView).sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
}

/** Deletes the tenant's key of `provider`; what it was, or null when there was none. */
export async function deleteProviderKey(tx: Queryable, provider: string): Promise<ProviderKeyView | null> {
  const deleted = await deleteTenantSecret(tx, { provider });
  return deleted ? toView(deleted) : null;
}
