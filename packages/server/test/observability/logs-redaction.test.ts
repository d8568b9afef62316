import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter, ROUTES, type ApiServer } from '../../src/api/index.ts';
import { publicRoute } from '../../src/api/route.ts';
import { openGateway, type Gateway } from '../../src/gateway/index.ts';
import { createLogger, redactText, type Logger } from '../../src/observability/index.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider, testSecrets } from '../support/gateway.ts';
import { bearer, seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * Keys, passwords and provider secrets never reach the logs: requests that carry them, a BYOK
 * key stored and then echoed by a failing upstream, errors whose message, cause or database
 * parameters hold a secret. The logger writes at `trace` and the server logs every request.
 */
const WRONG_PASSWORD = `wrong-password-${randomBytes(6).toString('hex')}`;
const BYOK_KEY = `sk-byok-${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
const DB_PARAM_SECRET = `sk-param-${randomBytes(10).toString('hex')}`;

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
const logged = () => lines.join('\n');
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

/** A route whose database query fails on a parameter that is a secret (an unhandled error). */
const failingQueryRoute = publicRoute({
  method: 'GET',
  url: '/test/failing-query',
  operationId: 'testFailingQuery',
  tag: 'health',
  summary: 'fails',
  success: { status: 200, schema: null, description: 'never' },
  handler: async ({ deps }) => {
    await deps.db.systemTx((tx) => tx.query('select $1::integer as n', [DB_PARAM_SECRET]));
    return { body: {} };
  },
});

describe('log redaction', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let upstream: FakeUpstream;
  let logger: Logger;
  let gateway: Gateway;
  let app: ApiServer;

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream();
    await addProvider(t.db, {
      name: 'byok',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      models: [{ model: 'b-chat', price: { input: '1.000000', output: '2.000000' } }],
    });
    tenant = await seedTenant(t.db, 'redaction');
    const config = testConfig({ SHOAL_LOG_LEVEL: 'trace' });
    logger = createLogger({ level: 'trace', destination: sink });
    gateway = openGateway({
      db: t.db,
      logger,
      config,
      secrets: testSecrets(),
      overrides: { timeoutMs: 2_000, maxRetryAfterMs: 0 },
    });
    app = createApiServer(
      {
        config,
        db: t.db,
        logger,
        rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
        secrets: testSecrets(),
        gateway,
      },
      [...ROUTES, failingQueryRoute],
    );
  });
  beforeEach(() => {
    lines.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await gateway.close();
    await upstream.close();
    await t.drop();
  });

  it('a login with a wrong password, then with the right one, logs neither password nor the session token', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: tenant.ownerEmail, password: WRONG_PASSWORD },
    });
    expect(wrong.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    const right = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email: tenant.ownerEmail, password: tenant.password },
    });
    expect(right.statusCode).toBe(201);
    const token = /shoal_session=([^;]+)/.exec(String(right.headers['set-cookie']))?.[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    const me = await app.inject({
      method: 'GET',
      url: '/v1/tenant',
      headers: { cookie: `shoal_session=${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(parsed().filter((l) => l.msg === 'request completed')).toHaveLength(3);
    for (const secret of [WRONG_PASSWORD, tenant.password, token]) expect(logged()).not.toContain(secret);
  });

  it('a request with an API key logs the tenant, not the key', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/tenant',
      headers: bearer(tenant.keys.owner),
    });
    expect(response.statusCode).toBe(200);
    expect(parsed().find((l) => l.msg === 'request completed')).toMatchObject({ tenantId: tenant.tenantId });
    // Even logged on purpose, the request's headers come out censored.
    logger.info({ req: { headers: { authorization: `Bearer ${tenant.keys.owner}` } } }, 'headers');
    logger.info(`retrying with ${tenant.keys.owner}`);
    expect(logged()).toContain('[redacted]');
    expect(logged()).not.toContain(tenant.keys.owner);
  });

  it("each request's lines carry its own tenant and request id, never an earlier request's", async () => {
    const other = await seedTenant(t.db, 'redaction-other');
    for (const key of [tenant.keys.owner, other.keys.owner])
      expect((await app.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(key) })).statusCode).toBe(
        200,
      );
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const completed = parsed().filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => l.tenantId)).toEqual([tenant.tenantId, other.tenantId, undefined]);
    expect(new Set(completed.map((l) => l.reqId)).size).toBe(3);
    // The server's own logger was bound to no request.
    logger.info('after the requests');
    expect(parsed().at(-1)).not.toHaveProperty('tenantId');
  });

  it('a BYOK key stored, then echoed back by a failing upstream, is never logged', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/provider-keys/byok',
      headers: bearer(tenant.keys.owner),
      payload: { apiKey: BYOK_KEY },
    });
    expect(put.statusCode).toBe(201);
    upstream.script({ kind: 'status', status: 500, message: `upstream failed for key ${BYOK_KEY}` });
    const call = await app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(tenant.keys.developer),
      payload: { model: 'byok/b-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(call.json()).toMatchObject({ error: { code: 'UPSTREAM_FAILED' } });
    // The key did go upstream and came back in the error: the log line exists, scrubbed.
    expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${BYOK_KEY}`);
    expect(JSON.stringify(call.json())).toContain('upstream failed for key');
    const failure = parsed().find((l) => l.msg === 'llm call failed');
    expect(failure).toMatchObject({ code: 'UPSTREAM_FAILED', tenantId: tenant.tenantId });
    expect(JSON.stringify(failure)).toContain('upstream failed for key [redacted]');
    expect(logged()).not.toContain(BYOK_KEY);
  });

  it('an unhandled database error whose parameters hold a secret is logged without it', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/failing-query' });
    expect(response.json()).toMatchObject({ error: { code: 'INTERNAL' } });
    const error = parsed().find((l) => l.msg === 'unhandled error');
    expect(error?.err).toBeDefined();
    expect(logged()).not.toContain(DB_PARAM_SECRET);
  });

  it('errors with a secret in the message, the cause or a field, and secrets in messages, are scrubbed', () => {
    const cause = new Error(`signing with ${WEBHOOK_SECRET} failed`);
    logger.error(
      { err: new Error(`could not unwrap with master key ${MASTER_KEY}`, { cause }) },
      'secret box failed',
    );
    logger.error(
      { err: Object.assign(new Error('provider said no'), { apiKey: BYOK_KEY, status: 401 }) },
      'x',
    );
    const fields = { webhook: { signingSecret: WEBHOOK_SECRET }, password: WRONG_PASSWORD };
    logger.warn(fields, 'webhook');
    logger.info({ provider: { connection: { apiKey: BYOK_KEY, baseUrl: 'https://llm.example' } } }, 'p');
    // The caller's object is copied, not censored in place.
    expect(fields.webhook.signingSecret).toBe(WEBHOOK_SECRET);
    logger.warn(`webhook secret ${WEBHOOK_SECRET} and password=${WRONG_PASSWORD}`);
    const out = logged();
    for (const secret of [WEBHOOK_SECRET, MASTER_KEY, BYOK_KEY, WRONG_PASSWORD])
      expect(out).not.toContain(secret);
    expect(parsed()[0]).toMatchObject({ msg: 'secret box failed', err: { type: 'Error' } });
    expect(JSON.stringify(parsed()[0])).toContain('could not unwrap with master key [redacted]');
    expect(parsed()[1]).toMatchObject({ err: { status: 401, apiKey: '[redacted]' } });
    expect(parsed()[3]).toMatchObject({
      provider: { connection: { apiKey: '[redacted]', baseUrl: 'https://llm.example' } },
    });
  });

  it('text redaction keeps ordinary text and ids as they are', () => {
    const plain = 'run 6f1c2a7e-0b7d-4c1e-9d55-8a3c1e2f4b6a step ask attempt 2 took 35 ms';
    expect(redactText(plain)).toBe(plain);
    expect(redactText(`Authorization: Bearer ${tenant.keys.admin}`)).toBe('Authorization: [redacted]');
  });
});
