import { createTokenCounter } from '../tokens.ts';
import type { TokenCounter } from '../tokens.ts';
import { createAnthropicProvider } from './anthropic.ts';
import { createNodeHttp } from './node-http-fetch.ts';
import { createOpenAiProvider } from './openai.ts';
import type { LlmProvider, ProviderKind } from './provider.ts';
import { createSimulatedProvider } from './simulated.ts';

export interface ProvidersOptions {
  /** Defaults to node:http keep-alive agents (`createNodeHttp`), faster than the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock in ms. */
  now?: () => number;
  /** The simulated provider's waits (tests pass one that returns at once). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Shared by the providers that count tokens; one is made when absent. */
  tokens?: TokenCounter;
}

/** One provider of every kind, sharing the clock, fetch and token counter. */
export function createProviders(options: ProvidersOptions = {}): ReadonlyMap<ProviderKind, LlmProvider> {
  const tokens = options.tokens ?? createTokenCounter();
  const http = {
    // One keep-alive agent for both HTTP providers.
    ...(options.fetch ? { fetch: options.fetch } : { transport: createNodeHttp() }),
    ...(options.now ? { now: options.now } : {}),
  };
  const providers: LlmProvider[] = [
    createOpenAiProvider({ ...http, tokens }),
    createAnthropicProvider(http),
    createSimulatedProvider({
      tokens,
      ...(options.now ? { now: options.now } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    }),
  ];
  return new Map(providers.map((provider) => [provider.kind, provider]));
}
