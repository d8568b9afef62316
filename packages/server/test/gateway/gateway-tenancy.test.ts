import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError, type BudgetPort, type BudgetRequest } from '../../src/gateway/index.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, recordedCalls, type GatewayApp } from '../support/gateway.ts';
import { bearer, seedTenant, TEST_OPERATOR_TOKEN, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * What belongs to a tenant stays its own: aliases, provider keys, cached answers and recorded
 * calls. Also the cache, idempotency keys, BYOK over the platform key, budgets through the
 * gateway's budget port, and the routing strategies.
 */
const PRICE = { input: '1.000000', output: '2.000000' };

/** Budgets held in memory, as metering will hold them: reserve refuses what would pass the cap. */
function memoryBudgets(limitMicroUsd: number) {
  let spent = 0;
  let reserved = 0;
  const open = new Map<string, number>();
  let next = 0;
  const port: BudgetPort = {
    async reserve(request: BudgetRequest) {
      if (spent + reserved + request.amountMicroUsd > limitMicroUsd)
        throw new GatewayError('BUDGET_EXCEEDED', undefined, {
          remainingMicroUsd: limitMicroUsd - spent - reserved,
        });
      reserved += request.amountMicroUsd;
      const id = `r${++next}`;
      open.set(id, request.amountMicroUsd);
      return { id, amountMicroUsd: request.amountMicroUsd };
    },
    async settle(reservation, actual) {
      reserved -= open.get(reservation.id) ?? 0;
      open.delete(reservation.id);
      spent += actual;
    },
    async remainingMicroUsd() {
      return limitMicroUsd - spent - reserved;
    },
  };
  return { port, state: () => ({ spent, reserved, open: open.size }) };
}

describe('gateway tenancy, cache, idempotency and budgets', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let ga: GatewayApp;
  let a: TestTenant;
  let b: TestTenant;
  const budgets = memoryBudgets(1_000_000_000);

  const chat = (tenant: TestTenant, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...bearer(tenant.keys.developer), ...headers },
      payload: { messages: [{ role: 'user', content: 'Tell me about tides' }], max_tokens: 40, ...body },
    });

  const putAlias = async (tenant: TestTenant, name: string, spec: Record<string, unknown>) => {
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
      name: 'up',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-platform',
      models: [
        { model: 'small', price: PRICE },
        { model: 'large', price: { input: '5.000000', output: '20.000000' } },
        { model: 'embed', kind: 'embedding', price: { input: '0.020000', output: '0' } },
      ],
    });
    await addProvider(t.db, {
      name: 'byok-only',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      models: [{ model: 'private', price: PRICE }],
    });
    ga = createGatewayApp(t.db, { budgets: budgets.port });
    a = await seedTenant(t.db, 'tenant-a');
    b = await seedTenant(t.db, 'tenant-b');
    // The free plan's 60 requests a minute would refuse this file's calls; limits have their own test.
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into tenant_limits (tenant_id, llm_requests_per_minute) select unnest($1::uuid[]), 100000`,
        [[a.tenantId, b.tenantId]],
      ),
    );
  });

  afterAll(async () => {
    await ga.app.close();
    await upstream.close();
    await t.drop();
  });

  beforeEach(() => upstream.reset());

  it("tenant B cannot call tenant A's alias: it does not exist for B", async () => {
    await putAlias(a, 'support-bot', { candidates: [{ model: 'up/small' }] });
    expect((await chat(a, { model: 'support-bot' })).statusCode).toBe(200);
    const res = await chat(b, { model: 'support-bot' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MODEL_NOT_FOUND');
    const models = await ga.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(b.keys.viewer) });
    expect(models.json().data.map((m: { id: string }) => m.id)).not.toContain('support-bot');
  });

  it("a tenant's own provider key is used instead of the platform key, and never by another tenant", async () => {
    const put = await ga.app.inject({
      method: 'PUT',
      url: '/v1/provider-keys/byok-only',
      headers: bearer(a.keys.owner),
      payload: { apiKey: 'sk-tenant-a-own' },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const own = await chat(a, { model: 'byok-only/private' });
    expect(own.statusCode, own.body).toBe(200);
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-tenant-a-own');
    const other = await chat(b, { model: 'byok-only/private' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(upstream.requests).toHaveLength(1);
    await ga.app.inject({
      method: 'PUT',
      url: '/v1/provider-keys/up',
      headers: bearer(a.keys.owner),
      payload: { apiKey: 'sk-tenant-a-up' },
    });
    await chat(a, { model: 'up/small' });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-tenant-a-up');
    await chat(b, { model: 'up/small' });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-platform');
  });

  it('a cached answer is served at no cost to the same tenant, and never to another', async () => {
    const body = {
      model: 'up/small',
      shoal: { cache: true },
      messages: [{ role: 'user', content: 'cache me' }],
    };
    const first = await chat(a, body);
    expect(first.headers['x-shoal-cache']).toBe('miss');
    await ga.gateway.flush();
    const second = await chat(a, body);
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-shoal-cache']).toBe('hit');
    expect(second.headers['x-shoal-cost-micro-usd']).toBe('0');
    expect(second.json().choices).toEqual(first.json().choices);
    expect(upstream.requests).toHaveLength(1);
    const otherTenant = await chat(b, body);
    expect(otherTenant.headers['x-shoal-cache']).toBe('miss');
    expect(upstream.requests).toHaveLength(2);
    const calls = await recordedCalls(t.db, ga.gateway, a.tenantId);
    expect(calls.at(-1)).toMatchObject({ cache_hit: true, outcome: 'succeeded' });
    expect(Number(calls.at(-1)?.cost_micro_usd)).toBe(0);
  });

  it('a cache entry past its TTL is not served', async () => {
    const body = {
      model: 'up/small',
      shoal: { cache: true, cacheTtlSeconds: 1 },
      messages: [{ role: 'user', content: 'brief' }],
    };
    await chat(a, body);
    await ga.gateway.flush();
    await t.db.ownerTx((tx) =>
      tx.query(`update llm_cache set expires_at = now() - interval '1 second' where tenant_id = $1`, [
        a.tenantId,
      ]),
    );
    const again = await chat(a, body);
    expect(again.headers['x-shoal-cache']).toBe('miss');
    expect(upstream.requests).toHaveLength(2);
  });

  it('the same Idempotency-Key returns the first answer without a second send or charge, also under concurrency', async () => {
    const headers = { 'idempotency-key': 'order-42-summary' };
    const first = await chat(a, { model: 'up/small' }, headers);
    const again = await chat(a, { model: 'up/small' }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-shoal-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(upstream.requests).toHaveLength(1);
    // The same key in another tenant is another call.
    const otherTenant = await chat(b, { model: 'up/small' }, headers);
    expect(otherTenant.headers['x-shoal-replayed']).toBeUndefined();
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => chat(a, { model: 'up/small' }, { 'idempotency-key': 'burst-1' })),
    );
    // Every caller gets the one recorded answer (jsonb may order its keys otherwise: compare deeply).
    for (const res of burst) expect(res.json()).toEqual(burst[0]?.json());
    const rows = (await recordedCalls(t.db, ga.gateway, a.tenantId)).filter(
      (r) => r.idempotency_key === 'burst-1',
    );
    expect(rows).toHaveLength(1);
  });

  it("tenant B sees none of tenant A's recorded calls", async () => {
    await chat(a, { model: 'up/small' });
    await ga.gateway.flush();
    const mine = await ga.app.inject({
      method: 'GET',
      url: '/v1/llm-calls?limit=500',
      headers: bearer(a.keys.viewer),
    });
    const theirs = await ga.app.inject({
      method: 'GET',
      url: '/v1/llm-calls?limit=500',
      headers: bearer(b.keys.viewer),
    });
    const aIds = new Set(mine.json().map((c: { id: string }) => c.id));
    expect(aIds.size).toBeGreaterThan(0);
    for (const call of theirs.json()) expect(aIds.has(call.id)).toBe(false);
    const allB = await recordedCalls(t.db, ga.gateway, b.tenantId);
    expect(theirs.json()).toHaveLength(allB.length);
  });

  it('the cheapest strategy orders by the worst case of this request; weighted spreads by weight', async () => {
    await putAlias(a, 'pick', {
      strategy: 'cheapest',
      candidates: [{ model: 'up/large' }, { model: 'up/small' }],
    });
    expect((await chat(a, { model: 'pick' })).headers['x-shoal-model']).toBe('small');
    await putAlias(a, 'spread', {
      strategy: 'weighted',
      candidates: [
        { model: 'up/large', weight: 1 },
        { model: 'up/small', weight: 3 },
      ],
    });
    const counts = { small: 0, large: 0 };
    for (let i = 0; i < 80; i += 1) {
      const res = await chat(a, { model: 'spread', max_tokens: 5 });
      counts[res.headers['x-shoal-model'] as 'small' | 'large'] += 1;
    }
    // 3:1 by weight; 80 draws keep each side well inside these bounds.
    expect(counts.small).toBeGreaterThan(45);
    expect(counts.large).toBeGreaterThan(5);
  });

  it("the latency strategy learns from every tenant's calls: A's slow answers steer B away", async () => {
    await addProvider(t.db, {
      name: 'lat',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-lat',
      models: [
        { model: 'x', price: PRICE },
        { model: 'y', price: PRICE },
      ],
    });
    ga.gateway.invalidate(null);
    await putAlias(b, 'quick', {
      strategy: 'latency',
      candidates: [
        { model: 'lat/x', latencyTargetMs: 10 },
        { model: 'lat/y', latencyTargetMs: 20 },
      ],
    });
    // Before anything is observed, the targets stand in: x first.
    expect((await chat(b, { model: 'quick' })).headers['x-shoal-model']).toBe('x');
    upstream.script({ kind: 'delay', ms: 150, model: 'x', times: 4 });
    for (let i = 0; i < 4; i += 1) expect((await chat(a, { model: 'lat/x' })).statusCode).toBe(200);
    expect((await chat(b, { model: 'quick' })).headers['x-shoal-model']).toBe('y');
  });

  it('model health is shared between gateway processes through the database', async () => {
    await addProvider(t.db, {
      name: 'lat2',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-lat2',
      models: [
        { model: 'x', price: PRICE },
        { model: 'y', price: PRICE },
      ],
    });
    const other = createGatewayApp(t.db);
    try {
      await putAlias(b, 'quick2', {
        strategy: 'latency',
        candidates: [
          { model: 'lat2/x', latencyTargetMs: 10 },
          { model: 'lat2/y', latencyTargetMs: 20 },
        ],
      });
      upstream.script({ kind: 'delay', ms: 150, model: 'x', times: 4 });
      ga.gateway.invalidate(null);
      for (let i = 0; i < 4; i += 1) expect((await chat(a, { model: 'lat2/x' })).statusCode).toBe(200);
      await ga.gateway.flush();
      // The other process reads the shared figures about once a second.
      let picked = '';
      for (let i = 0; i < 50 && picked !== 'y'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const res = await other.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: bearer(b.keys.developer),
          payload: { model: 'quick2', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
        });
        picked = String(res.headers['x-shoal-model']);
      }
      expect(picked).toBe('y');
    } finally {
      await other.app.close();
    }
  });

  it('a hard budget that cannot cover the worst case refuses the call before it is sent', async () => {
    const tight = memoryBudgets(10);
    const gated = createGatewayApp(t.db, { budgets: tight.port });
    try {
      const res = await gated.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(a.keys.developer),
        payload: { model: 'up/small', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 },
      });
      expect(res.statusCode).toBe(402);
      expect(res.json().error.code).toBe('BUDGET_EXCEEDED');
      expect(upstream.requests).toHaveLength(0);
      expect(tight.state()).toEqual({ spent: 0, reserved: 0, open: 0 });
    } finally {
      await gated.app.close();
    }
  });

  it('reservations settle to the real cost and none stays open after success or failure', async () => {
    const before = budgets.state().spent;
    const ok = await chat(a, { model: 'up/small' });
    upstream.script({ kind: 'status', status: 500, model: 'small' });
    await chat(a, { model: 'up/small' });
    const state = budgets.state();
    expect(state.open).toBe(0);
    expect(state.reserved).toBe(0);
    expect(state.spent - before).toBe(Number(ok.headers['x-shoal-cost-micro-usd']));
  });

  it('a budget rule moves an alias to a cheaper tier when the remaining budget is low', async () => {
    const low = memoryBudgets(2_000_000);
    const gated = createGatewayApp(t.db, { budgets: low.port });
    try {
      await putAlias(a, 'smart', {
        candidates: [
          { model: 'up/large', tier: 4 },
          { model: 'up/small', tier: 2 },
        ],
        minTier: 4,
        budgetRules: [{ whenRemainingBelowUsd: 5, maxTier: 2 }],
      });
      gated.gateway.invalidate(a.tenantId);
      const res = await gated.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(a.keys.developer),
        payload: { model: 'smart', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['x-shoal-model']).toBe('small');
      // With plenty left, the alias's own tier holds.
      expect((await chat(a, { model: 'smart', max_tokens: 10 })).headers['x-shoal-model']).toBe('large');
    } finally {
      await gated.app.close();
    }
  });

  it('embeddings are priced by their input tokens and a chat model is refused for them', async () => {
    const res = await ga.app.inject({
      method: 'POST',
      url: '/v1/embeddings',
      headers: bearer(a.keys.developer),
      payload: { model: 'up/embed', input: ['one', 'two words'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toHaveLength(2);
    const wrong = await ga.app.inject({
      method: 'POST',
      url: '/v1/embeddings',
      headers: bearer(a.keys.developer),
      payload: { model: 'up/small', input: 'x' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('WRONG_MODEL_KIND');
  });

  it('the simulated provider answers without a key and labels every answer simulated', async () => {
    const res = await chat(b, { model: 'simulated/sim-small', seed: 7 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-shoal-simulated']).toBe('true');
    expect(res.json().system_fingerprint).toBe('shoal-simulated');
    const again = await chat(b, { model: 'simulated/sim-small', seed: 7 });
    expect(again.json().choices[0].message.content).toBe(res.json().choices[0].message.content);
  });

  it('a viewer may list models but not call them', async () => {
    const res = await ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(a.keys.viewer),
      payload: { model: 'up/small', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('the operator token is not an API key for gateway calls', async () => {
    const res = await ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(TEST_OPERATOR_TOKEN),
      payload: { model: 'up/small', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.statusCode).toBe(401);
  });
});
