import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, createGatewayApp, type GatewayApp } from '../support/gateway.ts';
import { bearer, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** Keys of no recognisable shape: only the request's own credentials can find them in an echo. */
const OPENAI_PLATFORM_KEY = 'platform-openai-0f3a9c2e7b41d8';
const ANTHROPIC_PLATFORM_KEY = 'platform-anthropic-5d1e8b0c93a7f2';
const PRICE = { input: '1.000000', output: '2.000000' };

/**
 * An upstream that echoes the key it was sent in its error body must not hand the operator's
 * platform key, shared by every tenant, to the tenant whose call failed.
 */
describe('an upstream echoing the key in its error', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  let ga: GatewayApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'echo-openai',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: OPENAI_PLATFORM_KEY,
      models: [{ model: 'o-chat', price: PRICE }],
    });
    await addProvider(t.db, {
      name: 'echo-anthropic',
      kind: 'anthropic',
      baseUrl: upstream.anthropicBaseUrl,
      platformKey: ANTHROPIC_PLATFORM_KEY,
      models: [{ model: 'a-chat', price: PRICE }],
    });
    ga = createGatewayApp(t.db);
    tenant = await seedTenant(t.db, 'echo-tenant');
  });
  afterAll(async () => {
    await ga.app.close();
    await upstream.close();
    await t.drop();
  });
  beforeEach(() => upstream.reset());

  for (const [model, key] of [
    ['echo-openai/o-chat', OPENAI_PLATFORM_KEY],
    ['echo-anthropic/a-chat', ANTHROPIC_PLATFORM_KEY],
  ] as const) {
    it(`${model}: the error names the failure, not the key`, async () => {
      upstream.script({ kind: 'status', status: 401, message: `invalid key ${key} (key: ${key})` });
      const res = await ga.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(tenant.keys.developer),
        payload: { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
      });
      expect(res.statusCode).toBe(502);
      // The key did go upstream: the echo is real, and only the answer is scrubbed.
      const sent = upstream.requests.at(-1)?.headers;
      expect([sent?.authorization, sent?.['x-api-key']]).toContain(
        model.startsWith('echo-openai') ? `Bearer ${key}` : key,
      );
      expect(res.body).not.toContain(key);
      expect(res.json()).toMatchObject({
        error: { code: 'UPSTREAM_FAILED', message: expect.stringContaining('invalid key [redacted]') },
      });
    });
  }
});
