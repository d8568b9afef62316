import type { Usage } from '../../gateway/index.ts';

/** Token counts as llm steps output them. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  /** Input tokens served from the provider's prompt cache (a part of promptTokens). */
  cachedTokens: number;
}

export const NO_USAGE: LlmUsage = Object.freeze({ promptTokens: 0, completionTokens: 0, cachedTokens: 0 });

export const stepUsage = (usage: Usage): LlmUsage => ({
  promptTokens: usage.prompt_tokens,
  completionTokens: usage.completion_tokens,
  cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
});

export const addUsage = (a: LlmUsage, b: LlmUsage): LlmUsage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  cachedTokens: a.cachedTokens + b.cachedTokens,
});
