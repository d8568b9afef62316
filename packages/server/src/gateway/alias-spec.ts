import { z } from 'zod';

/** How an alias orders its candidates (ADR 0006). */
export const ROUTING_STRATEGIES = ['cheapest', 'latency', 'weighted'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Quality tiers, 1 (basic) to 5 (best); a request asks for at least one. */
export const MIN_TIER = 1;
export const MAX_TIER = 5;

export const ALIAS_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** `provider/model`: the provider's name and its own model name. */
export const MODEL_REF_PATTERN = /^[a-z][a-z0-9-]{0,39}\/[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

const Tier = z.number().int().min(MIN_TIER).max(MAX_TIER);

export const AliasCandidateSchema = z.strictObject({
  model: z.string().regex(MODEL_REF_PATTERN, 'must be provider/model, e.g. openai/gpt-4o-mini'),
  tier: Tier.default(1).meta({ description: 'Quality tier of this candidate, 1 (basic) to 5 (best)' }),
  latencyTargetMs: z
    .number()
    .int()
    .min(1)
    .max(600_000)
    .optional()
    .meta({ description: 'Skip this candidate while its observed p50 latency is above this' }),
  weight: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(1)
    .meta({ description: 'Share of requests under the weighted strategy' }),
});

export const AliasSpecSchema = z
  .strictObject({
    description: z.string().max(500).optional(),
    strategy: z.enum(ROUTING_STRATEGIES).default('cheapest'),
    /** Tried in strategy order; the rest are the fallbacks. */
    candidates: z.array(AliasCandidateSchema).min(1).max(20),
    minTier: Tier.default(1).meta({ description: 'Tier a request gets when it asks for none' }),
    defaults: z
      .strictObject({
        system: z.string().max(100_000).optional(),
        temperature: z.number().min(0).max(2).optional(),
        maxTokens: z.number().int().min(1).max(1_000_000).optional(),
      })
      .default({}),
    cache: z
      .strictObject({
        enabled: z.boolean().default(false),
        ttlSeconds: z
          .number()
          .int()
          .min(1)
          .max(30 * 24 * 3600)
          .default(3600),
      })
      .default({ enabled: false, ttlSeconds: 3600 }),
    /** Cheaper tiers as the tenant's remaining budget runs low (first rule that holds wins). */
    budgetRules: z
      .array(
        z.strictObject({
          whenRemainingBelowUsd: z.number().min(0),
          maxTier: Tier.meta({ description: 'Use candidates of at most this tier' }),
        }),
      )
      .max(10)
      .default([]),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.candidates.forEach((candidate, index) => {
      if (seen.has(candidate.model))
        ctx.addIssue({ code: 'custom', path: ['candidates', index, 'model'], message: 'is listed twice' });
      seen.add(candidate.model);
    });
    if (spec.strategy === 'weighted' && spec.candidates.every((c) => c.weight === 0))
      ctx.addIssue({
        code: 'custom',
        path: ['candidates'],
        message: 'needs a candidate with weight above 0',
      });
  });

export type AliasSpecInput = z.input<typeof AliasSpecSchema>;
export type AliasSpec = z.output<typeof AliasSpecSchema>;
export type AliasCandidate = z.output<typeof AliasCandidateSchema>;

/** `provider/model` split at the first slash (model names may contain more). */
export function splitModelRef(ref: string): { provider: string; model: string } | null {
  if (!MODEL_REF_PATTERN.test(ref)) return null;
  const slash = ref.indexOf('/');
  return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}
