import { z } from 'zod';
import { ProviderError } from './provider.ts';
import type { ProviderConnection } from './provider.ts';

const millis = z.number().int().min(0).max(600_000);

/**
 * The simulated provider's `llm_providers.options`. Keys it does not know (the gateway's own,
 * such as timeouts) are left to their readers.
 */
export const SimulatedOptionsSchema = z.object({
  /** Total time of an answer, ms; a stream spreads what remains after `ttftMs` over its chunks. */
  latencyMs: millis.default(0),
  /** Time to the first chunk of a stream (and to an injected error), ms. */
  ttftMs: millis.default(0),
  /** Share of calls that fail, 0..1, decided deterministically (see simulated.ts). */
  errorRate: z.number().min(0).max(1).default(0),
  /** The status an injected failure answers with. */
  errorStatus: z.union([z.literal(429), z.literal(500)]).default(500),
  /** The Retry-After an injected 429 names, ms. */
  retryAfterMs: millis.default(1000),
});

export type SimulatedOptions = Readonly<z.output<typeof SimulatedOptionsSchema>>;

/** Validated, defaulted, frozen options, or a bad_request naming the provider and the first bad field. */
export function compileSimulatedOptions(connection: ProviderConnection): SimulatedOptions {
  const parsed = SimulatedOptionsSchema.safeParse(connection.options);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`)
      .join('; ');
    throw new ProviderError(
      'bad_request',
      `the options of simulated provider ${connection.name} are invalid: ${issues}`,
    );
  }
  return Object.freeze(parsed.data);
}
