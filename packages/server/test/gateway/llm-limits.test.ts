import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, type GatewayApp } from '../support/gateway.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * Requests and tokens per minute, per tenant (its plan, or an operator's override) and per API
 * key, held across gateway processes that share the database. The clock is fixed inside one
 * minute, so no window ends during a test.
 */
describe('gateway rate limits', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let minute = Date.parse('2030-01-01T00:00:05Z');
  const clock = () => minute;
  const apps: GatewayApp[] = [];

  const gatewayApp = () => {
    const app = createGatewayApp(t.db, { now: clock });
    apps.push(app);
    return app;
  };
  const chat = (ga: GatewayApp, key: string, maxTokens = 20) =>
    ga.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(key),
      payload: { model: 'up/m', messages: [{ role: 'user', content: 'count me' }], max_tokens: maxTokens },
    });
  const limitTenant = (tenant: TestTenant, requests: number | null, tokens: number | null) =>
    t.db.ownerTx((tx) =>
      tx.query(
        `insert into tenant_limits (tenant_id, llm_requests_per_minute, llm_tokens_per_minute) values ($1, $2, $3)
         on conflict (tenant_id) do update set llm_requests_per_minute = $2, llm_tokens_per_minute = $3`,
        [tenant.tenantId, requests, tokens],
      ),
    );

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream({ record: false });
    await addProvider(t.db, {
      name: 'up',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-up',
      models: [{ model: 'm', price: { input: '1.000000', output: '1.000000' } }],
    });
  });

  afterAll(async () => {
    for (const ga of apps) await ga.app.close();
    await upstream.close();
    await t.drop();
  });

  it("past the tenant's requests per minute, calls get 429 GATEWAY_REQUESTS_RATE_LIMITED until the minute ends", async () => {
    const tenant = await seedTenant(t.db, 'req-limited');
    await limitTenant(tenant, 5, 1_000_000);
    const ga = gatewayApp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await chat(ga, tenant.keys.developer)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await chat(ga, tenant.keys.developer);
    expect(refused.json().error).toMatchObject({
      code: 'GATEWAY_REQUESTS_RATE_LIMITED',
      details: { scope: 'tenant' },
    });
    expect(refused.headers['retry-after']).toBe('55');
    minute += 60_000;
    expect((await chat(ga, tenant.keys.developer)).statusCode).toBe(200);
  });

  it('the token limit counts the worst case up front and gives back what a call did not use', async () => {
    const tenant = await seedTenant(t.db, 'tok-limited');
    await limitTenant(tenant, 1000, 1000);
    const ga = gatewayApp();
    // A call larger than the whole minute's tokens can never pass.
    const huge = await chat(ga, tenant.keys.developer, 5000);
    expect(huge.statusCode).toBe(429);
    expect(huge.json().error.code).toBe('GATEWAY_TOKENS_RATE_LIMITED');
    // Each call reserves about 10 + 300 tokens; three at once fit in 1000, a fourth would not.
    let admitted = 0;
    let usedTokens = 0;
    for (let i = 0; i < 12; i += 1) {
      const res = await chat(ga, tenant.keys.developer, 300);
      if (res.statusCode !== 200) {
        expect(res.json().error.code).toBe('GATEWAY_TOKENS_RATE_LIMITED');
        break;
      }
      admitted += 1;
      usedTokens += res.json().usage.total_tokens;
    }
    // Real answers are far below 300 tokens, so more calls pass than the worst case alone allows.
    expect(admitted).toBeGreaterThan(3);
    expect(usedTokens).toBeLessThanOrEqual(1000);
  });

  it("an API key's own limit refuses that key while the tenant's other keys go on", async () => {
    const tenant = await seedTenant(t.db, 'key-limited');
    await limitTenant(tenant, 1000, 1_000_000);
    await t.db.ownerTx((tx) =>
      tx.query(`update api_keys set llm_requests_per_minute = 2 where id = $1`, [tenant.keyIds.developer]),
    );
    const ga = gatewayApp();
    expect((await chat(ga, tenant.keys.developer)).statusCode).toBe(200);
    expect((await chat(ga, tenant.keys.developer)).statusCode).toBe(200);
    const refused = await chat(ga, tenant.keys.developer);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.details.scope).toBe('api_key');
    expect((await chat(ga, tenant.keys.owner)).statusCode).toBe(200);
  });

  it('three gateway processes on one database never admit more than the limit together', async () => {
    const tenant = await seedTenant(t.db, 'shared-limit');
    await limitTenant(tenant, 30, 1_000_000);
    const processes = [gatewayApp(), gatewayApp(), gatewayApp()];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => chat(processes[i % 3]!, tenant.keys.developer)),
    );
    const admitted = results.filter((r) => r.statusCode === 200).length;
    for (const r of results)
      if (r.statusCode !== 200) expect(r.body).toContain('GATEWAY_REQUESTS_RATE_LIMITED');
    expect(admitted).toBeLessThanOrEqual(30);
    // A slice a process leased and did not spend is lost to the others until the minute ends:
    // at most a slice (here 2 requests) less one per process.
    expect(admitted).toBeGreaterThanOrEqual(27);
    const granted = await t.db.ownerTx((tx) =>
      tx.query<{ requests_granted: number }>(
        `select requests_granted from llm_rate_windows where tenant_id = $1 and scope = 'tenant'`,
        [tenant.tenantId],
      ),
    );
    expect(granted.rows.map((r) => Number(r.requests_granted))).toEqual([30]);
  });
});
