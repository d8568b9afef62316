import type { AliasSpec, RoutingStrategy } from './alias-spec.ts';
import { costMicroUsd, type PriceRates } from './cost.ts';
import type { CallAttempt } from './gateway-types.ts';
import type { ModelHealth } from './model-stats.ts';

/** A model a call may go to, with what routing needs to know of it. */
export interface Candidate {
  provider: string;
  model: string;
  tier: number;
  weight: number;
  latencyTargetMs: number | null;
  price: (PriceRates & { priceId: number | null; source: 'catalog' | 'tenant' }) | null;
  /** False when neither the tenant nor the platform has a key for its provider. */
  hasKey: boolean;
}

export interface RoutingInput {
  strategy: RoutingStrategy;
  candidates: readonly Candidate[];
  /** Lowest tier acceptable. */
  minTier: number;
  /** Highest tier allowed (a budget rule), or null. */
  maxTier: number | null;
  /** For the cheapest strategy: the worst case of this request. */
  estimatedInputTokens: number;
  maxOutputTokens: number;
  health: (provider: string, model: string) => ModelHealth | null;
  /** Uniform in [0, 1), for the weighted strategy. */
  random: () => number;
}

export interface RoutingPlan {
  /** In the order to try them: the first, then the fallbacks. */
  order: Candidate[];
  /** Candidates left out, and why (reported in the final error). */
  skipped: CallAttempt[];
}

const worstCase = (c: Candidate, input: RoutingInput) =>
  c.price
    ? costMicroUsd(c.price, {
        tokensIn: input.estimatedInputTokens,
        tokensOut: input.maxOutputTokens,
        tokensCached: 0,
      })
    : Number.POSITIVE_INFINITY;

/** Weighted random order without replacement: each next pick in proportion to its weight. */
function weightedOrder(candidates: Candidate[], random: () => number): Candidate[] {
  const left = [...candidates];
  const order: Candidate[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, c) => sum + c.weight, 0);
    let index = 0;
    if (total > 0) {
      let point = random() * total;
      index = left.findIndex((c) => (point -= c.weight) < 0);
      if (index < 0) index = left.length - 1;
    }
    order.push(...left.splice(index, 1));
  }
  return order;
}

/**
 * Which candidates a call may use and in which order (ADR 0006, step 2): those within the tier
 * band, priced and with a key, by the strategy; a candidate observed slower than its latency
 * target goes after those that are not, as a fallback.
 */
export function planRoute(input: RoutingInput): RoutingPlan {
  const skipped: CallAttempt[] = [];
  const usable: Candidate[] = [];
  for (const c of input.candidates) {
    const skip = (failure: CallAttempt['failure'], message: string) =>
      skipped.push({ provider: c.provider, model: c.model, outcome: 'skipped', failure, message });
    if (c.tier < input.minTier || (input.maxTier !== null && c.tier > input.maxTier))
      skipped.push({
        provider: c.provider,
        model: c.model,
        outcome: 'skipped',
        message: `tier ${c.tier} is outside ${input.minTier}..${input.maxTier ?? 5}`,
      });
    else if (!c.price) skip('unpriced', 'no price in effect');
    else if (!c.hasKey) skip('no_key', 'no tenant or platform key for the provider');
    else usable.push(c);
  }
  let order: Candidate[];
  switch (input.strategy) {
    case 'cheapest':
      order = usable
        .map((c, index) => ({ c, index, cost: worstCase(c, input) }))
        .sort((a, b) => a.cost - b.cost || b.c.tier - a.c.tier || a.index - b.index)
        .map(({ c }) => c);
      break;
    case 'latency': {
      const latency = (c: Candidate) =>
        input.health(c.provider, c.model)?.meanLatencyMs ?? c.latencyTargetMs ?? Number.POSITIVE_INFINITY;
      order = usable
        .map((c, index) => ({ c, index, latency: latency(c) }))
        .sort((a, b) => a.latency - b.latency || a.index - b.index)
        .map(({ c }) => c);
      break;
    }
    case 'weighted':
      order = weightedOrder(usable, input.random);
      break;
    default: {
      const exhaustive: never = input.strategy;
      throw new Error(`unknown strategy ${String(exhaustive)}`);
    }
  }
  const slow = (c: Candidate) => {
    if (c.latencyTargetMs === null) return false;
    const observed = input.health(c.provider, c.model)?.meanLatencyMs;
    return observed !== null && observed !== undefined && observed > c.latencyTargetMs;
  };
  return { order: [...order.filter((c) => !slow(c)), ...order.filter(slow)], skipped };
}

/** The tier band of a call to an alias: the request's tier, capped by the first budget rule that holds. */
export function tierBand(
  spec: AliasSpec,
  requestedTier: number | undefined,
  remainingUsd: number | null,
): { minTier: number; maxTier: number | null } {
  const rule =
    remainingUsd === null ? undefined : spec.budgetRules.find((r) => remainingUsd < r.whenRemainingBelowUsd);
  const minTier = requestedTier ?? spec.minTier;
  if (!rule) return { minTier, maxTier: null };
  return { minTier: Math.min(minTier, rule.maxTier), maxTier: rule.maxTier };
}
