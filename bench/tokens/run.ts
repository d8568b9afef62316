/**
 * How long the gateway's token estimate of a chat request takes (it runs before every call, for
 * rate limits and worst-case reservations): a 2 KB prompt, each call with a piece the memo has
 * not seen. Prints a table and a JSON line. `npx tsx bench/tokens/run.ts`
 */
import { createTokenCounter, type ChatMessage } from '../../packages/server/src/gateway/index.ts';

const WORDS = 'Summarise the quarterly results for the support team, with 3 risks and their owners'.split(
  ' ',
);
const prompt = (bytes: number, salt: number) => {
  let text = '';
  for (let i = 0; text.length < bytes; i++)
    text += `${WORDS[i % WORDS.length]}${i % 11 === 10 ? '.\n' : ' '}`;
  return `${text.slice(0, bytes)} ${salt}`;
};

const counter = createTokenCounter();
const warmStarted = performance.now();
counter.warm();
const warmMs = performance.now() - warmStarted;
const perBatch: number[] = [];
for (let batch = 0; batch < 9; batch++) {
  const started = performance.now();
  for (let i = 0; i < 200; i++) {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a helpful assistant for the operations team.' },
      { role: 'user', content: prompt(2048, batch * 200 + i) },
    ];
    counter.estimateChatTokens(messages);
  }
  perBatch.push(((performance.now() - started) / 200) * 1000);
}
perBatch.sort((a, b) => a - b);
const median = perBatch[4] ?? 0;
console.log('| measure | value |\n| --- | --: |');
console.log(`| rank table build (once per process) | ${warmMs.toFixed(0)} ms |`);
console.log(
  `| estimate, 2 KB prompt (median of 9 × 200) | ${median.toFixed(0)} µs (${(perBatch[0] ?? 0).toFixed(0)}–${(perBatch[8] ?? 0).toFixed(0)}) |`,
);
console.log(
  JSON.stringify({ bench: 'tokens', warmMs: Math.round(warmMs), estimate2kbMicros: Math.round(median) }),
);
