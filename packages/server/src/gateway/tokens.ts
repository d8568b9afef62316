import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import type { ChatMessage, ContentPart, ToolDefinition } from './providers/provider.ts';

/**
 * Token counts for estimates (rate limits, worst-case reservations, the simulated provider):
 * o200k_base for every model. Anthropic and open models tokenize differently, so for them the
 * count is an estimate; the provider's own usage is what gets charged.
 */
export interface TokenCounter {
  /** Tokens of `text`; `model` is accepted for callers' clarity, every model counts as o200k_base. */
  countTokens(text: string, model?: string): number;
  /** Prompt tokens of a chat request: messages with their per-message overhead, plus tool definitions. */
  estimateChatTokens(messages: readonly ChatMessage[], tools?: readonly ToolDefinition[]): number;
  /** Builds the rank table now (about 0.6 s) instead of on the first count. */
  warm(): void;
}

/** OpenAI's accounting: every message costs 3 tokens around its content, the reply is primed with 3. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;
/** Tool definitions are rendered into the prompt with some framing around their JSON. */
const TOKENS_PER_TOOL = 8;
/** A high-detail 1024×1024 image (85 + 4 tiles × 170): the estimate for an image part of unknown size. */
const TOKENS_PER_IMAGE = 765;
const DEFAULT_PIECE_CACHE_SIZE = 50_000;

/*
 * The rank table is immutable and costs ~0.6 s and ~50 MB to build, so it is built lazily once
 * per process and shared by every counter (a cache of a constant, not state): tests and the
 * composition root creating several counters must not pay for it again.
 */
let sharedEncoding: { tiktoken: Tiktoken; pattern: RegExp } | undefined;
function encoding(): { tiktoken: Tiktoken; pattern: RegExp } {
  sharedEncoding ??= { tiktoken: new Tiktoken(o200kBase), pattern: new RegExp(o200kBase.pat_str, 'gu') };
  return sharedEncoding;
}

/**
 * A counter with its own memo of pre-tokenized pieces (words with their leading space, runs of
 * punctuation): the BPE of a piece never depends on its neighbours, so summing memoised piece
 * counts gives exactly the tokenizer's count, about ten times faster on natural text.
 */
export function createTokenCounter(options: { pieceCacheSize?: number } = {}): TokenCounter {
  const cacheSize = options.pieceCacheSize ?? DEFAULT_PIECE_CACHE_SIZE;
  const pieces = new Map<string, number>();

  function countTokens(text: string): number {
    if (text.length === 0) return 0;
    const { tiktoken, pattern } = encoding();
    let total = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const piece = match[0];
      let count = pieces.get(piece);
      if (count === undefined) {
        // Special-token text (`<|endoftext|>`) is counted as ordinary text: it is user content.
        count = tiktoken.encode(piece, [], []).length;
        if (pieces.size >= cacheSize) pieces.clear();
        pieces.set(piece, count);
      }
      total += count;
    }
    return total;
  }

  function contentTokens(content: string | ContentPart[] | null): number {
    if (content === null) return 0;
    if (typeof content === 'string') return countTokens(content);
    let total = 0;
    for (const part of content) total += part.type === 'text' ? countTokens(part.text) : TOKENS_PER_IMAGE;
    return total;
  }

  function estimateChatTokens(messages: readonly ChatMessage[], tools?: readonly ToolDefinition[]): number {
    let total = REPLY_PRIMING_TOKENS;
    for (const message of messages) {
      total += TOKENS_PER_MESSAGE + countTokens(message.role) + contentTokens(message.content);
      if (message.name !== undefined) total += TOKENS_PER_NAME + countTokens(message.name);
      for (const call of message.tool_calls ?? []) {
        total += TOKENS_PER_MESSAGE + countTokens(call.function.name) + countTokens(call.function.arguments);
      }
      if (message.tool_call_id !== undefined) total += countTokens(message.tool_call_id);
    }
    for (const tool of tools ?? []) total += TOKENS_PER_TOOL + countTokens(JSON.stringify(tool.function));
    return total;
  }

  return {
    countTokens,
    estimateChatTokens,
    warm: () => void encoding(),
  };
}

/*
 * `countTokens` and `estimateChatTokens` as plain functions, for callers without a counter of
 * their own: they share one lazily made counter whose only state is a memo of a pure function,
 * so no result depends on who called first.
 */
let defaultCounter: TokenCounter | undefined;

export function countTokens(text: string, model?: string): number {
  defaultCounter ??= createTokenCounter();
  return defaultCounter.countTokens(text, model);
}

export function estimateChatTokens(
  messages: readonly ChatMessage[],
  tools?: readonly ToolDefinition[],
): number {
  defaultCounter ??= createTokenCounter();
  return defaultCounter.estimateChatTokens(messages, tools);
}
