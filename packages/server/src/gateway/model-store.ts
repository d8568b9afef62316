import type { Queryable } from '../db/index.ts';
import { GatewayError } from './errors.ts';

/** What a model does: chat completions or embeddings (llm_models.kind). */
export const MODEL_KINDS = ['chat', 'embedding'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A model of a provider in the global catalog (llm_models). */
export interface LlmModel {
  provider: string;
  model: string;
  kind: ModelKind;
  contextTokens: number;
  /** False while an operator has disabled the model's provider. */
  providerEnabled: boolean;
  createdAt: string;
}

export interface ModelRef {
  provider: string;
  model: string;
}

interface ModelRow extends Record<string, unknown> {
  provider: string;
  model: string;
  kind: ModelKind;
  context_tokens: number;
  provider_enabled: boolean;
  created_at: Date;
}

const MODEL_SELECT = `select m.provider, m.model, m.kind, m.context_tokens, p.enabled as provider_enabled, m.created_at
  from llm_models m join llm_providers p on p.name = m.provider`;

const toModel = (row: ModelRow): LlmModel => ({
  provider: row.provider,
  model: row.model,
  kind: row.kind,
  contextTokens: row.context_tokens,
  providerEnabled: row.provider_enabled,
  createdAt: row.created_at.toISOString(),
});

/** Every model of the catalog, by provider and name. */
export async function listCatalogModels(tx: Queryable): Promise<LlmModel[]> {
  const found = await tx.query<ModelRow>(`${MODEL_SELECT} order by m.provider, m.model`);
  return found.rows.map(toModel);
}

/** The catalog's entries of these models (one statement); absent ones are simply not returned. */
export async function findCatalogModels(tx: Queryable, refs: readonly ModelRef[]): Promise<LlmModel[]> {
  if (refs.length === 0) return [];
  const found = await tx.query<ModelRow>(
    `${MODEL_SELECT}
      join unnest($1::text[], $2::text[]) as wanted (provider, model)
        on wanted.provider = m.provider and wanted.model = m.model
     order by m.provider, m.model`,
    [refs.map((r) => r.provider), refs.map((r) => r.model)],
  );
  return found.rows.map(toModel);
}

export async function getCatalogModel(tx: Queryable, ref: ModelRef): Promise<LlmModel> {
  const [model] = await findCatalogModels(tx, [ref]);
  if (!model)
    throw new GatewayError('MODEL_NOT_FOUND', `No model ${ref.provider}/${ref.model} in the catalog`);
  return model;
}

/**
 * Adds a model to the catalog or changes its kind and context window (operators, system role).
 * The provider must exist; a new model has no price until one is added.
 */
export async function putCatalogModel(
  sys: Queryable,
  ref: ModelRef,
  fields: { kind: ModelKind; contextTokens: number },
): Promise<{ model: LlmModel; created: boolean }> {
  const written = await sys.query<{ created: boolean }>(
    `insert into llm_models (provider, model, kind, context_tokens)
     select p.name, $2, $3, $4 from llm_providers p where p.name = $1
     on conflict (provider, model) do update set kind = excluded.kind, context_tokens = excluded.context_tokens
     returning (xmax = 0) as created`,
    [ref.provider, ref.model, fields.kind, fields.contextTokens],
  );
  const row = written.rows[0];
  if (!row) throw new GatewayError('PROVIDER_NOT_FOUND', `No LLM provider named ${ref.provider}`);
  return { model: await getCatalogModel(sys, ref), created: row.created };
}
