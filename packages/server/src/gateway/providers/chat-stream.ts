import type { ChatChunk, ChatStream, Usage } from './provider.ts';

/**
 * Wraps a provider's chunk generator as a ChatStream. The generator starts on the first
 * `next()` (so a failure to connect throws there, where the gateway can fall back) and reports
 * the usage of the whole stream through `setUsage` just before it ends.
 */
export function makeChatStream(
  run: (setUsage: (usage: Usage) => void) => AsyncGenerator<ChatChunk, void, undefined>,
): ChatStream {
  let usage: Usage | null = null;
  let iterator: AsyncGenerator<ChatChunk, void, undefined> | undefined;
  return {
    [Symbol.asyncIterator]() {
      iterator ??= run((value) => {
        usage = value;
      });
      return iterator;
    },
    usage: () => usage,
  };
}
