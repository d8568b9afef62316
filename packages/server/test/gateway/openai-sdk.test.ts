import type { AddressInfo } from 'node:net';
import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, recordedCalls, type GatewayApp } from '../support/gateway.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * The OpenAI-compatible surface driven by the official `openai` npm client over a real port:
 * what a tenant's own application sees when it points the SDK at Shoal.
 */
const PRICE = { input: '0.150000', output: '0.600000' };
const DEAR = { input: '3.000000', output: '15.000000' };

/** Shoal's own options, sent beside the OpenAI fields of a chat request. */
interface ShoalOptions {
  tier?: number;
  cache?: boolean;
  cacheTtlSeconds?: number;
}
/**
 * openai-node has no typed `extra_body` (a `body` request option replaces the whole body), so the
 * Shoal field rides on a params object whose type extends the SDK's: assignable, no cast.
 */
type ShoalChatParams = ChatCompletionCreateParamsNonStreaming & { shoal: ShoalOptions };

const hello: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Say hello to the sea' }];

describe('the official openai client against the gateway', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let ga: GatewayApp;
  let tenant: TestTenant;
  let baseURL: string;
  let client: OpenAI;

  const clientWith = (apiKey: string) => new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  const lastCall = async () => (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).at(-1);

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'fake-oa',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-fake-oa',
      models: [
        { model: 'gpt-fake', price: PRICE },
        { model: 'gpt-unpriced' },
        { model: 'embed-fake', kind: 'embedding', price: { input: '0.020000', output: '0' } },
      ],
    });
    await addProvider(t.db, {
      name: 'fake-an',
      kind: 'anthropic',
      baseUrl: upstream.anthropicBaseUrl,
      platformKey: 'sk-fake-an',
      models: [{ model: 'claude-fake', price: DEAR }],
    });
    ga = createGatewayApp(t.db, { overrides: { timeoutMs: 2_000, maxRetryAfterMs: 1_000 } });
    await ga.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ga.app.server.address() as AddressInfo;
    baseURL = `http://127.0.0.1:${port}/v1`;
    tenant = await seedTenant(t.db, 'openai-sdk');
    client = clientWith(tenant.keys.developer);
    const res = await ga.app.inject({
      method: 'PUT',
      url: '/v1/model-aliases/smart',
      headers: bearer(tenant.keys.developer),
      payload: {
        candidates: [
          { model: 'fake-oa/gpt-fake', tier: 2 },
          { model: 'fake-an/claude-fake', tier: 4 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  });

  afterAll(async () => {
    await ga.app.close();
    await upstream.close();
    await t.drop();
  });

  beforeEach(() => {
    upstream.reset();
  });

  describe('chat completions', () => {
    it.each([
      ['an OpenAI-kind provider', 'fake-oa/gpt-fake', false],
      ['an Anthropic-kind provider', 'fake-an/claude-fake', false],
      ['the simulated provider', 'simulated/sim-small', true],
    ])('a plain completion from %s arrives in the SDK shape', async (_name, model, simulated) => {
      const completion = await client.chat.completions.create({ model, messages: hello, max_tokens: 40 });
      expect(completion.object).toBe('chat.completion');
      const choice = completion.choices[0];
      expect(choice?.message.role).toBe('assistant');
      expect(choice?.message.content?.length).toBeGreaterThan(0);
      expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
      // 'length' exactly when the answer used all of max_tokens (the simulated text runs long).
      expect(choice?.finish_reason).toBe(completion.usage?.completion_tokens === 40 ? 'length' : 'stop');
      expect(await lastCall()).toMatchObject({
        outcome: 'succeeded',
        model: model.split('/')[1],
        simulated,
        api_key_id: tenant.keyIds.developer,
      });
    });

    it.each([
      ['an OpenAI-kind provider', 'fake-oa/gpt-fake'],
      ['an Anthropic-kind provider', 'fake-an/claude-fake'],
      ['the simulated provider', 'simulated/sim-small'],
    ])(
      'a stream from %s assembles the same text as a plain call with the same seed, then usage',
      async (_name, model) => {
        const plain = await client.chat.completions.create({
          model,
          messages: hello,
          seed: 7,
          max_tokens: 40,
        });
        const stream = await client.chat.completions.create({
          model,
          messages: hello,
          seed: 7,
          max_tokens: 40,
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
        for await (const chunk of stream) {
          chunks.push(chunk);
          text += chunk.choices[0]?.delta.content ?? '';
        }
        expect(text).toBe(plain.choices[0]?.message.content);
        const last = chunks.at(-1);
        expect(last?.choices).toEqual([]);
        expect(last?.usage?.completion_tokens).toBe(plain.usage?.completion_tokens);
        expect(last?.usage?.prompt_tokens).toBeGreaterThan(0);
        expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
        expect(await lastCall()).toMatchObject({ outcome: 'succeeded', streamed: true });
      },
    );

    it('without include_usage the stream carries no usage chunk', async () => {
      const stream = await client.chat.completions.create({
        model: 'fake-oa/gpt-fake',
        messages: hello,
        stream: true,
      });
      const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.every((c) => c.choices.length === 1 && !c.usage)).toBe(true);
    });

    it.each([
      ['an OpenAI-kind provider', 'fake-oa/gpt-fake'],
      ['an Anthropic-kind provider', 'fake-an/claude-fake'],
    ])(
      'a required tool call from %s parses as JSON, and the tool result goes back in a second call',
      async (_name, model) => {
        const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'The weather in a city',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string' }, days: { type: 'integer' } },
                required: ['city', 'days'],
              },
            },
          },
        ];
        const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
        const first = await client.chat.completions.create({
          model,
          messages,
          tools,
          tool_choice: 'required',
        });
        const message = first.choices[0]?.message;
        expect(first.choices[0]?.finish_reason).toBe('tool_calls');
        const toolCall = message?.tool_calls?.[0];
        expect(toolCall?.type).toBe('function');
        if (toolCall?.type !== 'function') throw new Error('no function tool call');
        expect(toolCall.function.name).toBe('get_weather');
        expect(JSON.parse(toolCall.function.arguments)).toEqual({ city: expect.any(String), days: 1 });

        // As the OpenAI docs do it: the assistant message as received, then the tool's result.
        messages.push(message!);
        messages.push({ role: 'tool', tool_call_id: toolCall.id, content: JSON.stringify({ tempC: 4 }) });
        const second = await client.chat.completions.create({ model, messages, tools });
        expect(second.choices[0]?.message.content?.length).toBeGreaterThan(0);
        expect(second.choices[0]?.finish_reason).toBe('stop');
        const sent = upstream.requests.at(-1)?.body as { messages: unknown[] };
        expect(JSON.stringify(sent.messages)).toContain('tempC');
      },
    );

    it('JSON mode answers a JSON object', async () => {
      const completion = await client.chat.completions.create({
        model: 'fake-oa/gpt-fake',
        messages: [{ role: 'user', content: 'Answer in JSON' }],
        response_format: { type: 'json_object' },
      });
      const parsed: unknown = JSON.parse(completion.choices[0]?.message.content ?? '');
      expect(parsed).toEqual({ answer: expect.any(String) });
      expect(upstream.requests.at(-1)?.body).toMatchObject({ response_format: { type: 'json_object' } });
    });
  });

  describe('embeddings', () => {
    it.each([
      ['an OpenAI-kind provider', 'fake-oa/embed-fake'],
      ['the simulated provider', 'simulated/sim-embed'],
    ])('one input and many, with dimensions, from %s (encoding_format float)', async (_name, model) => {
      const one = await client.embeddings.create({ model, input: 'the sea', encoding_format: 'float' });
      expect(one.data).toHaveLength(1);
      expect(one.data[0]?.embedding.length).toBeGreaterThan(0);
      const many = await client.embeddings.create({
        model,
        input: ['the sea', 'the shore', 'the shoal'],
        dimensions: 16,
        encoding_format: 'float',
      });
      expect(many.data.map((d) => d.index)).toEqual([0, 1, 2]);
      expect(many.data.every((d) => d.embedding.length === 16)).toBe(true);
      expect(many.usage.prompt_tokens).toBeGreaterThan(0);
      expect(await lastCall()).toMatchObject({ operation: 'embedding', outcome: 'succeeded' });
    });

    // openai-node sends encoding_format 'base64' when the caller names none (openai-node#1312)
    // and decodes the answer; this is how nearly every application calls it.
    it('the SDK default call (encoding_format base64, unnamed) gets its vectors', async () => {
      const result = await client.embeddings.create({
        model: 'fake-oa/embed-fake',
        input: 'the sea',
        dimensions: 8,
      });
      expect(result.data).toHaveLength(1);
      expect(Array.from(result.data[0]?.embedding ?? [])).toHaveLength(8);
    });
  });

  it("models.list() lists the tenant's aliases and the models it can call", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'smart',
        'fake-oa/gpt-fake',
        'fake-oa/embed-fake',
        'fake-an/claude-fake',
        'simulated/sim-small',
        'simulated/sim-embed',
      ]),
    );
    // Unpriced, or a provider with no key: not callable, not listed.
    expect(ids).not.toContain('fake-oa/gpt-unpriced');
    expect(ids.some((id) => id.startsWith('openai/'))).toBe(false);
  });

  describe('response headers and Shoal options', () => {
    it('withResponse() and asResponse() expose the x-shoal-* headers', async () => {
      const { data, response, request_id } = await client.chat.completions
        .create({ model: 'smart', messages: hello })
        .withResponse();
      expect(data.object).toBe('chat.completion');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-shoal-provider')).toBe('fake-oa');
      expect(response.headers.get('x-shoal-model')).toBe('gpt-fake');
      expect(response.headers.get('x-shoal-cache')).toBe('miss');
      expect(response.headers.get('x-shoal-simulated')).toBe('false');
      expect(response.headers.get('x-shoal-attempts')).toBe('1');
      expect(Number(response.headers.get('x-shoal-cost-micro-usd'))).toBeGreaterThan(0);
      expect(request_id).toBeTruthy();
      const call = await lastCall();
      expect(response.headers.get('x-shoal-call-id')).toBe(call?.id);

      const raw = await client.chat.completions
        .create({ model: 'simulated/sim-small', messages: hello })
        .asResponse();
      expect(raw.headers.get('x-shoal-simulated')).toBe('true');
      expect(raw.headers.get('x-shoal-provider')).toBe('simulated');
    });

    it('a stream says in its headers which model answers', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model: 'smart', messages: hello, stream: true })
        .withResponse();
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('x-shoal-model')).toBe('gpt-fake');
      for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk');
    });

    it('shoal.tier in the body picks a candidate of that tier or above', async () => {
      const params: ShoalChatParams = { model: 'smart', messages: hello, shoal: { tier: 3 } };
      const { response } = await client.chat.completions.create(params).withResponse();
      expect(response.headers.get('x-shoal-model')).toBe('claude-fake');
      expect(upstream.requests.at(-1)?.endpoint).toBe('messages');
      expect(upstream.requests.at(-1)?.body).not.toHaveProperty('shoal');
    });

    it('shoal.cache serves the second identical call from the cache, at no cost', async () => {
      const params: ShoalChatParams = {
        model: 'fake-oa/gpt-fake',
        messages: [{ role: 'user', content: 'cache me please' }],
        shoal: { cache: true, cacheTtlSeconds: 60 },
      };
      const first = await client.chat.completions.create(params).withResponse();
      await ga.gateway.flush();
      const second = await client.chat.completions.create(params).withResponse();
      expect(first.response.headers.get('x-shoal-cache')).toBe('miss');
      expect(second.response.headers.get('x-shoal-cache')).toBe('hit');
      expect(second.response.headers.get('x-shoal-cost-micro-usd')).toBe('0');
      expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
      expect(upstream.requests).toHaveLength(1);
    });

    it('an Idempotency-Key header makes the retry return the first answer, with one upstream request', async () => {
      const key = `sdk-${Date.now()}`;
      const body = { model: 'fake-oa/gpt-fake', messages: hello };
      const first = await client.chat.completions
        .create(body, { headers: { 'Idempotency-Key': key } })
        .withResponse();
      const second = await client.chat.completions
        .create(body, { headers: { 'Idempotency-Key': key } })
        .withResponse();
      expect(second.data).toEqual(first.data);
      expect(second.response.headers.get('x-shoal-replayed')).toBe('true');
      expect(second.response.headers.get('x-shoal-call-id')).toBe(
        first.response.headers.get('x-shoal-call-id'),
      );
      expect(upstream.requests).toHaveLength(1);
      const calls = await recordedCalls(t.db, ga.gateway, tenant.tenantId);
      expect(calls.filter((c) => c.idempotency_key === key)).toHaveLength(1);
    });
  });

  describe('errors arrive as the SDK error classes with our stable code', () => {
    const refusal = async (promise: Promise<unknown>): Promise<APIError> => {
      const error = await promise.then(
        () => {
          throw new Error('expected the call to fail');
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      return error as APIError;
    };

    it('an unknown model is NotFoundError 404 MODEL_NOT_FOUND', async () => {
      const error = await refusal(
        client.chat.completions.create({ model: 'no-such-model', messages: hello }),
      );
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.status).toBe(404);
      expect(error.code).toBe('MODEL_NOT_FOUND');
      expect(error.error).toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.any(String) });
      expect(error.requestID).toBeTruthy();
    });

    it('an invalid key is AuthenticationError 401', async () => {
      const error = await refusal(
        clientWith('shoal_invalid_key_0000').chat.completions.create({
          model: 'fake-oa/gpt-fake',
          messages: hello,
        }),
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.status).toBe(401);
      expect(error.code).toEqual(expect.any(String));
      expect(upstream.requests).toHaveLength(0);
    });

    it('a viewer key is PermissionDeniedError 403', async () => {
      const error = await refusal(
        clientWith(tenant.keys.viewer).chat.completions.create({
          model: 'fake-oa/gpt-fake',
          messages: hello,
        }),
      );
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.status).toBe(403);
      expect(error.code).toEqual(expect.any(String));
      expect(upstream.requests).toHaveLength(0);
    });

    it('an unpriced model is UnprocessableEntityError 422 MODEL_UNPRICED', async () => {
      const error = await refusal(
        client.chat.completions.create({ model: 'fake-oa/gpt-unpriced', messages: hello }),
      );
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      expect(error.status).toBe(422);
      expect(error.code).toBe('MODEL_UNPRICED');
      expect(upstream.requests).toHaveLength(0);
    });

    it('every candidate rate limited upstream is RateLimitError 429 with retry-after', async () => {
      upstream.script(
        { kind: 'status', status: 429, retryAfterSeconds: 20, model: 'gpt-fake' },
        { kind: 'status', status: 429, retryAfterSeconds: 20, model: 'claude-fake' },
      );
      const error = await refusal(client.chat.completions.create({ model: 'smart', messages: hello }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.status).toBe(429);
      expect(error.code).toBe('UPSTREAM_RATE_LIMITED');
      expect(error.headers?.get('retry-after')).toBe('20');
      expect(upstream.requests).toHaveLength(2);
    });

    it('a field Shoal does not pass on (presence_penalty) is BadRequestError 400 UNKNOWN_FIELD', async () => {
      const error = await refusal(
        client.chat.completions.create({ model: 'fake-oa/gpt-fake', messages: hello, presence_penalty: 0.5 }),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.status).toBe(400);
      expect(error.code).toBe('UNKNOWN_FIELD');
      expect(error.message).toContain('presence_penalty');
      expect(upstream.requests).toHaveLength(0);
    });

    it('a stream cut after its first token makes the iteration throw an APIError UPSTREAM_FAILED; the call is recorded failed', async () => {
      upstream.script({ kind: 'cut', afterChunks: 2, model: 'gpt-fake' });
      const stream = await client.chat.completions.create({
        model: 'fake-oa/gpt-fake',
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      const error = await (async () => {
        try {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        } catch (e) {
          return e;
        }
        return null;
      })();
      // The SDK throws a status-less APIError from an `error` event inside a 200 stream.
      expect(error).toBeInstanceOf(APIError);
      const apiError = error as APIError;
      expect(apiError.status).toBeUndefined();
      expect(apiError.code).toBe('UPSTREAM_FAILED');
      expect(apiError.message).toContain('broke the stream after its first token');
      expect(text.length).toBeGreaterThan(0);
      expect(upstream.requests).toHaveLength(1);
      expect(await lastCall()).toMatchObject({
        outcome: 'failed',
        streamed: true,
        error_code: 'UPSTREAM_FAILED',
      });
    });
  });
});
