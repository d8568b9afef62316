import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedTenant, type TestTenant } from '../../server/test/support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/support/test-db.ts';
import { createShoalClient, paginate, ShoalApiError, type ShoalClient } from '../src/index.ts';
// Brings in the harness's typing of vitest's `inject()` keys, which test-db.ts uses.
import type {} from '../../server/test/support/global-setup.ts';

type ApiServer = ReturnType<typeof createTestApp>;

async function listen(app: ApiServer): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Awaits a call that must fail and returns its ShoalApiError. */
async function apiError(call: Promise<unknown>): Promise<ShoalApiError> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ShoalApiError);
  return error as ShoalApiError;
}

interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

/** The global fetch, recording each request; with `cookies`, it also keeps cookies like a browser. */
function recordingFetch(options: { cookies?: boolean } = {}) {
  const sent: SentRequest[] = [];
  const jar = new Map<string, string>();
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (options.cookies && jar.size) {
      headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    sent.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body: typeof init?.body === 'string' ? init.body : null,
    });
    const response = await fetch(input, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      // Logout clears a cookie by setting it empty with Max-Age=0; a browser then drops it.
      if (eq === pair.length - 1) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  };
  return { fetch: fetchImpl, sent, jar };
}

describe('SDK against the real server', () => {
  let testDb: TestDatabase;
  let app: ApiServer;
  let baseUrl: string;
  let tenant: TestTenant;
  let owner: ShoalClient;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    app = createTestApp(testDb.db);
    baseUrl = await listen(app);
    tenant = await seedTenant(testDb.db, 'sdk');
    owner = createShoalClient({ baseUrl, apiKey: tenant.keys.owner });
  });

  afterAll(async () => {
    await app?.close();
    await testDb?.drop();
  });

  it('health and readiness answer without credentials', async () => {
    const anonymous = createShoalClient({ baseUrl: `${baseUrl}/` });
    expect(await anonymous.health()).toEqual({ status: 'ok' });
    expect(await anonymous.ready()).toEqual({ status: 'ready' });
  });

  it('a signed-up owner logs in with a session cookie and logs out with the CSRF token', async () => {
    const email = `sdk-signup-${Date.now()}@example.test`;
    const password = 'a long enough password';
    const anonymous = createShoalClient({ baseUrl });
    const signedUp = await anonymous.signup({ tenantName: 'SDK signup', name: 'Sam', email, password });
    expect(signedUp.tenant.name).toBe('SDK signup');
    expect(signedUp.user.email).toBe(email);

    const browser = recordingFetch({ cookies: true });
    let csrfToken: string | undefined = undefined;
    const session = createShoalClient({ baseUrl, fetch: browser.fetch, csrfToken: () => csrfToken });
    const login = await session.login({ email, password, tenantId: signedUp.tenant.id });
    expect(login).toMatchObject({ tenantId: signedUp.tenant.id, userId: signedUp.user.id, role: 'owner' });
    expect(browser.jar.has('shoal_session')).toBe(true);

    expect(await session.getMe()).toMatchObject({
      via: 'session',
      role: 'owner',
      tenantId: signedUp.tenant.id,
    });
    const withoutCsrf = await apiError(session.logout());
    expect(withoutCsrf).toMatchObject({ status: 403, code: 'CSRF_FAILED' });

    csrfToken = login.csrfToken;
    const sessionCookie = browser.jar.get('shoal_session') ?? '';
    expect(await session.logout()).toBeUndefined();
    expect(browser.sent.at(-1)?.headers.get('x-csrf-token')).toBe(login.csrfToken);
    expect(browser.jar.has('shoal_session')).toBe(false);
    expect(await apiError(session.getMe())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    // The server revoked the session too: replaying the old cookie does not work.
    browser.jar.set('shoal_session', sessionCookie);
    expect(await apiError(session.getMe())).toMatchObject({ status: 401, code: 'SESSION_INVALID' });
  });

  it('an API key created through the SDK is listed, revoked, then refused with API_KEY_REVOKED', async () => {
    const created = await owner.createApiKey({ name: 'sdk key', role: 'developer' });
    expect(created.secret).toMatch(/^shoal_/);
    expect(created.apiKey).toMatchObject({ name: 'sdk key', role: 'developer', revokedAt: null });

    const developer = createShoalClient({ baseUrl, apiKey: created.secret });
    expect(await developer.getMe()).toMatchObject({
      via: 'api_key',
      role: 'developer',
      apiKeyId: created.apiKey.id,
    });

    const listed = await owner.listApiKeys();
    expect(listed.data.map((key) => key.id)).toContain(created.apiKey.id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(await owner.getApiKey({ id: created.apiKey.id })).toMatchObject({
      id: created.apiKey.id,
      name: 'sdk key',
    });

    const revoked = await owner.revokeApiKey({ id: created.apiKey.id });
    expect(revoked.revokedAt).not.toBeNull();

    const refused = await apiError(developer.getMe());
    expect(refused).toMatchObject({ name: 'ShoalApiError', status: 401, code: 'API_KEY_REVOKED' });
    expect(refused.message).toBe('API key has been revoked');
    expect(refused.requestId).toMatch(/^req_/);
    expect(refused.retryable).toBe(false);
  });

  it('paginate walks every audit event across pages, newest first', async () => {
    for (const name of ['SDK tenant 1', 'SDK tenant 2', 'SDK tenant 3', 'sdk'])
      await owner.updateTenant({ name });
    const recorder = recordingFetch();
    const client = createShoalClient({ baseUrl, apiKey: tenant.keys.owner, fetch: recorder.fetch });

    const everything = (await client.listAuditEvents({ limit: 500 })).data;
    expect(everything.length).toBeGreaterThanOrEqual(5);
    const walked = [];
    for await (const event of paginate(client.listAuditEvents, { limit: 2 })) walked.push(event);
    expect(walked.map((event) => event.seq)).toEqual(everything.map((event) => event.seq));
    expect(walked.map((event) => event.seq)).toEqual(
      [...walked.map((event) => event.seq)].sort((a, b) => b - a),
    );
    const pageRequests = recorder.sent.slice(1);
    expect(pageRequests.length).toBe(Math.floor(everything.length / 2) + 1);
    expect(new URL(pageRequests[1]?.url ?? '').searchParams.get('cursor')).toBe(String(walked[1]?.seq));

    const renames = [];
    for await (const event of paginate(client.listAuditEvents, { action: 'tenant.update', limit: 3 }))
      renames.push(event);
    expect(renames.map((event) => (event.details.after as { name?: string } | undefined)?.name)).toEqual([
      'sdk',
      'SDK tenant 3',
      'SDK tenant 2',
      'SDK tenant 1',
    ]);

    const chain = await client.verifyAuditChain();
    expect(chain).toMatchObject({ ok: true, firstBroken: null });
  });

  it('invalid requests surface VALIDATION_FAILED and UNKNOWN_FIELD with their details', async () => {
    const invalid = await apiError(owner.createApiKey({ name: '   ', role: 'developer' }));
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(invalid.details?.issues).toEqual([expect.objectContaining({ path: 'body.name' })]);

    const extra = { name: 'k', role: 'developer', scopes: ['all'] } as Parameters<
      ShoalClient['createApiKey']
    >[0];
    const unknown = await apiError(owner.createApiKey(extra));
    expect(unknown).toMatchObject({ status: 400, code: 'UNKNOWN_FIELD' });
    expect(unknown.details?.fields).toEqual(['scopes']);

    const badQuery = await apiError(owner.listAuditEvents({ limit: 0 }));
    expect(badQuery).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('path parameters are percent-encoded and bodiless requests carry no content type', async () => {
    const recorder = recordingFetch();
    const client = createShoalClient({ baseUrl, apiKey: tenant.keys.owner, fetch: recorder.fetch });
    // Encoded, the slash stays inside the parameter, so the route matches and validation answers.
    const notAnId = await apiError(client.getApiKey({ id: 'a/b c' }));
    expect(notAnId).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(recorder.sent[0]?.url).toBe(`${baseUrl}/v1/api-keys/a%2Fb%20c`);

    await client.verifyAuditChain();
    const post = recorder.sent[1];
    expect(post).toMatchObject({ method: 'POST', body: null });
    expect(post?.headers.has('content-type')).toBe(false);
    expect(post?.headers.get('authorization')).toBe(`Bearer ${tenant.keys.owner}`);

    await client.updateTenant({ name: 'sdk' });
    expect(recorder.sent[2]?.headers.get('content-type')).toBe('application/json');
    expect(recorder.sent[2]?.body).toBe('{"name":"sdk"}');
  });

  it('a request id sent by the caller comes back on errors', async () => {
    const missing = await apiError(
      owner.getApiKey(
        { id: '00000000-0000-4000-8000-000000000000' },
        { headers: { 'x-request-id': 'sdk-test-1' } },
      ),
    );
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: 'sdk-test-1' });
  });

  it('rate limiting surfaces Retry-After as retryAfterSeconds', async () => {
    const limited = createTestApp(testDb.db, { SHOAL_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const client = createShoalClient({ baseUrl: await listen(limited) });
      await client.health();
      await client.health();
      const error = await apiError(client.health());
      expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryable: true });
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      expect(error.details?.retryAfterSeconds).toBe(error.retryAfterSeconds);
    } finally {
      await limited.close();
    }
  });
});
