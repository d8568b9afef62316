import type { Queryable } from '../db/index.ts';
import { AliasSpecSchema, splitModelRef, type AliasSpec } from './alias-spec.ts';
import { GatewayError } from './errors.ts';
import type { ModelRef } from './model-store.ts';
import { listModelPrices } from './price-store.ts';

/** A tenant's named routing spec (model_aliases); `spec` is the parsed, defaulted AliasSpec. */
export interface ModelAlias {
  name: string;
  spec: AliasSpec;
  /** 1 when created; one more on every change of the spec. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Something about a stored alias the caller should know, without it being an error. */
export interface AliasWarning {
  code: 'CANDIDATE_UNPRICED';
  candidate: string;
  message: string;
}

export interface PutAliasResult {
  alias: ModelAlias;
  created: boolean;
  /** False when the spec equals the stored one: nothing was written, the version stays. */
  changed: boolean;
  warnings: AliasWarning[];
}

interface AliasRow extends Record<string, unknown> {
  name: string;
  spec: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/* The spec is written by putAlias only, parsed; parsing again on read keeps defaults of fields
   added to AliasSpec after the row was written. */
function toAlias(row: AliasRow): ModelAlias {
  const spec = AliasSpecSchema.parse(row.spec);
  return {
    name: row.name,
    spec,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const ALIAS_SELECT = 'select name, spec, version, created_at, updated_at from model_aliases';

/** The tenant's aliases by name (RLS keeps them to the transaction's tenant). */
export async function listAliases(tx: Queryable): Promise<ModelAlias[]> {
  const found = await tx.query<AliasRow>(`${ALIAS_SELECT} order by name`);
  return found.rows.map(toAlias);
}

/** The alias, or null when the tenant has none of that name. */
export async function findAlias(tx: Queryable, name: string): Promise<ModelAlias | null> {
  const found = await tx.query<AliasRow>(`${ALIAS_SELECT} where name = $1`, [name]);
  const row = found.rows[0];
  return row ? toAlias(row) : null;
}

/** The alias; ALIAS_NOT_FOUND when the tenant has none of that name. */
export async function getAlias(tx: Queryable, name: string): Promise<ModelAlias> {
  const alias = await findAlias(tx, name);
  if (!alias) throw new GatewayError('ALIAS_NOT_FOUND', `No model alias named ${name}`);
  return alias;
}

const refOf = (candidate: string): ModelRef => {
  const ref = splitModelRef(candidate);
  if (!ref) throw new GatewayError('ALIAS_UNKNOWN_MODEL', `Candidate ${candidate} is not provider/model`);
  return ref;
};

/**
 * Checks the candidates against the catalog (one statement): each must be a known model, all of
 * one kind. An unpriced candidate is allowed (the router skips it while it has no price) and
 * reported as a warning.
 */
async function checkCandidates(
  tx: Queryable,
  tenantId: string,
  spec: AliasSpec,
  at: Date,
): Promise<AliasWarning[]> {
  const names = spec.candidates.map((c) => c.model);
  const models = await listModelPrices(tx, tenantId, at, names.map(refOf));
  const found = new Map(models.map((m) => [`${m.provider}/${m.model}`, m]));
  const unknown = names.filter((name) => !found.has(name));
  if (unknown.length > 0)
    throw new GatewayError(
      'ALIAS_UNKNOWN_MODEL',
      `Candidates not in the model catalog: ${unknown.join(', ')} (see GET /v1/model-prices)`,
      { models: unknown },
    );
  const kinds = [...new Set(models.map((m) => m.kind))].sort();
  if (kinds.length > 1)
    throw new GatewayError(
      'ALIAS_MIXED_KINDS',
      `Candidates mix model kinds (${kinds.join(', ')}); an alias is either for chat or for embeddings`,
      { models: models.map((m) => ({ model: `${m.provider}/${m.model}`, kind: m.kind })) },
    );
  return names
    .filter((name) => found.get(name)?.price === null)
    .map((name) => ({
      code: 'CANDIDATE_UNPRICED' as const,
      candidate: name,
      message: `${name} has no price in effect; the alias skips it until it has one`,
    }));
}

/**
 * Creates the alias or replaces its spec. A spec equal to the stored one writes nothing and keeps
 * the version; any change adds one to it. `at` is the moment the warnings' prices are read at.
 */
export async function putAlias(
  tx: Queryable,
  tenantId: string,
  name: string,
  spec: AliasSpec,
  at: Date,
): Promise<PutAliasResult> {
  const warnings = await checkCandidates(tx, tenantId, spec, at);
  const written = await tx.query<AliasRow & { created: boolean }>(
    `insert into model_aliases (tenant_id, name, spec) values ($1, $2, $3::jsonb)
     on conflict (tenant_id, name) do update
        set spec = excluded.spec, version = model_aliases.version + 1, updated_at = now()
      where model_aliases.spec is distinct from excluded.spec
     returning name, spec, version, created_at, updated_at, (xmax = 0) as created`,
    [tenantId, name, JSON.stringify(spec)],
  );
  const row = written.rows[0];
  if (row) return { alias: toAlias(row), created: row.created, changed: true, warnings };
  return { alias: await getAlias(tx, name), created: false, changed: false, warnings };
}

/** Deletes the alias and returns it; ALIAS_NOT_FOUND when the tenant has none of that name. */
export async function deleteAlias(tx: Queryable, name: string): Promise<ModelAlias> {
  const removed = await tx.query<AliasRow>(
    'delete from model_aliases where name = $1 returning name, spec, version, created_at, updated_at',
    [name],
  );
  const row = removed.rows[0];
  if (!row) throw new GatewayError('ALIAS_NOT_FOUND', `No model alias named ${name}`);
  return toAlias(row);
}
