import { z } from 'zod';
import { createSession, IdentityError, revokeSession } from '../../identity/index.ts';
import { clearedSessionCookies, sessionCookies } from '../cookies.ts';
import { publicRoute, tenantRoute } from '../route.ts';
import { Email, RoleSchema } from '../schemas.ts';

const SessionSchema = z.object({
  tenantId: z.uuid(),
  userId: z.uuid(),
  role: RoleSchema,
  expiresAt: z.iso.datetime(),
  csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on state-changing cookie requests' }),
});

const MeSchema = z.object({
  tenantId: z.uuid(),
  role: RoleSchema,
  via: z.enum(['api_key', 'session']),
  userId: z.uuid().nullable(),
  apiKeyId: z.uuid().nullable(),
  sessionId: z.uuid().nullable(),
});

export const sessionRoutes = [
  publicRoute({
    method: 'POST',
    url: '/v1/sessions',
    operationId: 'login',
    tag: 'sessions',
    summary: 'Log in to the dashboard (sets an HttpOnly session cookie)',
    body: z.strictObject({
      email: Email,
      password: z.string().min(1).max(200),
      tenantId: z.uuid().optional(),
    }),
    success: { status: 201, schema: SessionSchema, description: 'Logged in' },
    handler: async ({ deps, meta, userAgent }, { body }) => {
      const session = await createSession(
        deps.db,
        { ...body, ttlHours: deps.config.SHOAL_SESSION_TTL_HOURS, userAgent },
        meta,
      );
      const maxAge = deps.config.SHOAL_SESSION_TTL_HOURS * 3600;
      return {
        headers: {
          'set-cookie': sessionCookies(
            session.token,
            session.csrfToken,
            maxAge,
            deps.config.SHOAL_COOKIE_SECURE,
          ),
        },
        body: {
          tenantId: session.tenantId,
          userId: session.userId,
          role: session.role,
          expiresAt: session.expiresAt.toISOString(),
          csrfToken: session.csrfToken,
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/me',
    operationId: 'getMe',
    auth: 'session.read',
    tag: 'sessions',
    summary: 'Who is calling: tenant, role and credential',
    success: { status: 200, schema: MeSchema, description: 'The caller' },
    handler: async ({ principal }) => ({
      body: {
        tenantId: principal.tenantId,
        role: principal.role,
        via: principal.via,
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
        sessionId: principal.sessionId,
      },
    }),
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/sessions/current',
    operationId: 'logout',
    auth: 'session.delete',
    tag: 'sessions',
    summary: 'Log out (revokes the session of the cookie)',
    success: { status: 204, schema: null, description: 'Logged out' },
    handler: async ({ tx, principal, deps }) => {
      if (!principal.sessionId)
        throw new IdentityError('NOT_FOUND', 'This request was not made with a session');
      await revokeSession(tx, principal.sessionId);
      return {
        headers: { 'set-cookie': clearedSessionCookies(deps.config.SHOAL_COOKIE_SECURE) },
        audit: { target: { type: 'session', id: principal.sessionId } },
      };
    },
  }),
];
