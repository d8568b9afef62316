import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costMicroUsd, parseUsdPerMtok } from '../../src/gateway/index.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, recordedCalls, type GatewayApp } from '../support/gateway.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * The gateway end to end through `POST /v1/chat/completions`: aliases, the cheapest route,
 * fallbacks on 429 / 5xx / timeouts / early stream cuts, Retry-After, exact cost, recording.
 */
const CHEAP = { input: '0.150000', output: '0.600000', cached: '0.075000' };
const DEAR = { input: '2.500000', output: '10.000000', cached: '1.250000' };
const rates = (p: { input: string; output: string; cached: string }) => ({
  inputMicroUsdPerMtok: parseUsdPerMtok(p.input),
  outputMicroUsdPerMtok: parseUsdPerMtok(p.output),
  cachedInputMicroUsdPerMtok: parseUsdPerMtok(p.cached),
});

describe('gateway routing and fallbacks', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let ga: GatewayApp;
  let tenant: TestTenant;
  const sleeps: number[] = [];

  const chat = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(tenant.keys.developer), ...headers },
      payload: { messages: [{ role: 'user', content: 'Say hello' }], ...body },
    });

  const putAlias = async (name: string, spec: Record<string, unknown>) => {
    const res = await ga.app.inject({
      method: 'PUT',
      url: `/v1/model-aliases/${name}`,
      headers: bearer(tenant.keys.developer),
      payload: spec,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'fake-a',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-platform-a',
      models: [{ model: 'm-cheap', price: CHEAP }, { model: 'm-dear', price: DEAR }, { model: 'm-unpriced' }],
    });
    await addProvider(t.db, {
      name: 'fake-b',
      kind: 'anthropic',
      baseUrl: upstream.anthropicBaseUrl,
      platformKey: 'sk-platform-b',
      models: [{ model: 'claude-x', price: DEAR }],
    });
    await addProvider(t.db, {
      name: 'fake-nokey',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      models: [{ model: 'm-nokey', price: CHEAP }],
    });
    ga = createGatewayApp(t.db, {
      overrides: { timeoutMs: 300, maxRetryAfterMs: 1500 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    tenant = await seedTenant(t.db, 'routing');
    await putAlias('fast', {
      candidates: [
        { model: 'fake-a/m-dear', tier: 3 },
        { model: 'fake-a/m-cheap', tier: 2 },
        { model: 'fake-b/claude-x', tier: 3 },
      ],
    });
  });

  afterAll(async () => {
    await ga.app.close();
    await upstream.close();
    await t.drop();
  });

  beforeEach(() => {
    upstream.reset();
    sleeps.length = 0;
  });

  it('an alias call goes to the cheapest candidate and is charged exactly, from the usage the provider reported', async () => {
    const res = await chat({ model: 'fast', max_tokens: 50 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-provider']).toBe('fake-a');
    expect(res.headers['x-shoal-model']).toBe('m-cheap');
    const body = res.json();
    const usage = body.usage;
    const expected = costMicroUsd(rates(CHEAP), {
      tokensIn: usage.prompt_tokens,
      tokensOut: usage.completion_tokens,
      tokensCached: usage.prompt_tokens_details?.cached_tokens ?? 0,
    });
    expect(Number(res.headers['x-shoal-cost-micro-usd'])).toBe(expected);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-platform-a');
    expect(upstream.requests[0]?.body).toMatchObject({ model: 'm-cheap', max_tokens: 50 });
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect(call).toMatchObject({
      alias: 'fast',
      provider: 'fake-a',
      model: 'm-cheap',
      outcome: 'succeeded',
      tokens_in: usage.prompt_tokens,
      tokens_out: usage.completion_tokens,
      cache_hit: false,
      api_key_id: tenant.keyIds.developer,
    });
    expect(Number(call?.cost_micro_usd)).toBe(expected);
  });

  it('a requested tier skips the candidates below it', async () => {
    const res = await chat({ model: 'fast', shoal: { tier: 3 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-model']).toBe('m-dear');
  });

  it('a 500 falls back to the next candidate, and only the one that answered is charged', async () => {
    upstream.script({ kind: 'status', status: 500, model: 'm-cheap' });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-model']).toBe('m-dear');
    expect(res.headers['x-shoal-attempts']).toBe('2');
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect(call?.attempts).toEqual([
      expect.objectContaining({ model: 'm-cheap', outcome: 'failed', failure: 'server', status: 500 }),
      expect.objectContaining({ model: 'm-dear', outcome: 'succeeded' }),
    ]);
    const usage = res.json().usage;
    expect(Number(call?.cost_micro_usd)).toBe(
      costMicroUsd(rates(DEAR), {
        tokensIn: usage.prompt_tokens,
        tokensOut: usage.completion_tokens,
        tokensCached: 0,
      }),
    );
  });

  it('a 429 with a short Retry-After is waited out and the same candidate tried again', async () => {
    upstream.script({ kind: 'status', status: 429, retryAfterSeconds: 1, model: 'm-cheap' });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-model']).toBe('m-cheap');
    expect(sleeps).toEqual([1000]);
  });

  it('a 429 with a Retry-After longer than the gateway waits goes to the next candidate at once', async () => {
    upstream.script({ kind: 'status', status: 429, retryAfterSeconds: 30, model: 'm-cheap' });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-model']).toBe('m-dear');
    expect(sleeps).toEqual([]);
  });

  it('a candidate that does not answer in time is abandoned for the next', async () => {
    upstream.script({ kind: 'hang', model: 'm-cheap' });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-model']).toBe('m-dear');
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect((call?.attempts as { failure?: string }[])[0]?.failure).toBe('timeout');
  });

  it('when every candidate fails, the error names what was tried', async () => {
    upstream.script(
      { kind: 'status', status: 503, model: 'm-cheap' },
      { kind: 'status', status: 500, model: 'm-dear' },
      { kind: 'status', status: 529, model: 'claude-x' },
    );
    const res = await chat({ model: 'fast' });
    expect(res.statusCode).toBe(502);
    const error = res.json().error;
    expect(error.code).toBe('UPSTREAM_FAILED');
    expect(error.message).toContain('fake-a/m-cheap (server 503)');
    expect(error.message).toContain('fake-b/claude-x');
    expect(error.details.attempts).toHaveLength(3);
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect(call).toMatchObject({ outcome: 'failed', error_code: 'UPSTREAM_FAILED' });
    expect(Number(call?.cost_micro_usd)).toBe(0);
  });

  it('every candidate rate limited upstream answers 429 with Retry-After', async () => {
    for (const model of ['m-cheap', 'm-dear', 'claude-x'])
      upstream.script({ kind: 'status', status: 429, retryAfterSeconds: 20, model });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(res.headers['retry-after']).toBe('20');
  });

  it('a 400 from the upstream is not retried elsewhere: the request itself is wrong', async () => {
    upstream.script({ kind: 'status', status: 400, message: 'bad tool schema', model: 'm-cheap' });
    const res = await chat({ model: 'fast' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('UPSTREAM_REJECTED');
    expect(upstream.requests).toHaveLength(1);
  });

  it('a stream that fails before its first token falls back; the answer streams from the next candidate', async () => {
    upstream.script({ kind: 'cut', afterChunks: 0, model: 'm-cheap' });
    const res = await chat({ model: 'fast', stream: true, stream_options: { include_usage: true } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['x-shoal-model']).toBe('m-dear');
    const events = res.body.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    const usage = chunks.at(-1).usage;
    expect(usage.completion_tokens).toBeGreaterThan(0);
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect(call).toMatchObject({ outcome: 'succeeded', streamed: true, model: 'm-dear' });
    expect(Number(call?.cost_micro_usd)).toBe(
      costMicroUsd(rates(DEAR), {
        tokensIn: usage.prompt_tokens,
        tokensOut: usage.completion_tokens,
        tokensCached: 0,
      }),
    );
  });

  it('a stream cut after its first token is not retried: the error arrives in the stream and what was sent is charged', async () => {
    upstream.script({ kind: 'cut', afterChunks: 2, model: 'm-cheap' });
    const res = await chat({ model: 'fast', stream: true });
    expect(res.statusCode).toBe(200);
    const events = res.body.split('\n\n').filter((e) => e.startsWith('data: '));
    const last = JSON.parse(events.at(-1)!.slice(6));
    expect(last.error.code).toBe('UPSTREAM_FAILED');
    expect(upstream.requests).toHaveLength(1);
    const [call] = (await recordedCalls(t.db, ga.gateway, tenant.tenantId)).slice(-1);
    expect(call).toMatchObject({ outcome: 'failed', streamed: true });
    expect(Number(call?.cost_micro_usd)).toBeGreaterThan(0);
  });

  it('a model with no price is refused and never called', async () => {
    const res = await chat({ model: 'fake-a/m-unpriced' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('MODEL_UNPRICED');
    expect(upstream.requests).toHaveLength(0);
  });

  it('a provider with neither a tenant nor a platform key is refused', async () => {
    const res = await chat({ model: 'fake-nokey/m-nokey' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it('an unknown model or alias is 404 MODEL_NOT_FOUND', async () => {
    const res = await chat({ model: 'no-such-model' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MODEL_NOT_FOUND');
  });

  it('the Anthropic candidate speaks the Messages API and answers in the OpenAI shape', async () => {
    const res = await chat({ model: 'fake-b/claude-x', max_tokens: 30 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant' } }],
    });
    expect(upstream.requests[0]).toMatchObject({ endpoint: 'messages' });
    expect(upstream.requests[0]?.headers['x-api-key']).toBe('sk-platform-b');
  });
});
