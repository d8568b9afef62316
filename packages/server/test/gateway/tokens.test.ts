import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ToolDefinition } from '../../src/gateway/providers/provider.ts';
import { countTokens, createTokenCounter, estimateChatTokens } from '../../src/gateway/tokens.ts';

const reference = new Tiktoken(o200kBase);
const exact = (text: string): number => reference.encode(text, [], []).length;

function prompt(bytes: number): string {
  const words = 'Summarise the quarterly results for the support team, with 3 risks and their owners'.split(
    ' ',
  );
  let text = '';
  for (let i = 0; text.length < bytes; i++)
    text += `${words[i % words.length]}${i % 11 === 10 ? '.\n' : ' '}`;
  return text.slice(0, bytes);
}

describe('token counting', () => {
  const counter = createTokenCounter();
  beforeAll(() => counter.warm());

  it('counts exactly what the o200k_base tokenizer counts', () => {
    const samples = [
      '',
      'hello',
      'Hello, world! How are you today?',
      "  leading spaces, tabs\tand\nnewlines\r\n and it's done  ",
      'Ünïcødé — 日本語のテキスト 😀 emoji and numbers 1234567890 3.14159',
      '{"type":"object","properties":{"city":{"type":"string"}}}',
      'the text <|endoftext|> holds a special token as plain text',
      prompt(2048),
    ];
    for (const text of samples) expect(counter.countTokens(text), text.slice(0, 40)).toBe(exact(text));
  });

  it('gives the same counts from the memo as from a cold counter', () => {
    const text = prompt(4096);
    const first = counter.countTokens(text);
    expect(counter.countTokens(text)).toBe(first);
    expect(createTokenCounter({ pieceCacheSize: 4 }).countTokens(text)).toBe(first);
    expect(countTokens(text, 'gpt-4o')).toBe(first);
  });

  it('estimates a chat as content plus 3 tokens a message plus 3 for the reply', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is 2+2?', name: 'ada' },
    ];
    const expected =
      3 +
      (3 + exact('system') + exact('You are terse.')) +
      (3 + exact('user') + exact('What is 2+2?') + 1 + exact('ada'));
    expect(counter.estimateChatTokens(messages)).toBe(expected);
    expect(estimateChatTokens(messages)).toBe(expected);
  });

  it('counts tool definitions from their JSON, and tool calls and results of the conversation', () => {
    const tools: ToolDefinition[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
    ];
    const withoutTools = counter.estimateChatTokens(messages);
    expect(counter.estimateChatTokens(messages, tools) - withoutTools).toBe(
      8 + exact(JSON.stringify(tools[0]?.function)),
    );
    const bare = counter.estimateChatTokens([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null },
      { role: 'tool', content: '{"temp":21}' },
    ]);
    expect(withoutTools - bare).toBe(3 + exact('get_weather') + exact('{"city":"Paris"}') + exact('call_1'));
  });

  it('counts text parts of multi-part content and a fixed estimate per image', () => {
    const tokens = counter.estimateChatTokens([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        ],
      },
    ]);
    expect(tokens).toBe(3 + 3 + exact('user') + exact('What is in this picture?') + 765);
  });
});
