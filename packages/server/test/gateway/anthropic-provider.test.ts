import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/gateway/providers/anthropic.ts';
import { ProviderError } from '../../src/gateway/providers/provider.ts';
import type {
  ChatChunk,
  ChatRequest,
  ChatStream,
  ProviderConnection,
} from '../../src/gateway/providers/provider.ts';
import { startFakeUpstream } from '../support/fake-llm-upstream.ts';
import type { FakeUpstream } from '../support/fake-llm-upstream.ts';

let fake: FakeUpstream;
const provider = createAnthropicProvider();

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const connection = (): ProviderConnection => ({
  name: 'anthropic',
  kind: 'anthropic',
  baseUrl: fake.anthropicBaseUrl,
  apiKey: 'sk-ant-test',
  options: {},
});
const call = () => ({ signal: new AbortController().signal });
const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-3-5-haiku-latest',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say something.' },
  ],
  ...overrides,
});
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

async function collect(stream: ChatStream): Promise<{ chunks: ChatChunk[]; error: unknown }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const text = (chunks: ChatChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('Anthropic provider', () => {
  it('translates an OpenAI request into the Messages API body, headers and path', async () => {
    await provider.chat(
      connection(),
      {
        model: 'claude-sonnet-4-5',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: 'Looking it up.',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              {
                id: 'call_2',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
          { role: 'tool', tool_call_id: 'call_2', content: '{"temp":25}' },
          { role: 'user', content: 'Which is warmer?' },
        ],
        tools: [weatherTool],
        tool_choice: 'required',
        stop: 'END',
        temperature: 1.5,
        top_p: 0.9,
        seed: 3,
        user: 'user-1',
      },
      { signal: new AbortController().signal, idempotencyKey: 'k-1' },
    );
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'Be brief.\n\nUse metric units.',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking it up.' },
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '{"temp":21}' },
            { type: 'tool_result', tool_use_id: 'call_2', content: '{"temp":25}' },
            { type: 'text', text: 'Which is warmer?' },
          ],
        },
      ],
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ['END'],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather of a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      tool_choice: { type: 'any' },
      metadata: { user_id: 'user-1' },
    });
  });

  it('maps tool_choice auto, none and a named function, and keeps a given max_tokens and stop list', async () => {
    await provider.chat(connection(), request({ tools: [weatherTool], tool_choice: 'auto' }), call());
    await provider.chat(connection(), request({ tools: [weatherTool], tool_choice: 'none' }), call());
    await provider.chat(
      connection(),
      request({
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        max_tokens: 100,
        stop: ['a', 'b'],
      }),
      call(),
    );
    const bodies = fake.requests.map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => b.tool_choice)).toEqual([
      { type: 'auto' },
      { type: 'none' },
      { type: 'tool', name: 'get_weather' },
    ]);
    expect(bodies[2]).toMatchObject({ max_tokens: 100, stop_sequences: ['a', 'b'] });
  });

  it('sends images as base64 or URL sources', async () => {
    await provider.chat(
      connection(),
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare.' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      }),
      call(),
    );
    expect((fake.requests[0]?.body as { messages: unknown }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('emulates JSON mode with a system instruction that carries the schema', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    await provider.chat(
      connection(),
      request({ response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } }),
      call(),
    );
    await provider.chat(connection(), request({ response_format: { type: 'json_object' } }), call());
    const [withSchema, plainJson] = fake.requests.map((r) => (r.body as { system: string }).system);
    expect(withSchema).toBe(
      `Be brief.\n\nRespond with one valid JSON value named "reply" and nothing else: no prose, no code fences. It must match this JSON Schema: ${JSON.stringify(schema)}`,
    );
    expect(plainJson).toBe(
      'Be brief.\n\nRespond with one valid JSON object and nothing else: no prose, no code fences.',
    );
    expect(fake.requests[0]?.body).not.toHaveProperty('response_format');
  });

  it('translates the answer back: text, tool_use blocks as tool_calls, stop reasons', async () => {
    const plain = await provider.chat(connection(), request(), call());
    expect(plain.response.object).toBe('chat.completion');
    expect(plain.response.id).toMatch(/^msg_fake_/);
    expect(plain.response.choices[0]?.finish_reason).toBe('stop');
    expect(plain.response.choices[0]?.message.content).toMatch(/^[a-z]+( [a-z]+)+$/);

    const tool = await provider.chat(
      connection(),
      request({ tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }),
      call(),
    );
    expect(tool.response.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_fake_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"alpha"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });

    fake.script(
      { kind: 'reply', content: 'cut short', finishReason: 'max_tokens' },
      { kind: 'reply', content: 'done', finishReason: 'stop_sequence' },
    );
    expect((await provider.chat(connection(), request(), call())).response.choices[0]?.finish_reason).toBe(
      'length',
    );
    expect((await provider.chat(connection(), request(), call())).response.choices[0]?.finish_reason).toBe(
      'stop',
    );
  });

  it('counts cache reads and cache writes as prompt tokens, the reads as cached', async () => {
    fake.script({
      kind: 'reply',
      content: 'one two three',
      promptTokens: 30,
      cachedTokens: 100,
      cacheCreationTokens: 20,
    });
    const result = await provider.chat(connection(), request(), call());
    expect(result.response.usage).toEqual({
      prompt_tokens: 150,
      completion_tokens: 3,
      total_tokens: 153,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it('streams Anthropic events as OpenAI chunks that reassemble into the plain answer, then a usage chunk', async () => {
    fake.script({ kind: 'reply', content: 'alpha river stone', promptTokens: 10, cachedTokens: 4 });
    fake.script({ kind: 'reply', content: 'alpha river stone', promptTokens: 10, cachedTokens: 4 });
    const plain = await provider.chat(connection(), request(), call());
    const stream = provider.chatStream(connection(), request(), call());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe(plain.response.choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: 'alpha' });
    expect(chunks.filter((c) => c.choices[0]?.delta.role !== undefined)).toHaveLength(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(plain.response.usage);
    expect(stream.usage()).toEqual({
      prompt_tokens: 14,
      completion_tokens: 3,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(fake.requests[1]?.body).toMatchObject({ stream: true });
  });

  it('streams a tool_use block as tool_call deltas with the input JSON in pieces', async () => {
    const { chunks, error } = await collect(
      provider.chatStream(connection(), request({ tools: [weatherTool], tool_choice: 'required' }), call()),
    );
    expect(error).toBeUndefined();
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({
      index: 0,
      id: 'toolu_fake_0',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe('{"city":"alpha"}');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('has no embeddings', async () => {
    const error = await failure(provider.embed(connection(), { model: 'x', input: 'hi' }, call()));
    expect(error.failure).toBe('bad_request');
    expect(error.message).toContain('anthropic has no embeddings API');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses tool call arguments that are not JSON before sending', async () => {
    const error = await failure(
      provider.chat(
        connection(),
        request({
          messages: [
            { role: 'user', content: 'hi' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }],
            },
          ],
        }),
        call(),
      ),
    );
    expect(error.failure).toBe('bad_request');
    expect(fake.requests).toHaveLength(0);
  });

  describe('failures', () => {
    it('maps 429 with Retry-After to rate_limited, 529 and 500 to server, 401 to auth, 400 to bad_request', async () => {
      fake.script(
        { kind: 'status', status: 429, retryAfterSeconds: 3 },
        { kind: 'status', status: 529, message: 'Overloaded', retryAfterSeconds: 1 },
        { kind: 'status', status: 500 },
        { kind: 'status', status: 401, message: 'invalid x-api-key' },
        { kind: 'status', status: 400, message: 'max_tokens: too large' },
      );
      const limited = await failure(provider.chat(connection(), request(), call()));
      expect([limited.failure, limited.details]).toEqual([
        'rate_limited',
        { status: 429, retryAfterMs: 3000 },
      ]);
      const overloaded = await failure(provider.chat(connection(), request(), call()));
      expect([overloaded.failure, overloaded.details]).toEqual([
        'server',
        { status: 529, retryAfterMs: 1000 },
      ]);
      expect(overloaded.message).toContain('Overloaded');
      expect((await failure(provider.chat(connection(), request(), call()))).failure).toBe('server');
      const auth = await failure(provider.chat(connection(), request(), call()));
      expect(auth.failure).toBe('auth');
      expect(auth.message).toContain('invalid x-api-key');
      const bad = await failure(provider.chat(connection(), request(), call()));
      expect(bad.failure).toBe('bad_request');
      expect(bad.message).toContain('max_tokens: too large');
    });

    it('maps an error event inside the stream by its type', async () => {
      fake.script(
        { kind: 'stream-error', afterChunks: 0, errorType: 'overloaded_error', message: 'Overloaded' },
        { kind: 'stream-error', afterChunks: 0, errorType: 'rate_limit_error' },
        { kind: 'stream-error', afterChunks: 5, errorType: 'api_error' },
      );
      const overloaded = await collect(provider.chatStream(connection(), request(), call()));
      expect((overloaded.error as ProviderError).failure).toBe('server');
      expect((overloaded.error as ProviderError).fallbackAllowed).toBe(true);
      const limited = await collect(provider.chatStream(connection(), request(), call()));
      expect((limited.error as ProviderError).failure).toBe('rate_limited');
      const late = await collect(provider.chatStream(connection(), request(), call()));
      expect(late.chunks.length).toBeGreaterThan(0);
      expect((late.error as ProviderError).failure).toBe('server');
      expect((late.error as ProviderError).fallbackAllowed).toBe(false);
    });

    it('a stream cut before any text may fall back; one cut after text may not', async () => {
      // Events 0-2 are message_start, content_block_start and ping: no token yet.
      fake.script({ kind: 'cut', afterChunks: 3 }, { kind: 'cut', afterChunks: 5 });
      const early = await collect(provider.chatStream(connection(), request(), call()));
      expect(early.chunks).toEqual([]);
      expect((early.error as ProviderError).failure).toBe('stream_cut');
      expect((early.error as ProviderError).fallbackAllowed).toBe(true);
      const late = await collect(provider.chatStream(connection(), request(), call()));
      expect(late.chunks).toHaveLength(2);
      expect((late.error as ProviderError).failure).toBe('stream_cut');
      expect((late.error as ProviderError).details.afterFirstToken).toBe(true);
      expect((late.error as ProviderError).fallbackAllowed).toBe(false);
    });

    it('a stream that ends without message_stop is stream_cut', async () => {
      fake.script({ kind: 'end', afterChunks: 4 }, { kind: 'empty' });
      const ended = await collect(provider.chatStream(connection(), request(), call()));
      expect(ended.chunks).toHaveLength(1);
      expect((ended.error as ProviderError).failure).toBe('stream_cut');
      const empty = await collect(provider.chatStream(connection(), request(), call()));
      expect((empty.error as ProviderError).failure).toBe('stream_cut');
      expect((empty.error as ProviderError).fallbackAllowed).toBe(true);
    });

    it("throws the gateway's timeout reason when a hanging upstream is aborted", async () => {
      fake.script({ kind: 'hang' });
      const timeout = new ProviderError('timeout', 'no first token in 100 ms');
      const controller = new AbortController();
      setTimeout(() => controller.abort(timeout), 100);
      const { error } = await collect(
        provider.chatStream(connection(), request(), { signal: controller.signal }),
      );
      expect(error).toBe(timeout);
    });

    it('maps a body that is not JSON to invalid_response', async () => {
      fake.script({ kind: 'malformed' });
      expect((await failure(provider.chat(connection(), request(), call()))).failure).toBe(
        'invalid_response',
      );
    });
  });
});
