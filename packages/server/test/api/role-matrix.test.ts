import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type AnyRoute, type ApiServer } from '../../src/api/index.ts';
import {
  generateApiKey,
  IDENTITY_ERRORS,
  isAllowed,
  ROLES,
  type Action,
  type IdentityErrorCode,
  type Role,
} from '../../src/identity/index.ts';
import {
  addMember,
  createInviteWithToken,
  fixtureFor,
  fixturesWithoutRoute,
  inviteTokenFromOutbox,
  login,
  memberSession,
  routesWithoutFixture,
  sessionCaller,
  uniqueEmail,
  type Caller,
  type FixtureContext,
} from '../support/route-fixtures.ts';
import { bearer, createTestApp, seedTenant, TEST_PASSWORD, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

type TenantRoute = AnyRoute & { auth: Action };
// Operator routes have no role: test/api/operator.test.ts covers their token.
const TENANT_ROUTES = ROUTES.filter(
  (route): route is TenantRoute => route.auth !== 'public' && route.auth !== 'operator',
);

interface ErrorJson {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

function expectIdentityError(res: LightMyRequestResponse, code: IdentityErrorCode, message?: string): void {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error?.code }).toEqual({
    status: IDENTITY_ERRORS[code].status,
    code,
  });
  expect(body.error.message).toBe(message ?? IDENTITY_ERRORS[code].message);
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
}

/** "allowed 201", "denied" (403 FORBIDDEN), or the status and code of any other answer. */
function outcome(res: LightMyRequestResponse): string {
  if (res.statusCode >= 200 && res.statusCode < 300) return `allowed ${res.statusCode}`;
  const code = res.json<Partial<ErrorJson>>().error?.code;
  return res.statusCode === 403 && code === 'FORBIDDEN' ? 'denied' : `${res.statusCode} ${code}`;
}

describe('role matrix', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let ctx: FixtureContext;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'matrix');
    // The matrix starts far more runs a minute than the free plan admits (RUN_RATE_LIMITED).
    await t.db.ownerTx((tx) =>
      tx.query('insert into tenant_limits (tenant_id, run_starts_per_minute) values ($1, 1000000)', [
        tenant.tenantId,
      ]),
    );
    ctx = { app, db: t.db, tenant };
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const call = (route: AnyRoute, url: string, caller: Caller | null, payload?: Record<string, unknown>) =>
    app.inject({
      method: route.method,
      url,
      headers: caller?.headers ?? {},
      ...(payload ? { payload } : {}),
    });

  it('every route in ROUTES has a request fixture, and every fixture a route', () => {
    expect(routesWithoutFixture(ROUTES)).toEqual([]);
    expect(fixturesWithoutRoute(ROUTES)).toEqual([]);
  });

  it.each(TENANT_ROUTES.map((route) => [`${route.method} ${route.url}`, route] as const))(
    '%s allows and refuses API keys of each role as PERMISSIONS says',
    async (_name, route) => {
      const fixture = fixtureFor(route);
      const actual: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of ROLES) {
        const prepared = await fixture(ctx, role);
        const res = await call(route, prepared.url, prepared.caller, prepared.payload);
        actual[role] = outcome(res);
        expected[role] = isAllowed(role, route.auth) ? `allowed ${route.success.status}` : 'denied';
        if (actual[role] === 'denied') {
          expect(res.json<ErrorJson>().error.message).toBe(`Role ${role} may not perform ${route.auth}`);
        }
      }
      expect(actual).toEqual(expected);
    },
  );

  it('a member session carries the same permissions as an API key of the member role', async () => {
    const sessions = {} as Record<Role, Caller>;
    for (const role of ROLES) sessions[role] = sessionCaller(await memberSession(ctx, role));
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const route of TENANT_ROUTES) {
      for (const role of ROLES) {
        const prepared = await fixtureFor(route)(ctx, role);
        // Logging out would end the session the rest of this test uses; the fixture brings its own.
        const caller = route.operationId === 'logout' ? prepared.caller : sessions[role];
        const res = await call(route, prepared.url, caller, prepared.payload);
        actual[`${route.operationId} as ${role}`] = outcome(res);
        expected[`${route.operationId} as ${role}`] = isAllowed(role, route.auth)
          ? `allowed ${route.success.status}`
          : 'denied';
      }
    }
    expect(actual).toEqual(expected);
  });

  describe('API keys', () => {
    it('a revoked key is refused with API_KEY_REVOKED', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: bearer(tenant.keys.owner),
        payload: { name: 'soon revoked', role: 'developer' },
      });
      expect(created.statusCode).toBe(201);
      const { apiKey, secret } = created.json<{ apiKey: { id: string }; secret: string }>();
      expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).statusCode).toBe(
        200,
      );

      const revoked = await app.inject({
        method: 'DELETE',
        url: `/v1/api-keys/${apiKey.id}`,
        headers: bearer(tenant.keys.owner),
      });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();

      expectIdentityError(
        await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) }),
        'API_KEY_REVOKED',
      );
      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: bearer(secret),
          payload: { name: 'x' },
        }),
        'API_KEY_REVOKED',
      );
    });

    it('an expired key is refused with API_KEY_EXPIRED', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: bearer(tenant.keys.owner),
        payload: {
          name: 'short lived',
          role: 'viewer',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      expect(created.statusCode).toBe(201);
      const { apiKey, secret } = created.json<{ apiKey: { id: string }; secret: string }>();
      expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) })).statusCode).toBe(
        200,
      );

      await t.db.ownerTx((tx) =>
        tx.query(
          `update api_keys set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2`,
          [tenant.tenantId, apiKey.id],
        ),
      );
      expectIdentityError(
        await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(secret) }),
        'API_KEY_EXPIRED',
      );
    });

    it('an unknown but well-formed key is refused with API_KEY_INVALID', async () => {
      expectIdentityError(
        await app.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(generateApiKey()) }),
        'API_KEY_INVALID',
      );
    });

    it('logging out with an API key is refused: there is no session to end', async () => {
      expectIdentityError(
        await app.inject({
          method: 'DELETE',
          url: '/v1/sessions/current',
          headers: bearer(tenant.keys.viewer),
        }),
        'NOT_FOUND',
        'This request was not made with a session',
      );
    });
  });

  describe('sessions', () => {
    it('login sets an HttpOnly session cookie and a script-readable CSRF cookie', async () => {
      const member = await addMember(t.db, tenant.tenantId, 'developer');
      const session = await login(app, member.email);
      const sessionCookie = session.setCookie.find((c) => c.startsWith('shoal_session='));
      const csrfCookie = session.setCookie.find((c) => c.startsWith('shoal_csrf='));
      expect(sessionCookie).toMatch(/; HttpOnly/);
      expect(sessionCookie).toMatch(/; SameSite=(Lax|Strict)/);
      expect(csrfCookie).toBeDefined();
      expect(csrfCookie).not.toMatch(/HttpOnly/);
    });

    it('a session cookie authenticates reads without a CSRF token', async () => {
      const session = await memberSession(ctx, 'developer');
      const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        tenantId: tenant.tenantId,
        role: 'developer',
        via: 'session',
        userId: session.userId,
        apiKeyId: null,
        sessionId: session.sessionId,
      });
    });

    it('a cookie-authenticated change needs the right X-CSRF-Token, and changes nothing without it', async () => {
      const session = await memberSession(ctx, 'admin');
      const tenantName = async () =>
        (await app.inject({ method: 'GET', url: '/v1/tenant', headers: { cookie: session.cookie } })).json<{
          name: string;
        }>().name;
      const before = await tenantName();

      const patch = (headers: Record<string, string>) =>
        app.inject({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: { cookie: session.cookie, ...headers },
          payload: { name: 'csrf target' },
        });

      expectIdentityError(await patch({}), 'CSRF_FAILED');
      expectIdentityError(await patch({ 'x-csrf-token': 'not-the-token' }), 'CSRF_FAILED');
      expectIdentityError(await patch({ 'x-csrf-token': session.sessionToken }), 'CSRF_FAILED');
      expect(await tenantName()).toBe(before);

      const ok = await patch({ 'x-csrf-token': session.csrfToken });
      expect(ok.statusCode).toBe(200);
      expect(await tenantName()).toBe('csrf target');
    });

    it("one session's CSRF token does not unlock another session", async () => {
      const mine = await memberSession(ctx, 'admin');
      const theirs = await memberSession(ctx, 'admin');
      const res = await app.inject({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: { cookie: mine.cookie, 'x-csrf-token': theirs.csrfToken },
        payload: { name: 'cross-session' },
      });
      expectIdentityError(res, 'CSRF_FAILED');
    });

    it('logout revokes the session and clears its cookies', async () => {
      const session = await memberSession(ctx, 'viewer');
      const out = await app.inject({
        method: 'DELETE',
        url: '/v1/sessions/current',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      });
      expect(out.statusCode).toBe(204);
      const cleared = [out.headers['set-cookie']].flat().map(String);
      expect(cleared.find((c) => c.startsWith('shoal_session=;'))).toMatch(/Max-Age=0/);

      expectIdentityError(
        await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } }),
        'SESSION_INVALID',
      );
    });

    it("a removed member's session stops working", async () => {
      const session = await memberSession(ctx, 'developer');
      expect(
        (await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })).statusCode,
      ).toBe(200);

      const removed = await app.inject({
        method: 'DELETE',
        url: `/v1/members/${session.userId}`,
        headers: bearer(tenant.keys.admin),
      });
      expect(removed.statusCode).toBe(204);

      expectIdentityError(
        await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } }),
        'SESSION_INVALID',
      );
      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
          payload: { name: 'from a removed member' },
        }),
        'SESSION_INVALID',
      );
    });

    it("a role change applies to the member's live session at once", async () => {
      const session = await memberSession(ctx, 'viewer');
      const changed = await app.inject({
        method: 'PATCH',
        url: `/v1/members/${session.userId}`,
        headers: bearer(tenant.keys.owner),
        payload: { role: 'operator' },
      });
      expect(changed.statusCode).toBe(200);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } });
      expect(me.json()).toMatchObject({ role: 'operator' });
      const audit = await app.inject({
        method: 'GET',
        url: '/v1/audit-events?limit=1',
        headers: { cookie: session.cookie },
      });
      expect(audit.statusCode).toBe(200);
    });
  });

  describe('granting roles', () => {
    it('an admin cannot grant owner: not to an API key, an invite or a member', async () => {
      const member = await addMember(t.db, tenant.tenantId, 'viewer');
      const admin = bearer(tenant.keys.admin);
      const counts = () =>
        t.db.ownerTx(async (tx) => {
          const q = async (sql: string) => (await tx.query<{ n: number }>(sql, [tenant.tenantId])).rows[0]?.n;
          return {
            ownerKeys: await q(
              `select count(*)::int as n from api_keys where tenant_id = $1 and role = 'owner'`,
            ),
            ownerInvites: await q(
              `select count(*)::int as n from invites where tenant_id = $1 and role = 'owner'`,
            ),
            owners: await q(
              `select count(*)::int as n from memberships where tenant_id = $1 and role = 'owner'`,
            ),
          };
        });
      const before = await counts();

      expectIdentityError(
        await app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: admin,
          payload: { name: 'escalate', role: 'owner' },
        }),
        'ROLE_NOT_GRANTABLE',
      );
      expectIdentityError(
        await app.inject({
          method: 'POST',
          url: '/v1/invites',
          headers: admin,
          payload: { email: uniqueEmail(), role: 'owner' },
        }),
        'ROLE_NOT_GRANTABLE',
      );
      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: `/v1/members/${member.userId}`,
          headers: admin,
          payload: { role: 'owner' },
        }),
        'ROLE_NOT_GRANTABLE',
      );
      // Nor demote an owner, which would be acting on a role above their own.
      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: `/v1/members/${tenant.ownerUserId}`,
          headers: admin,
          payload: { role: 'viewer' },
        }),
        'ROLE_NOT_GRANTABLE',
      );
      expect(await counts()).toEqual(before);
    });

    it("an admin cannot revoke an owner's invite, which an owner can", async () => {
      const invite = await createInviteWithToken(t.db, tenant, 'owner');
      const url = `/v1/invites/${invite.inviteId}`;
      expectIdentityError(
        await app.inject({ method: 'DELETE', url, headers: bearer(tenant.keys.admin) }),
        'ROLE_NOT_GRANTABLE',
      );
      const revoked = await app.inject({ method: 'DELETE', url, headers: bearer(tenant.keys.owner) });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    });

    it('a developer can grant only developer or viewer keys', async () => {
      const developer = bearer(tenant.keys.developer);
      for (const role of ['owner', 'admin', 'operator', 'billing'] as const) {
        expectIdentityError(
          await app.inject({
            method: 'POST',
            url: '/v1/api-keys',
            headers: developer,
            payload: { name: `dev ${role}`, role },
          }),
          'ROLE_NOT_GRANTABLE',
        );
      }
      for (const role of ['developer', 'viewer'] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: developer,
          payload: { name: `dev ${role}`, role },
        });
        expect(res.statusCode).toBe(201);
      }
      // Nor revoke a key above their own role.
      expectIdentityError(
        await app.inject({
          method: 'DELETE',
          url: `/v1/api-keys/${tenant.keyIds.admin}`,
          headers: developer,
        }),
        'ROLE_NOT_GRANTABLE',
      );
    });

    it('nobody can change their own role, not even an owner', async () => {
      const owner = await login(app, tenant.ownerEmail);
      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: `/v1/members/${tenant.ownerUserId}`,
          headers: sessionCaller(owner).headers,
          payload: { role: 'admin' },
        }),
        'CANNOT_CHANGE_OWN_ROLE',
      );
      const admin = await memberSession(ctx, 'admin');
      for (const role of ['viewer', 'admin'] as const) {
        expectIdentityError(
          await app.inject({
            method: 'PATCH',
            url: `/v1/members/${admin.userId}`,
            headers: sessionCaller(admin).headers,
            payload: { role },
          }),
          'CANNOT_CHANGE_OWN_ROLE',
        );
      }
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: admin.cookie } });
      expect(me.json()).toMatchObject({ role: 'admin' });
    });

    it('the last owner can be neither demoted nor removed, until there is another owner', async () => {
      const own = await seedTenant(t.db, 'last-owner');
      const ownerKey = bearer(own.keys.owner);
      const ownerSession = await login(app, own.ownerEmail);

      expectIdentityError(
        await app.inject({
          method: 'PATCH',
          url: `/v1/members/${own.ownerUserId}`,
          headers: ownerKey,
          payload: { role: 'admin' },
        }),
        'LAST_OWNER',
      );
      expectIdentityError(
        await app.inject({ method: 'DELETE', url: `/v1/members/${own.ownerUserId}`, headers: ownerKey }),
        'LAST_OWNER',
      );
      // Leaving the tenant yourself is removal too.
      expectIdentityError(
        await app.inject({
          method: 'DELETE',
          url: `/v1/members/${own.ownerUserId}`,
          headers: sessionCaller(ownerSession).headers,
        }),
        'LAST_OWNER',
      );
      const members = await app.inject({ method: 'GET', url: '/v1/members', headers: ownerKey });
      expect(members.json<{ data: { userId: string; role: string }[] }>().data).toEqual([
        expect.objectContaining({ userId: own.ownerUserId, role: 'owner' }),
      ]);

      const second = await addMember(t.db, own.tenantId, 'viewer');
      const promoted = await app.inject({
        method: 'PATCH',
        url: `/v1/members/${second.userId}`,
        headers: ownerKey,
        payload: { role: 'owner' },
      });
      expect(promoted.statusCode).toBe(200);
      const demoted = await app.inject({
        method: 'PATCH',
        url: `/v1/members/${own.ownerUserId}`,
        headers: ownerKey,
        payload: { role: 'admin' },
      });
      expect(demoted.statusCode).toBe(200);
      expect(demoted.json()).toMatchObject({ userId: own.ownerUserId, role: 'admin' });
      expectIdentityError(
        await app.inject({ method: 'DELETE', url: `/v1/members/${second.userId}`, headers: ownerKey }),
        'LAST_OWNER',
      );
    });
  });

  describe('invites', () => {
    it('an invite is accepted once, and the new member can then log in with its role', async () => {
      const email = uniqueEmail('invited');
      const created = await app.inject({
        method: 'POST',
        url: '/v1/invites',
        headers: bearer(tenant.keys.admin),
        payload: { email, role: 'operator' },
      });
      expect(created.statusCode).toBe(201);
      const token = await inviteTokenFromOutbox(t.db, tenant.tenantId, email);

      const accept = () =>
        app.inject({
          method: 'POST',
          url: '/v1/invites/accept',
          payload: { token, password: TEST_PASSWORD, name: 'Invited Person' },
        });
      const accepted = await accept();
      expect(accepted.statusCode).toBe(200);
      const joined = accepted.json<{ tenantId: string; userId: string; role: string }>();
      expect(joined).toMatchObject({ tenantId: tenant.tenantId, role: 'operator' });

      expectIdentityError(await accept(), 'INVITE_INVALID');

      const session = await login(app, email);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } });
      expect(me.json()).toMatchObject({
        tenantId: tenant.tenantId,
        userId: joined.userId,
        role: 'operator',
        via: 'session',
      });

      const invites = await app.inject({
        method: 'GET',
        url: '/v1/invites',
        headers: bearer(tenant.keys.owner),
      });
      const invite = invites
        .json<{ data: { id: string; acceptedAt: string | null }[] }>()
        .data.find((i) => i.id === created.json<{ id: string }>().id);
      expect(invite?.acceptedAt).not.toBeNull();
    });

    it('a revoked invite cannot be accepted', async () => {
      const { inviteId, token } = await createInviteWithToken(t.db, tenant);
      const revoked = await app.inject({
        method: 'DELETE',
        url: `/v1/invites/${inviteId}`,
        headers: bearer(tenant.keys.owner),
      });
      expect(revoked.statusCode).toBe(200);
      expectIdentityError(
        await app.inject({
          method: 'POST',
          url: '/v1/invites/accept',
          payload: { token, password: TEST_PASSWORD },
        }),
        'INVITE_INVALID',
      );
    });

    it('an existing user accepting an invite must prove their password', async () => {
      const other = await seedTenant(t.db, 'existing-user');
      const { token } = await createInviteWithToken(t.db, tenant, 'viewer', other.ownerEmail);
      expectIdentityError(
        await app.inject({
          method: 'POST',
          url: '/v1/invites/accept',
          payload: { token, password: 'not the right password' },
        }),
        'INVALID_CREDENTIALS',
      );
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/invites/accept',
        payload: { token, password: TEST_PASSWORD },
      });
      expect(ok.json()).toMatchObject({
        tenantId: tenant.tenantId,
        userId: other.ownerUserId,
        role: 'viewer',
      });
      // Now in two tenants, login must say which.
      expectIdentityError(
        await app.inject({
          method: 'POST',
          url: '/v1/sessions',
          payload: { email: other.ownerEmail, password: TEST_PASSWORD },
        }),
        'TENANT_REQUIRED',
      );
      const session = await login(app, other.ownerEmail, TEST_PASSWORD, tenant.tenantId);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } });
      expect(me.json()).toMatchObject({ tenantId: tenant.tenantId, role: 'viewer' });
    });
  });
});
