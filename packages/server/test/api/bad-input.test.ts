import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERRORS, type ApiErrorCode, type ApiServer } from '../../src/api/index.ts';
import { generateApiKey, IDENTITY_ERRORS, type IdentityErrorCode } from '../../src/identity/index.ts';
import { bearer, createTestApp, seedTenant, TEST_PASSWORD, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

type ErrorCode = ApiErrorCode | IdentityErrorCode;
const CATALOGUE: Record<string, { status: number; message: string }> = { ...API_ERRORS, ...IDENTITY_ERRORS };

interface ErrorJson {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** Any response: request id echoed, security headers on. */
function expectEdgeHeaders(res: LightMyRequestResponse): void {
  expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
}

/** `{ error: { code, message, requestId, details? } }` and nothing else, with the catalogue's status. */
function expectError(
  res: LightMyRequestResponse,
  code: ErrorCode,
  message: string | RegExp = CATALOGUE[code]?.message ?? '',
): ErrorJson['error'] {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error?.code }).toEqual({
    status: CATALOGUE[code]?.status,
    code,
  });
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(
    body.error.details ? ['code', 'details', 'message', 'requestId'] : ['code', 'message', 'requestId'],
  );
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
  expectEdgeHeaders(res);
  return body.error;
}

const issuePaths = (error: ErrorJson['error']) =>
  ((error.details?.issues ?? []) as { path: string }[]).map((issue) => issue.path).sort();

describe('bad input at the HTTP edge', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let other: TestTenant;
  const extraApps: ApiServer[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'edge');
    other = await seedTenant(t.db, 'edge-other');
  });
  afterAll(async () => {
    await Promise.all([app, ...extraApps].map((a) => a.close()));
    await t.drop();
  });

  const appWith = (overrides: Record<string, string>) => {
    const made = createTestApp(t.db, overrides);
    extraApps.push(made);
    return made;
  };

  /** Row count and a digest of the contents of every table a request could change. */
  const counts = () =>
    t.db.ownerTx(async (tx) => {
      const out: Record<string, string> = {};
      for (const table of [
        'tenants',
        'users',
        'memberships',
        'api_keys',
        'sessions',
        'invites',
        'email_outbox',
        'audit_events',
      ]) {
        // last_used_at is written by authentication itself, outside the request's transaction.
        const row = `(to_jsonb(t) - 'last_used_at')::text`;
        const result = await tx.query<{ n: number; digest: string }>(
          `select count(*)::int as n, coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as digest from ${table} t`,
        );
        out[table] = `${result.rows[0]?.n} rows, ${result.rows[0]?.digest}`;
      }
      return out;
    });

  /** Sends the request and checks it changed nothing in the database. */
  async function refused(request: InjectOptions, on: ApiServer = app): Promise<LightMyRequestResponse> {
    const before = await counts();
    const res = await on.inject(request);
    expect(await counts()).toEqual(before);
    return res;
  }

  const owner = () => bearer(tenant.keys.owner);
  const json = { 'content-type': 'application/json' };

  describe('malformed JSON', () => {
    it.each([
      ['a truncated object', '{"name": "k", "role":'],
      ['trailing garbage', '{"name": "k", "role": "viewer"}}'],
      ['single quotes', "{'name': 'k', 'role': 'viewer'}"],
      ['an empty body', ''],
      ['a prototype-poisoning key', '{"name": "k", "role": "viewer", "__proto__": {"role": "owner"}}'],
    ])('%s is refused with 400 MALFORMED_JSON', async (_what, payload) => {
      const res = await refused({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { ...owner(), ...json },
        payload,
      });
      expectError(res, 'MALFORMED_JSON');
    });

    it('on a public route too', async () => {
      const res = await refused({
        method: 'POST',
        url: '/v1/signup',
        headers: json,
        payload: '{"tenantName": ',
      });
      expectError(res, 'MALFORMED_JSON');
    });
  });

  describe('oversized bodies', () => {
    it('a body over SHOAL_BODY_LIMIT_BYTES is refused with 413 PAYLOAD_TOO_LARGE', async () => {
      const small = appWith({ SHOAL_BODY_LIMIT_BYTES: '2048' });
      const payload = JSON.stringify({ name: 'x'.repeat(3000), role: 'viewer' });
      expectError(
        await refused(
          { method: 'POST', url: '/v1/api-keys', headers: { ...owner(), ...json }, payload },
          small,
        ),
        'PAYLOAD_TOO_LARGE',
      );
      expectError(
        await refused(
          {
            method: 'POST',
            url: '/v1/signup',
            headers: json,
            payload: JSON.stringify({ tenantName: 'y'.repeat(4000) }),
          },
          small,
        ),
        'PAYLOAD_TOO_LARGE',
      );
      // The same request within the limit is fine.
      const ok = await small.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: owner(),
        payload: { name: 'x'.repeat(200), role: 'viewer' },
      });
      expect(ok.statusCode).toBe(201);
    });
  });

  describe('unknown fields', () => {
    it.each([
      ['tenant_id', 'POST', '/v1/api-keys', { name: 'k', role: 'viewer', tenant_id: 'OTHER' }],
      ['tenantId', 'POST', '/v1/api-keys', { name: 'k', role: 'viewer', tenantId: 'OTHER' }],
      ['tenantId', 'PATCH', '/v1/tenant', { name: 'renamed', tenantId: 'OTHER' }],
      [
        'tenant_id',
        'POST',
        '/v1/invites',
        { email: 'someone@example.test', role: 'viewer', tenant_id: 'OTHER' },
      ],
      ['tenantId', 'PATCH', '/v1/members/:owner', { role: 'viewer', tenantId: 'OTHER' }],
      ['isAdmin', 'POST', '/v1/api-keys', { name: 'k', role: 'viewer', isAdmin: true }],
    ] as const)(
      'a body with %s is refused with 400 UNKNOWN_FIELD (%s %s)',
      async (field, method, url, body) => {
        const payload = JSON.parse(JSON.stringify(body).replaceAll('OTHER', other.tenantId)) as Record<
          string,
          unknown
        >;
        const res = await refused({
          method,
          url: url.replace(':owner', tenant.ownerUserId),
          headers: owner(),
          payload,
        });
        const error = expectError(
          res,
          'UNKNOWN_FIELD',
          `The body has fields this endpoint does not accept: ${field}`,
        );
        expect(error.details).toMatchObject({ fields: [field] });
      },
    );

    it('a sign-up naming a tenant is refused with 400 UNKNOWN_FIELD', async () => {
      const res = await refused({
        method: 'POST',
        url: '/v1/signup',
        payload: {
          tenantName: 'n',
          name: 'n',
          email: 'n@example.test',
          password: TEST_PASSWORD,
          tenantId: other.tenantId,
        },
      });
      expect(expectError(res, 'UNKNOWN_FIELD', /tenantId/).details).toMatchObject({ fields: ['tenantId'] });
    });

    it('a query with tenant_id is refused with 400 UNKNOWN_FIELD', async () => {
      const res = await refused({
        method: 'GET',
        url: `/v1/audit-events?tenant_id=${other.tenantId}`,
        headers: owner(),
      });
      const error = expectError(
        res,
        'UNKNOWN_FIELD',
        'The query has fields this endpoint does not accept: tenant_id',
      );
      expect(error.details).toMatchObject({ fields: ['tenant_id'] });
    });

    it.each([
      [
        'a query on a route without query parameters',
        { method: 'GET', url: '/v1/members?tenantId=OTHER' },
        'query',
      ],
      [
        'a body on a route without a body',
        { method: 'POST', url: '/v1/audit-events/verify', payload: { tenantId: 'OTHER' } },
        'body',
      ],
      [
        'a body on a DELETE',
        { method: 'DELETE', url: '/v1/api-keys/KEY', payload: { tenantId: 'OTHER' } },
        'body',
      ],
    ] as const)('%s is refused with 400 UNKNOWN_FIELD rather than ignored', async (_what, request, part) => {
      const res = await refused({
        ...request,
        url: request.url.replace('OTHER', other.tenantId).replace('KEY', randomUUID()),
        headers: owner(),
        ...('payload' in request ? { payload: { tenantId: other.tenantId } } : {}),
      });
      expectError(res, 'UNKNOWN_FIELD', `The ${part} has fields this endpoint does not accept: tenantId`);
    });
  });

  describe('wrong types and values', () => {
    it.each([
      [
        'body fields of the wrong type',
        'POST',
        '/v1/api-keys',
        { name: 5, role: 'emperor' },
        ['body.name', 'body.role'],
      ],
      ['a missing required field', 'POST', '/v1/api-keys', { name: 'k' }, ['body.role']],
      ['an array for an object', 'POST', '/v1/api-keys', [{ name: 'k', role: 'viewer' }], ['body']],
      ['a blank name', 'PATCH', '/v1/tenant', { name: '   ' }, ['body.name']],
      [
        'a string for a number',
        'POST',
        '/v1/invites',
        { email: 'a@example.test', role: 'viewer', expiresInHours: '5' },
        ['body.expiresInHours'],
      ],
      ['a bad email', 'POST', '/v1/invites', { email: 'not-an-email', role: 'viewer' }, ['body.email']],
      [
        'a timestamp without an offset',
        'POST',
        '/v1/api-keys',
        { name: 'k', role: 'viewer', expiresAt: 'tomorrow' },
        ['body.expiresAt'],
      ],
      [
        'a wrong type next to an unknown field',
        'POST',
        '/v1/api-keys',
        { name: 'k', role: 1, tenantId: 'x' },
        ['body', 'body.role'],
      ],
    ] as const)(
      '%s is refused with 400 VALIDATION_FAILED naming each path',
      async (_what, method, url, payload, paths) => {
        const res = await refused({
          method,
          url,
          headers: owner(),
          payload: payload as unknown as Record<string, unknown>,
        });
        const error = expectError(res, 'VALIDATION_FAILED', /^Invalid body: /);
        expect(issuePaths(error)).toEqual([...paths].sort());
      },
    );

    it.each([
      ['/v1/audit-events?limit=abc&result=maybe', 'query', ['query.limit', 'query.result']],
      ['/v1/audit-events?limit=0', 'query', ['query.limit']],
      ['/v1/audit-events?limit=501', 'query', ['query.limit']],
      ['/v1/audit-events?cursor=-1', 'query', ['query.cursor']],
      ['/v1/audit-events?since=yesterday', 'query', ['query.since']],
      ['/v1/api-keys/not-a-uuid', 'params', ['params.id']],
    ] as const)('GET %s is refused with 400 VALIDATION_FAILED', async (url, part, paths) => {
      const res = await refused({ method: 'GET', url, headers: owner() });
      const error = expectError(res, 'VALIDATION_FAILED', new RegExp(`^Invalid ${part}: `));
      expect(issuePaths(error)).toEqual(paths);
    });

    it('a malformed member id is refused before anything is looked up', async () => {
      const res = await refused({
        method: 'PATCH',
        url: '/v1/members/123',
        headers: owner(),
        payload: { role: 'viewer' },
      });
      expect(issuePaths(expectError(res, 'VALIDATION_FAILED', /^Invalid params: /))).toEqual([
        'params.userId',
      ]);
    });

    it('a key expiring in the past is refused with VALIDATION_FAILED', async () => {
      const res = await refused({
        method: 'POST',
        url: '/v1/api-keys',
        headers: owner(),
        payload: { name: 'k', role: 'viewer', expiresAt: '2000-01-01T00:00:00Z' },
      });
      expect(issuePaths(expectError(res, 'VALIDATION_FAILED', 'expiresAt must be in the future'))).toEqual([
        'body.expiresAt',
      ]);
    });

    it('a short sign-up password is refused with its rule in the message', async () => {
      const res = await refused({
        method: 'POST',
        url: '/v1/signup',
        payload: { tenantName: 't', name: 'n', email: 'short@example.test', password: 'short' },
      });
      const error = expectError(
        res,
        'VALIDATION_FAILED',
        'Invalid body: body.password: must be at least 12 characters',
      );
      expect(issuePaths(error)).toEqual(['body.password']);
    });

    it('a name with a NUL character is refused with VALIDATION_FAILED, not a 500', async () => {
      const res = await refused({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: owner(),
        payload: { name: 'nul\u0000name' },
      });
      expect(issuePaths(expectError(res, 'VALIDATION_FAILED', /^Invalid body: /))).toEqual(['body.name']);
    });

    it('an unknown id is 404 NOT_FOUND and changes nothing', async () => {
      const res = await refused({ method: 'DELETE', url: `/v1/api-keys/${randomUUID()}`, headers: owner() });
      expectError(res, 'NOT_FOUND');
    });

    it("another tenant's object is 404 NOT_FOUND, as if it did not exist", async () => {
      expectError(
        await refused({ method: 'GET', url: `/v1/api-keys/${other.keyIds.viewer}`, headers: owner() }),
        'NOT_FOUND',
      );
      expectError(
        await refused({ method: 'DELETE', url: `/v1/api-keys/${other.keyIds.viewer}`, headers: owner() }),
        'NOT_FOUND',
      );
      expectError(
        await refused({ method: 'DELETE', url: `/v1/members/${other.ownerUserId}`, headers: owner() }),
        'NOT_FOUND',
      );
    });
  });

  describe('missing or bad credentials', () => {
    it.each([
      ['no credentials', 'UNAUTHENTICATED', {}, IDENTITY_ERRORS.UNAUTHENTICATED.message],
      [
        'a Basic header',
        'UNAUTHENTICATED',
        { authorization: 'Basic dXNlcjpwYXNz' },
        'Authorization header must be "Bearer <api key>"',
      ],
      [
        'an empty Bearer',
        'UNAUTHENTICATED',
        { authorization: 'Bearer ' },
        'Authorization header must be "Bearer <api key>"',
      ],
      [
        'an empty session cookie',
        'UNAUTHENTICATED',
        { cookie: 'shoal_session=' },
        IDENTITY_ERRORS.UNAUTHENTICATED.message,
      ],
      [
        'an unknown session cookie',
        'SESSION_INVALID',
        { cookie: 'shoal_session=made-up' },
        IDENTITY_ERRORS.SESSION_INVALID.message,
      ],
    ] as const)('%s: 401 %s, and a change is not made', async (_what, code, headers, message) => {
      expectError(await refused({ method: 'GET', url: '/v1/tenant', headers }), code, message);
      expectError(
        await refused({
          method: 'POST',
          url: '/v1/api-keys',
          headers: { ...headers, 'x-csrf-token': 'x' },
          payload: { name: 'k', role: 'owner' },
        }),
        code,
        message,
      );
    });

    it.each([
      ['the last character changed', (key: string) => key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')],
      [
        'a character in the middle changed',
        (key: string) => key.slice(0, 12) + (key[12] === 'x' ? 'y' : 'x') + key.slice(13),
      ],
      ['a truncated key', (key: string) => key.slice(0, -1)],
      ['a key of another vendor', () => 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz'],
      ['a well-formed key with a bad checksum', () => generateApiKey().slice(0, -6) + '000000'],
    ])('a key with %s is refused with 401 API_KEY_MALFORMED', async (_what, mangle) => {
      const key = mangle(tenant.keys.owner);
      expectError(
        await refused({ method: 'GET', url: '/v1/tenant', headers: bearer(key) }),
        'API_KEY_MALFORMED',
      );
      expectError(
        await refused({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: bearer(key),
          payload: { name: 'should not happen' },
        }),
        'API_KEY_MALFORMED',
      );
    });
  });

  describe('content types', () => {
    it.each([
      ['text/plain', JSON.stringify({ name: 'k', role: 'viewer' })],
      ['application/x-www-form-urlencoded', 'name=k&role=viewer'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nk\r\n--x--',
      ],
      ['application/xml', '<key><name>k</name></key>'],
    ])('a body sent as %s is refused with 415 UNSUPPORTED_MEDIA_TYPE', async (contentType, payload) => {
      const res = await refused({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { ...owner(), 'content-type': contentType },
        payload,
      });
      expectError(res, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a public route refuses text/plain too', async () => {
      const payload = JSON.stringify({
        tenantName: 't',
        name: 'n',
        email: 'plain@example.test',
        password: TEST_PASSWORD,
      });
      expectError(
        await refused({
          method: 'POST',
          url: '/v1/signup',
          headers: { 'content-type': 'text/plain' },
          payload,
        }),
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('application/json with a charset is accepted', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { ...owner(), 'content-type': 'application/json; charset=utf-8' },
        payload: JSON.stringify({ name: 'charset', role: 'viewer' }),
      });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/v1/nope', 'No endpoint GET /v1/nope'],
      ['GET', '/v1/nope?tenant_id=x', 'No endpoint GET /v1/nope'],
      ['PUT', '/v1/tenant', 'No endpoint PUT /v1/tenant'],
      ['POST', '/v1/members', 'No endpoint POST /v1/members'],
      ['GET', '/v2/tenant', 'No endpoint GET /v2/tenant'],
    ] as const)('%s %s is 404 ROUTE_NOT_FOUND', async (method, url, message) => {
      expectError(await refused({ method, url, headers: owner() }), 'ROUTE_NOT_FOUND', message);
      expectError(await refused({ method, url }), 'ROUTE_NOT_FOUND', message);
    });
  });

  describe('rate limiting', () => {
    it('the request after SHOAL_RATE_LIMIT_PER_MINUTE is refused with 429 and Retry-After; other keys go on', async () => {
      const limited = appWith({ SHOAL_RATE_LIMIT_PER_MINUTE: '5' });
      for (let i = 0; i < 5; i += 1) {
        expect(
          (await limited.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(tenant.keys.admin) }))
            .statusCode,
        ).toBe(200);
      }
      const res = await refused(
        {
          method: 'POST',
          url: '/v1/api-keys',
          headers: bearer(tenant.keys.admin),
          payload: { name: 'over the limit', role: 'viewer' },
        },
        limited,
      );
      const error = expectError(res, 'RATE_LIMITED');
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(error.details).toEqual({ retryAfterSeconds: retryAfter });

      expect(
        (await limited.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(tenant.keys.viewer) }))
          .statusCode,
      ).toBe(200);
    });

    it('failed credentials count against the client address', async () => {
      const limited = appWith({ SHOAL_RATE_LIMIT_PER_MINUTE: '5' });
      for (let i = 0; i < 5; i += 1) {
        const res = await limited.inject({
          method: 'GET',
          url: '/v1/tenant',
          headers: bearer(generateApiKey()),
        });
        expectError(res, 'API_KEY_INVALID');
      }
      expectError(
        await refused({ method: 'GET', url: '/v1/tenant', headers: bearer(generateApiKey()) }, limited),
        'RATE_LIMITED',
      );
      // A valid key has its own bucket.
      expect(
        (await limited.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(tenant.keys.owner) }))
          .statusCode,
      ).toBe(200);
    });

    it('public routes are limited by client address', async () => {
      const limited = appWith({ SHOAL_RATE_LIMIT_PER_MINUTE: '5' });
      const attempt = () =>
        limited.inject({
          method: 'POST',
          url: '/v1/sessions',
          payload: { email: tenant.ownerEmail, password: 'wrong password!' },
        });
      for (let i = 0; i < 5; i += 1) expectError(await attempt(), 'INVALID_CREDENTIALS');
      const res = await refused(
        {
          method: 'POST',
          url: '/v1/sessions',
          payload: { email: tenant.ownerEmail, password: TEST_PASSWORD },
        },
        limited,
      );
      expectError(res, 'RATE_LIMITED');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    });
  });

  describe('headers', () => {
    it.each([
      ['a success', { method: 'GET', url: '/v1/tenant' }],
      ['an error', { method: 'GET', url: '/v1/nope' }],
      ['a health check', { method: 'GET', url: '/healthz' }],
      ['the OpenAPI document', { method: 'GET', url: '/openapi.json' }],
    ] as const)('%s carries the security headers', async (_what, request) => {
      const res = await app.inject({ ...request, headers: owner() });
      expectEdgeHeaders(res);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });

    it('API responses are not cached', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: owner() });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('a valid X-Request-Id is echoed in the header and in errors', async () => {
      const requestId = 'client-req.42:abc_DEF';
      const ok = await app.inject({
        method: 'GET',
        url: '/v1/tenant',
        headers: { ...owner(), 'x-request-id': requestId },
      });
      expect(ok.headers['x-request-id']).toBe(requestId);
      const bad = await app.inject({
        method: 'GET',
        url: '/v1/nope',
        headers: { 'x-request-id': requestId },
      });
      expect(expectError(bad, 'ROUTE_NOT_FOUND', /No endpoint/).requestId).toBe(requestId);
    });

    it.each([
      ['spaces', 'has spaces'],
      ['too long', 'x'.repeat(129)],
      ['markup', '<script>'],
    ])('an X-Request-Id with %s is replaced by a generated one', async (_what, requestId) => {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/nope',
        headers: { 'x-request-id': requestId },
      });
      const error = expectError(res, 'ROUTE_NOT_FOUND', /No endpoint/);
      expect(error.requestId).toMatch(/^req_[A-Za-z0-9_-]+$/);
    });

    it('every request without an id gets its own', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i += 1)
        ids.add(String((await app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id']));
      expect(ids.size).toBe(5);
    });
  });
});
