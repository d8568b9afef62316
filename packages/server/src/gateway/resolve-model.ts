import { MAX_TIER, splitModelRef, type AliasSpec } from './alias-spec.ts';
import type { Candidate } from './candidates.ts';
import { GatewayError } from './errors.ts';
import type { GlobalCatalog, ModelEntry, TenantCatalog } from './gateway-catalog.ts';

/** What the `model` of a request names: an alias of the tenant, or one model directly. */
export interface ResolvedModel {
  alias: string | null;
  spec: AliasSpec;
  candidates: Candidate[];
}

const directSpec = (models: readonly ModelEntry[]): AliasSpec => ({
  strategy: 'cheapest',
  candidates: models.map((m) => ({ model: `${m.provider}/${m.model}`, tier: MAX_TIER, weight: 1 })),
  minTier: 1,
  defaults: {},
  cache: { enabled: false, ttlSeconds: 3600 },
  budgetRules: [],
});

/**
 * Resolves `model` (ADR 0006, step 1): the tenant's alias of that name; else `provider/model`;
 * else a bare model name, offered by one or more enabled providers (then each is a fallback of
 * the others, cheapest first). A model of the wrong kind for the call is refused.
 */
export function resolveModel(
  name: string,
  kind: 'chat' | 'embedding',
  global: GlobalCatalog,
  tenant: TenantCatalog,
): ResolvedModel {
  const aliasSpec = tenant.aliases.get(name);
  let spec: AliasSpec;
  if (aliasSpec) spec = aliasSpec;
  else {
    const ref = splitModelRef(name);
    const direct = ref ? global.models.get(`${ref.provider}/${ref.model}`) : undefined;
    const models = direct ? [direct] : (global.byName.get(name) ?? []);
    if (models.length === 0)
      throw new GatewayError('MODEL_NOT_FOUND', `No alias or model named ${JSON.stringify(name)}`, {
        model: name,
      });
    spec = directSpec(models);
  }
  const candidates: Candidate[] = [];
  const wrongKind: string[] = [];
  for (const candidate of spec.candidates) {
    const entry = global.models.get(candidate.model);
    if (!entry) continue;
    if (entry.kind !== kind) {
      wrongKind.push(candidate.model);
      continue;
    }
    const provider = global.providers.get(entry.provider);
    if (!provider) continue;
    candidates.push({
      provider: entry.provider,
      model: entry.model,
      tier: candidate.tier,
      weight: candidate.weight,
      latencyTargetMs: candidate.latencyTargetMs ?? null,
      price: tenant.prices.get(candidate.model) ?? null,
      hasKey: provider.keyless || provider.platformKey !== null || tenant.keys.has(entry.provider),
    });
  }
  if (candidates.length === 0 && wrongKind.length > 0)
    throw new GatewayError(
      'WRONG_MODEL_KIND',
      `${JSON.stringify(name)} is not ${kind === 'chat' ? 'a chat model' : 'an embedding model'}`,
      { model: name, expected: kind },
    );
  if (candidates.length === 0)
    throw new GatewayError('MODEL_NOT_FOUND', `No enabled provider offers ${JSON.stringify(name)}`, {
      model: name,
    });
  return { alias: aliasSpec ? name : null, spec, candidates };
}
