import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOpenAiProvider } from '../../src/gateway/providers/openai.ts';
import { ProviderError } from '../../src/gateway/providers/provider.ts';
import type {
  ChatChunk,
  ChatRequest,
  ChatStream,
  ProviderConnection,
} from '../../src/gateway/providers/provider.ts';
import { createTokenCounter } from '../../src/gateway/tokens.ts';
import { startFakeUpstream } from '../support/fake-llm-upstream.ts';
import type { FakeUpstream } from '../support/fake-llm-upstream.ts';

let fake: FakeUpstream;
const provider = createOpenAiProvider();

beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function connection(overrides: Partial<ProviderConnection> = {}): ProviderConnection {
  return {
    name: 'openai',
    kind: 'openai',
    baseUrl: fake.openaiBaseUrl,
    apiKey: 'sk-test',
    options: {},
    ...overrides,
  };
}
const call = () => ({ signal: new AbortController().signal });
const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say something.' },
  ],
  seed: 7,
  ...overrides,
});

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

describe('OpenAI-compatible provider', () => {
  it('posts the request to {baseUrl}/chat/completions with the key and the idempotency key', async () => {
    const result = await provider.chat(connection(), request({ temperature: 0.2, max_tokens: 50 }), {
      signal: new AbortController().signal,
      idempotencyKey: 'run-1:step-2:1',
    });
    expect(result.response.object).toBe('chat.completion');
    expect(result.response.model).toBe('gpt-4o-mini');
    expect(result.response.choices[0]?.finish_reason).toBe('stop');
    expect(result.response.choices[0]?.message.content).toMatch(/^[a-z]+( [a-z]+)+$/);
    expect(result.response.usage.total_tokens).toBe(
      result.response.usage.prompt_tokens + result.response.usage.completion_tokens,
    );
    expect(result.latencyMs).toBeGreaterThan(0);
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(sent?.headers['idempotency-key']).toBe('run-1:step-2:1');
    expect(sent?.body).toEqual({ ...request({ temperature: 0.2, max_tokens: 50 }), stream: false });
  });

  it('treats the base URL as a prefix, with or without /v1 or a trailing slash, and sends no key when none is set', async () => {
    await provider.chat(connection({ baseUrl: `${fake.url}/ollama/`, apiKey: null }), request(), call());
    expect(fake.requests[0]?.path).toBe('/ollama/chat/completions');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('streams chunks that reassemble into the plain answer of the same seed, ending with a usage chunk', async () => {
    const plain = await provider.chat(connection(), request(), call());
    const stream = provider.chatStream(connection(), request(), call());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe(plain.response.choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(plain.response.usage);
    expect(stream.usage()).toEqual(plain.response.usage);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(fake.requests[1]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(fake.requests[1]?.headers.accept).toBe('text/event-stream');
  });

  it('passes tools and tool_choice through and returns the tool call; the tool result goes back as a tool message', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const first = await provider.chat(connection(), request({ tools, tool_choice: 'required' }), call());
    const message = first.response.choices[0]?.message;
    expect(first.response.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message?.content).toBeNull();
    expect(message?.tool_calls).toEqual([
      {
        id: 'call_fake_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"alpha"}' },
      },
    ]);
    expect(fake.requests[0]?.body).toMatchObject({ tools, tool_choice: 'required' });

    const followUp = request({
      tools,
      messages: [
        ...request().messages,
        { role: 'assistant', content: null, tool_calls: message?.tool_calls ?? [] },
        { role: 'tool', tool_call_id: 'call_fake_0', content: '{"temp":21}' },
      ],
    });
    const second = await provider.chat(connection(), followUp, call());
    expect(second.response.choices[0]?.finish_reason).toBe('stop');
    expect(second.response.choices[0]?.message.content).toEqual(expect.any(String));
    expect(fake.requests[1]?.body).toMatchObject({ messages: followUp.messages });
  });

  it('streams a tool call as deltas whose arguments join into the JSON of the plain answer', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup',
          parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        },
      },
    ];
    const req = request({ tools, tool_choice: { type: 'function', function: { name: 'lookup' } } });
    const { chunks, error } = await collect(provider.chatStream(connection(), req, call()));
    expect(error).toBeUndefined();
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({
      index: 0,
      id: 'call_fake_0',
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe('{"id":1}');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('passes response_format through (json_schema and json_object) and returns the JSON content', async () => {
    const format = {
      type: 'json_schema' as const,
      json_schema: {
        name: 'answer',
        strict: true,
        schema: { type: 'object', properties: { answer: { type: 'string' } } },
      },
    };
    const result = await provider.chat(connection(), request({ response_format: format }), call());
    expect(fake.requests[0]?.body).toMatchObject({ response_format: format });
    expect(JSON.parse(result.response.choices[0]?.message.content ?? '')).toEqual({
      answer: expect.any(String),
    });
    await provider.chat(connection(), request({ response_format: { type: 'json_object' } }), call());
    expect(fake.requests[1]?.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('reports cached prompt tokens from prompt_tokens_details', async () => {
    fake.script({ kind: 'reply', content: 'cached', promptTokens: 120, cachedTokens: 100 });
    const result = await provider.chat(connection(), request(), call());
    expect(result.response.usage).toEqual({
      prompt_tokens: 120,
      completion_tokens: 1,
      total_tokens: 121,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it('posts embeddings to {baseUrl}/embeddings and returns one vector per input', async () => {
    const result = await provider.embed(
      connection(),
      { model: 'text-embedding-3-small', input: ['one two', 'three'], dimensions: 4 },
      { signal: new AbortController().signal, idempotencyKey: 'emb-1' },
    );
    expect(fake.requests[0]?.path).toBe('/v1/embeddings');
    expect(fake.requests[0]?.headers['idempotency-key']).toBe('emb-1');
    expect(fake.requests[0]?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['one two', 'three'],
      dimensions: 4,
    });
    expect(result.data.map((d) => d.index)).toEqual([0, 1]);
    expect(result.data[0]?.embedding).toHaveLength(4);
    expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  describe('failures', () => {
    it('maps 429 to rate_limited with Retry-After in seconds, retry-after-ms, or an HTTP date', async () => {
      fake.script(
        { kind: 'status', status: 429, retryAfterSeconds: 2 },
        { kind: 'status', status: 429, retryAfterSeconds: 2, retryAfterMs: 250 },
        { kind: 'status', status: 429, retryAfterDate: new Date(Date.now() + 30_000) },
      );
      const seconds = await failure(provider.chat(connection(), request(), call()));
      expect(seconds.failure).toBe('rate_limited');
      expect(seconds.details).toEqual({ status: 429, retryAfterMs: 2000 });
      expect(seconds.fallbackAllowed).toBe(true);
      const ms = await failure(provider.chat(connection(), request(), call()));
      expect(ms.details.retryAfterMs).toBe(250);
      const date = await failure(provider.chat(connection(), request(), call()));
      expect(date.details.retryAfterMs).toBeGreaterThan(27_000);
      expect(date.details.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('maps 5xx to server, and the same before the first chunk of a stream', async () => {
      fake.script({ kind: 'status', status: 500 }, { kind: 'status', status: 503, retryAfterSeconds: 1 });
      const plain = await failure(provider.chat(connection(), request(), call()));
      expect(plain.failure).toBe('server');
      expect(plain.details.status).toBe(500);
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toEqual([]);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).failure).toBe('server');
      expect((error as ProviderError).details).toEqual({ status: 503, retryAfterMs: 1000 });
    });

    it('maps 401 and 403 to auth, and 400, 404, 422 to bad_request with the upstream message', async () => {
      const cases = [
        [401, 'auth'],
        [403, 'auth'],
        [400, 'bad_request'],
        [404, 'bad_request'],
        [422, 'bad_request'],
      ] as const;
      for (const [status, expected] of cases) {
        fake.script({ kind: 'status', status, message: `upstream says ${status} ${'x'.repeat(1000)}` });
        const error = await failure(provider.chat(connection(), request(), call()));
        expect(error.failure).toBe(expected);
        expect(error.details.status).toBe(status);
        expect(error.message).toContain(`openai answered ${status}: upstream says ${status}`);
        expect(error.message.length).toBeLessThan(400);
        expect(error.fallbackAllowed).toBe(false);
      }
    });

    it('maps a refused connection and a socket closed before an answer to network', async () => {
      const closed = await startFakeUpstream();
      const url = closed.openaiBaseUrl;
      await closed.close();
      const refused = await failure(provider.chat(connection({ baseUrl: url }), request(), call()));
      expect(refused.failure).toBe('network');
      expect(refused.message).toMatch(/could not be reached/);
      fake.script({ kind: 'close' });
      const reset = await failure(provider.chat(connection(), request(), call()));
      expect(reset.failure).toBe('network');
      expect(reset.cause).toBeDefined();
    });

    it('maps a plain answer whose body breaks off to network', async () => {
      fake.script({ kind: 'cut', afterChunks: 0 });
      const error = await failure(provider.chat(connection(), request(), call()));
      expect(error.failure).toBe('network');
      expect(error.fallbackAllowed).toBe(true);
    });

    it('maps a body that is not JSON, plain or streamed, to invalid_response', async () => {
      fake.script({ kind: 'malformed' }, { kind: 'malformed' });
      expect((await failure(provider.chat(connection(), request(), call()))).failure).toBe(
        'invalid_response',
      );
      const { error } = await collect(provider.chatStream(connection(), request(), call()));
      expect((error as ProviderError).failure).toBe('invalid_response');
    });

    it('maps an answer without choices to invalid_response naming the field', async () => {
      const broken = createOpenAiProvider({
        fetch: () => Promise.resolve(new Response('{"id":"x","choices":[]}', { status: 200 })),
      });
      const error = await failure(broken.chat(connection(), request(), call()));
      expect(error.failure).toBe('invalid_response');
      expect(error.message).toContain('choices');
    });

    it('a stream cut before its first chunk is stream_cut that may fall back', async () => {
      fake.script({ kind: 'cut', afterChunks: 0 });
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toEqual([]);
      expect((error as ProviderError).failure).toBe('stream_cut');
      expect((error as ProviderError).details.afterFirstToken).toBe(false);
      expect((error as ProviderError).fallbackAllowed).toBe(true);
    });

    it('a stream that sends nothing and closes is stream_cut before the first token', async () => {
      fake.script({ kind: 'empty' });
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toEqual([]);
      expect((error as ProviderError).failure).toBe('stream_cut');
      expect((error as ProviderError).fallbackAllowed).toBe(true);
    });

    it('a stream cut after its first chunks is stream_cut after the first token, which may not fall back', async () => {
      fake.script({ kind: 'cut', afterChunks: 3 });
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toHaveLength(3);
      expect((error as ProviderError).failure).toBe('stream_cut');
      expect((error as ProviderError).details.afterFirstToken).toBe(true);
      expect((error as ProviderError).fallbackAllowed).toBe(false);
    });

    it('a stream that ends cleanly before its finish is stream_cut too', async () => {
      fake.script({ kind: 'end', afterChunks: 2 });
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toHaveLength(2);
      expect((error as ProviderError).failure).toBe('stream_cut');
      expect((error as ProviderError).details.afterFirstToken).toBe(true);
    });

    it('an error event inside the stream is a server failure, after the first token when chunks came before', async () => {
      fake.script({ kind: 'stream-error', afterChunks: 2, message: 'model crashed' });
      const { chunks, error } = await collect(provider.chatStream(connection(), request(), call()));
      expect(chunks).toHaveLength(2);
      expect((error as ProviderError).failure).toBe('server');
      expect((error as ProviderError).message).toContain('model crashed');
      expect((error as ProviderError).fallbackAllowed).toBe(false);
    });

    it("throws the gateway's timeout (the signal's ProviderError reason) when a hanging upstream is aborted", async () => {
      fake.script({ kind: 'hang' }, { kind: 'hang' });
      const timeout = new ProviderError('timeout', 'no answer in 100 ms');
      const controller = new AbortController();
      setTimeout(() => controller.abort(timeout), 100);
      const error = await failure(provider.chat(connection(), request(), { signal: controller.signal }));
      expect(error).toBe(timeout);
      expect(error.fallbackAllowed).toBe(true);

      const streaming = new AbortController();
      setTimeout(() => streaming.abort(timeout), 100);
      const streamed = await collect(
        provider.chatStream(connection(), request(), { signal: streaming.signal }),
      );
      expect(streamed.error).toBe(timeout);
      await vi.waitFor(() => expect(fake.requests.every((r) => r.aborted)).toBe(true));
    });

    it('a timeout after the first chunk is marked after the first token', async () => {
      const slow = await startFakeUpstream({ chunkDelayMs: 200 });
      try {
        const controller = new AbortController();
        const stream = provider.chatStream(connection({ baseUrl: slow.openaiBaseUrl }), request(), {
          signal: controller.signal,
        });
        const chunks: ChatChunk[] = [];
        let error: unknown;
        try {
          for await (const chunk of stream) {
            chunks.push(chunk);
            controller.abort(new ProviderError('timeout', 'too slow'));
          }
        } catch (e) {
          error = e;
        }
        expect(chunks).toHaveLength(1);
        expect((error as ProviderError).failure).toBe('timeout');
        expect((error as ProviderError).details.afterFirstToken).toBe(true);
        expect((error as ProviderError).fallbackAllowed).toBe(false);
      } finally {
        await slow.close();
      }
    });

    it('a cancellation by the caller stays an AbortError, not a provider failure', async () => {
      fake.script({ kind: 'hang' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await provider
        .chat(connection(), request(), { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(ProviderError);
      expect((error as Error).name).toBe('AbortError');
      const already = AbortSignal.abort();
      const early = await provider
        .chat(connection(), request(), { signal: already })
        .catch((e: unknown) => e);
      expect((early as Error).name).toBe('AbortError');
    });
  });

  it('counts tokens itself when an OpenAI-compatible server omits usage', async () => {
    const tokens = createTokenCounter();
    const sse = [
      'data: {"id":"c1","model":"llama3","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"}}]}',
      'data: {"id":"c1","model":"llama3","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}',
      'data: [DONE]',
      '',
    ].join('\n\n');
    const bare = createOpenAiProvider({
      tokens,
      fetch: () =>
        Promise.resolve(new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } })),
    });
    const stream = bare.chatStream(connection(), request({ model: 'llama3' }), call());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe('Hello there');
    const prompt = tokens.estimateChatTokens(request().messages);
    expect(stream.usage()).toEqual({
      prompt_tokens: prompt,
      completion_tokens: tokens.countTokens('Hello there'),
      total_tokens: prompt + tokens.countTokens('Hello there'),
    });
  });
});
