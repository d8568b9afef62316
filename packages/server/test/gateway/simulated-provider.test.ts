import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/gateway/providers/provider.ts';
import type {
  ChatChunk,
  ChatRequest,
  ChatStream,
  ProviderConnection,
} from '../../src/gateway/providers/provider.ts';
import { createProviders } from '../../src/gateway/providers/registry.ts';
import { PROVIDER_KINDS } from '../../src/gateway/providers/provider.ts';
import { createSimulatedProvider } from '../../src/gateway/providers/simulated.ts';
import { createTokenCounter } from '../../src/gateway/tokens.ts';

const tokens = createTokenCounter();
const sleeps: number[] = [];
const fastSleep = (ms: number) => {
  sleeps.push(ms);
  return Promise.resolve();
};
const provider = () => createSimulatedProvider({ tokens, sleep: fastSleep, now: () => 1_700_000_000_000 });

const connection = (options: Record<string, unknown> = {}, name = 'simulated'): ProviderConnection => ({
  name,
  kind: 'simulated',
  baseUrl: null,
  apiKey: null,
  options,
});
const call = () => ({ signal: new AbortController().signal });
const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'sim-small',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Tell me about queues.' },
  ],
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

const content = async (req: ChatRequest) =>
  (await provider().chat(connection(), req, call())).response.choices[0]?.message.content;

describe('simulated provider', () => {
  it('answers deterministically: the same seed gives the same text, another seed another text', async () => {
    const a = await content(request({ seed: 1 }));
    expect(await content(request({ seed: 1 }))).toBe(a);
    expect(await content(request({ seed: 2 }))).not.toBe(a);
    // Without a seed, the request itself is the seed.
    const unseeded = await content(request());
    expect(await content(request())).toBe(unseeded);
    expect(await content(request({ messages: [{ role: 'user', content: 'Something else.' }] }))).not.toBe(
      unseeded,
    );
    expect(a).toMatch(/^[A-Z][a-z]+( [a-z]+\.?| [A-Z][a-z]+)+$/);
  });

  it('labels every answer simulated and returns the model as given', async () => {
    const result = await provider().chat(connection(), request({ model: 'sim-large' }), call());
    expect(result.response.system_fingerprint).toBe('shoal-simulated');
    expect(result.response.model).toBe('sim-large');
    expect(result.response.created).toBe(1_700_000_000);
    const { chunks } = await collect(
      provider().chatStream(connection(), request({ model: 'sim-large' }), call()),
    );
    expect(chunks.every((c) => c.system_fingerprint === 'shoal-simulated' && c.model === 'sim-large')).toBe(
      true,
    );
  });

  it('counts tokens with the tokenizer: the prompt estimate and the exact completion', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const req = request({ seed });
      const { response } = await provider().chat(connection(), req, call());
      const text = response.choices[0]?.message.content ?? '';
      expect(response.usage.prompt_tokens).toBe(tokens.estimateChatTokens(req.messages));
      expect(response.usage.completion_tokens).toBe(tokens.countTokens(text));
      expect(response.usage.completion_tokens).toBeGreaterThanOrEqual(40);
      expect(response.usage.completion_tokens).toBeLessThanOrEqual(120);
      expect(response.choices[0]?.finish_reason).toBe('stop');
    }
  });

  it('keeps the answer within max_tokens, cutting the same text, with finish_reason length', async () => {
    const full = await provider().chat(connection(), request({ seed: 9 }), call());
    const short = await provider().chat(connection(), request({ seed: 9, max_tokens: 10 }), call());
    const text = short.response.choices[0]?.message.content ?? '';
    expect(short.response.usage.completion_tokens).toBeLessThanOrEqual(10);
    expect(short.response.usage.completion_tokens).toBeGreaterThan(5);
    expect(full.response.choices[0]?.message.content?.startsWith(text)).toBe(true);
    expect(short.response.choices[0]?.finish_reason).toBe('length');
  });

  it('streams word by word into the plain answer, with the finish and a usage chunk', async () => {
    const req = request({ seed: 5 });
    const plain = await provider().chat(connection(), req, call());
    const stream = provider().chatStream(connection(), req, call());
    const { chunks, error } = await collect(stream);
    expect(error).toBeUndefined();
    const words = chunks.map((c) => c.choices[0]?.delta.content ?? '').filter(Boolean);
    expect(words.join('')).toBe(plain.response.choices[0]?.message.content);
    expect(words.length).toBe((plain.response.choices[0]?.message.content ?? '').split(' ').length);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(plain.response.usage);
    expect(stream.usage()).toEqual(plain.response.usage);
  });

  it('waits the time to first token, then spreads the rest of the latency over the chunks', async () => {
    sleeps.length = 0;
    const { chunks } = await collect(
      provider().chatStream(connection({ latencyMs: 1000, ttftMs: 200 }), request({ seed: 5 }), call()),
    );
    const words = chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(sleeps[0]).toBe(200);
    expect(sleeps).toHaveLength(words);
    const total = sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeCloseTo(1000, 6);
    sleeps.length = 0;
    await provider().chat(connection({ latencyMs: 300, ttftMs: 50 }), request(), call());
    expect(sleeps).toEqual([300]);
  });

  it('answers JSON mode with valid JSON, matching a json_schema with enums, required fields and nesting', async () => {
    const object = await content(request({ response_format: { type: 'json_object' } }));
    expect(JSON.parse(object ?? '')).toEqual({ answer: expect.any(String) });
    const schema = {
      type: 'object',
      properties: {
        sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
        score: { type: 'number', minimum: 0, maximum: 1 },
        count: { type: 'integer', minimum: 3, maximum: 5 },
        flagged: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
        author: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
          required: ['email'],
        },
        note: { type: ['string', 'null'], maxLength: 5 },
      },
      required: ['sentiment', 'score', 'count', 'flagged', 'tags', 'author', 'extra'],
    };
    for (const seed of [1, 2, 3]) {
      const value = JSON.parse(
        (await content(
          request({
            seed,
            response_format: { type: 'json_schema', json_schema: { name: 'review', schema } },
          }),
        )) ?? '',
      ) as Record<string, unknown>;
      expect(['positive', 'neutral', 'negative']).toContain(value.sentiment);
      expect(value.score).toBeGreaterThanOrEqual(0);
      expect(value.score).toBeLessThanOrEqual(1);
      expect(
        Number.isInteger(value.count) && (value.count as number) >= 3 && (value.count as number) <= 5,
      ).toBe(true);
      expect(typeof value.flagged).toBe('boolean');
      expect((value.tags as unknown[]).length).toBeGreaterThanOrEqual(2);
      expect((value.tags as unknown[]).length).toBeLessThanOrEqual(4);
      expect((value.author as { email: string }).email).toMatch(/^[a-z]+@example\.com$/);
      expect((value.note as string).length).toBeLessThanOrEqual(5);
      expect(typeof value.extra).toBe('string');
    }
  });

  it('calls the tool a required or named tool_choice asks for, with arguments matching its parameters', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
            required: ['city', 'unit'],
          },
        },
      },
      { type: 'function' as const, function: { name: 'noop' } },
    ];
    const req = request({ tools, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const { response } = await provider().chat(connection(), req, call());
    const choice = response.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const toolCall = choice?.message.tool_calls?.[0];
    expect(toolCall?.function.name).toBe('get_weather');
    const args = JSON.parse(toolCall?.function.arguments ?? '') as { city: unknown; unit: unknown };
    expect(typeof args.city).toBe('string');
    expect(['c', 'f']).toContain(args.unit);
    expect(response.usage.completion_tokens).toBe(
      tokens.countTokens('get_weather') + tokens.countTokens(toolCall?.function.arguments ?? ''),
    );
    expect(response.usage.prompt_tokens).toBe(tokens.estimateChatTokens(req.messages, tools));

    const { chunks } = await collect(provider().chatStream(connection(), req, call()));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, id: toolCall?.id, function: { name: 'get_weather' } });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe(toolCall?.function.arguments);

    const required = await provider().chat(connection(), request({ tools, tool_choice: 'required' }), call());
    expect(required.response.choices[0]?.message.tool_calls).toHaveLength(1);
    const auto = await provider().chat(connection(), request({ tools, tool_choice: 'auto' }), call());
    expect(auto.response.choices[0]?.message.tool_calls).toBeUndefined();
    const unknown = await provider()
      .chat(
        connection(),
        request({ tools, tool_choice: { type: 'function', function: { name: 'nope' } } }),
        call(),
      )
      .catch((e: unknown) => e);
    expect((unknown as ProviderError).failure).toBe('bad_request');
  });

  it('injects failures at errorRate, the same calls failing in every run', async () => {
    const outcomes = async (options: Record<string, unknown>) => {
      const sim = provider();
      const results: string[] = [];
      for (let i = 0; i < 200; i++) {
        const outcome = await sim.chat(connection(options), request({ seed: i % 7 }), call()).then(
          () => 'ok',
          (e: unknown) => (e as ProviderError).failure,
        );
        results.push(outcome);
      }
      return results;
    };
    const first = await outcomes({ errorRate: 0.3 });
    expect(await outcomes({ errorRate: 0.3 })).toEqual(first);
    const failed = first.filter((o) => o === 'server').length;
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(80);
    expect(first.filter((o) => o !== 'ok' && o !== 'server')).toEqual([]);
    expect((await outcomes({ errorRate: 0 })).every((o) => o === 'ok')).toBe(true);
    expect((await outcomes({ errorRate: 1 })).every((o) => o === 'server')).toBe(true);
  });

  it('an injected 429 carries its status and Retry-After; an injected error in a stream throws before any chunk', async () => {
    const sim = provider();
    const error = await sim
      .chat(connection({ errorRate: 1, errorStatus: 429, retryAfterMs: 2500 }), request(), call())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).failure).toBe('rate_limited');
    expect((error as ProviderError).details).toEqual({ status: 429, retryAfterMs: 2500 });
    const { chunks, error: streamError } = await collect(
      sim.chatStream(connection({ errorRate: 1 }), request(), call()),
    );
    expect(chunks).toEqual([]);
    expect((streamError as ProviderError).failure).toBe('server');
    expect((streamError as ProviderError).details.status).toBe(500);
    expect((streamError as ProviderError).fallbackAllowed).toBe(true);
  });

  it('refuses invalid options with a bad_request naming each bad field', async () => {
    const bad = await provider()
      .chat(connection({ latencyMs: -5, errorRate: 2, errorStatus: 503 }, 'sim-east'), request(), call())
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProviderError);
    expect((bad as ProviderError).failure).toBe('bad_request');
    const message = (bad as ProviderError).message;
    expect(message).toContain('the options of simulated provider sim-east are invalid');
    expect(message).toMatch(/latencyMs: /);
    expect(message).toMatch(/errorRate: /);
    expect(message).toMatch(/errorStatus: /);
    const wrongType = await provider()
      .embed(connection({ ttftMs: 'fast' }), { model: 'sim-embed', input: 'x' }, call())
      .catch((e: unknown) => e);
    expect((wrongType as ProviderError).message).toMatch(/ttftMs: /);
  });

  it('stops when the signal aborts: the gateway timeout as its ProviderError, a cancellation as AbortError', async () => {
    const real = createSimulatedProvider({ tokens });
    const timeout = new ProviderError('timeout', 'too slow');
    const controller = new AbortController();
    setTimeout(() => controller.abort(timeout), 20);
    const timedOut = await real
      .chat(connection({ latencyMs: 5000 }), request(), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(timedOut).toBe(timeout);
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 20);
    const cancelled = await real
      .chat(connection({ latencyMs: 5000 }), request(), { signal: cancel.signal })
      .catch((e: unknown) => e);
    expect((cancelled as Error).name).toBe('AbortError');
    expect(cancelled).not.toBeInstanceOf(ProviderError);
  });

  it('embeds each input as a deterministic unit vector of the asked dimensions, counting its tokens', async () => {
    const sim = provider();
    const result = await sim.embed(
      connection(),
      { model: 'sim-embed', input: ['hello world', 'other', 'hello world'] },
      call(),
    );
    expect(result.data).toHaveLength(3);
    expect(result.data[0]?.embedding).toHaveLength(256);
    const [a, b, c] = result.data.map((d) => d.embedding);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 9);
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
    expect(result.usage.prompt_tokens).toBe(
      tokens.countTokens('hello world') * 2 + tokens.countTokens('other'),
    );
    const small = await sim.embed(
      connection(),
      { model: 'sim-embed', input: 'hello world', dimensions: 16 },
      call(),
    );
    expect(small.data[0]?.embedding).toHaveLength(16);
    const tooMany = await sim
      .embed(connection(), { model: 'sim-embed', input: 'x', dimensions: 100_000 }, call())
      .catch((e: unknown) => e);
    expect((tooMany as ProviderError).failure).toBe('bad_request');
  });

  it('is one of the providers createProviders makes, one per kind, with the injected sleep', async () => {
    const providers = createProviders({ tokens, sleep: fastSleep });
    expect([...providers.keys()].sort()).toEqual([...PROVIDER_KINDS].sort());
    for (const [kind, each] of providers) expect(each.kind).toBe(kind);
    sleeps.length = 0;
    const result = await providers
      .get('simulated')
      ?.chat(connection({ latencyMs: 60_000 }), request(), call());
    expect(result?.response.system_fingerprint).toBe('shoal-simulated');
    expect(sleeps).toEqual([60_000]);
  });
});
