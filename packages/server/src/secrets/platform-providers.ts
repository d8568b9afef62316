import type { Queryable } from '../db/index.ts';
import { SecretsError } from './errors.ts';
import { secretFingerprint } from './fingerprint.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * The platform's LLM providers (`llm_providers`, operators only) and their platform-wide API
 * keys, sealed by the master key with `shoal:platform-provider:<name>` as associated data
 * (ADR 0006). Writes run as the system role; the sealed key is readable by it only.
 */
export interface PlatformProviderView {
  name: string;
  kind: string;
  baseUrl: string | null;
  hasPlatformKey: boolean;
  platformKeyFingerprint: string | null;
  options: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PutPlatformProviderInput {
  /** `openai`, `anthropic` or `simulated` (gateway's PROVIDER_KINDS; the table checks it too). */
  kind: string;
  /** Required unless `simulated`. */
  baseUrl?: string | null;
  /** A new platform key; null removes it; absent keeps the one there is. */
  apiKey?: string | null;
  /** Absent: kept (`{}` for a new provider). */
  options?: Record<string, unknown>;
  /** Absent: kept (true for a new provider). */
  enabled?: boolean;
}

/** What a put changed, for the operator's log line: never the key, only its fingerprint. */
export interface PlatformProviderChange {
  provider: PlatformProviderView;
  created: boolean;
  changed: string[];
  platformKey: 'set' | 'replaced' | 'removed' | 'kept';
}

type ProviderRow = {
  name: string;
  kind: string;
  base_url: string | null;
  api_key_fingerprint: string | null;
  options: Record<string, unknown> | string;
  enabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
};

/** The columns the app role may read too: everything but the sealed key. */
const VIEW_COLUMNS = 'name, kind, base_url, api_key_fingerprint, options, enabled, created_at, updated_at';
const BUILTIN = 'simulated';

/** Associated data of a platform provider key: a sealed key moved to another provider does not open. */
export const platformProviderContext = (name: string) => `shoal:platform-provider:${name}`;

const toView = (row: ProviderRow): PlatformProviderView => ({
  name: row.name,
  kind: row.kind,
  baseUrl: row.base_url,
  hasPlatformKey: row.api_key_fingerprint !== null,
  platformKeyFingerprint: row.api_key_fingerprint,
  options:
    typeof row.options === 'string' ? (JSON.parse(row.options) as Record<string, unknown>) : row.options,
  enabled: row.enabled,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

export async function listPlatformProviders(q: Queryable): Promise<PlatformProviderView[]> {
  const result = await q.query<ProviderRow>(`select ${VIEW_COLUMNS} from llm_providers order by name`);
  return result.rows.map(toView);
}

/**
 * Creates or changes a provider. A non-simulated provider needs an http(s) base URL
 * (PROVIDER_INVALID); a simulated one keeps no key (PROVIDER_NEEDS_NO_KEY); a new key needs a
 * master key (`box` null: SECRETS_UNAVAILABLE). System transaction.
 */
export async function putPlatformProvider(
  sys: Queryable,
  box: SecretBox | null,
  name: string,
  input: PutPlatformProviderInput,
): Promise<PlatformProviderChange> {
  const baseUrl = input.baseUrl ?? null;
  if (input.kind !== 'simulated' && (baseUrl === null || !/^https?:\/\//.test(baseUrl)))
    throw new SecretsError('PROVIDER_INVALID', `A ${input.kind} provider needs an http(s) baseUrl`);
  const found = await sys.query<ProviderRow & { api_key_sealed: string | null }>(
    `select ${VIEW_COLUMNS}, api_key_sealed from llm_providers where name = $1 for update`,
    [name],
  );
  const before = found.rows[0];
  const keepsKey = input.apiKey === undefined && before?.api_key_fingerprint != null;
  if (input.kind === 'simulated' && (typeof input.apiKey === 'string' || keepsKey))
    throw new SecretsError(
      'PROVIDER_NEEDS_NO_KEY',
      keepsKey
        ? `${name} has a platform key; a simulated provider takes none (send "apiKey": null to remove it)`
        : `A simulated provider takes no API key`,
    );
  let sealed = before?.api_key_sealed ?? null;
  let fingerprint = before?.api_key_fingerprint ?? null;
  if (typeof input.apiKey === 'string') {
    if (!box) throw new SecretsError('SECRETS_UNAVAILABLE');
    sealed = box.sealPlatform(platformProviderContext(name), input.apiKey);
    fingerprint = secretFingerprint(input.apiKey);
  } else if (input.apiKey === null) {
    sealed = null;
    fingerprint = null;
  }
  const options = input.options ?? (before ? toView(before).options : {});
  const enabled = input.enabled ?? before?.enabled ?? true;
  const params = [name, input.kind, baseUrl, sealed, fingerprint, JSON.stringify(options), enabled];
  const written = before
    ? await sys.query<ProviderRow>(
        `update llm_providers set kind = $2, base_url = $3, api_key_sealed = $4, api_key_fingerprint = $5,
                options = $6::jsonb, enabled = $7, updated_at = now()
          where name = $1 returning ${VIEW_COLUMNS}`,
        params,
      )
    : await sys.query<ProviderRow>(
        `insert into llm_providers (name, kind, base_url, api_key_sealed, api_key_fingerprint, options, enabled)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning ${VIEW_COLUMNS}`,
        params,
      );
  const provider = toView(written.rows[0] as ProviderRow);
  const old = before ? toView(before) : null;
  const changed = old
    ? (['kind', 'baseUrl', 'options', 'enabled', 'platformKeyFingerprint'] as const).filter(
        (field) => JSON.stringify(old[field]) !== JSON.stringify(provider[field]),
      )
    : [];
  const platformKey =
    typeof input.apiKey === 'string'
      ? old?.hasPlatformKey
        ? 'replaced'
        : 'set'
      : input.apiKey === null && old?.hasPlatformKey
        ? 'removed'
        : 'kept';
  return { provider, created: !before, changed, platformKey };
}

/**
 * Deletes a provider, and with it (foreign keys, ON DELETE CASCADE) its models, their prices
 * and every tenant's key of it. The simulated provider is built in (PROVIDER_BUILTIN).
 */
export async function deletePlatformProvider(sys: Queryable, name: string): Promise<PlatformProviderView> {
  if (name === BUILTIN)
    throw new SecretsError(
      'PROVIDER_BUILTIN',
      `${name} is built in; disable it with "enabled": false instead`,
    );
  const deleted = await sys.query<ProviderRow>(
    `delete from llm_providers where name = $1 returning ${VIEW_COLUMNS}`,
    [name],
  );
  const row = deleted.rows[0];
  if (!row) throw new SecretsError('PROVIDER_NOT_FOUND', `No LLM provider named ${name}`);
  return toView(row);
}

/** The platform key of a provider as stored (`llm_providers.api_key_sealed`), opened. */
export const openPlatformProviderKey = (box: SecretBox, name: string, stored: string): string =>
  box.openPlatform(platformProviderContext(name), stored);

/** The platform key of `name`, or null when it has none (or no such provider). System transaction. */
export async function readPlatformProviderKey(
  sys: Queryable,
  box: SecretBox,
  name: string,
): Promise<string | null> {
  const found = await sys.query<{ api_key_sealed: string | null }>(
    'select api_key_sealed from llm_providers where name = $1',
    [name],
  );
  const stored = found.rows[0]?.api_key_sealed;
  return stored ? openPlatformProviderKey(box, name, stored) : null;
}

/**
 * Re-seals every platform key under the current master key (master-key rotation). A key sealed
 * by an unknown master key (SECRETS_MASTER_KEY_MISMATCH) or unreadable is left as it is and
 * reported in `failed`; the others are re-sealed. System transaction.
 */
export async function rewrapPlatformProviderKeys(
  sys: Queryable,
  box: SecretBox,
): Promise<{ rewrapped: string[]; current: string[]; failed: { provider: string; error: SecretsError }[] }> {
  const found = await sys.query<{ name: string; api_key_sealed: string }>(
    'select name, api_key_sealed from llm_providers where api_key_sealed is not null order by name for update',
  );
  const rewrapped: string[] = [];
  const current: string[] = [];
  const failed: { provider: string; error: SecretsError }[] = [];
  for (const row of found.rows) {
    let resealed: string | null;
    try {
      resealed = box.rewrapPlatform(platformProviderContext(row.name), row.api_key_sealed);
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      failed.push({ provider: row.name, error });
      continue;
    }
    if (resealed === null) {
      current.push(row.name);
      continue;
    }
    // updated_at is the operator's last change: a rewrap changes no setting.
    await sys.query('update llm_providers set api_key_sealed = $2 where name = $1', [row.name, resealed]);
    rewrapped.push(row.name);
  }
  return { rewrapped, current, failed };
}
