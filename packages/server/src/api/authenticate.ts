import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/index.ts';
import {
  IdentityError,
  resolveApiKeyEntry,
  resolveSession,
  sha256Hex,
  type Principal,
} from '../identity/index.ts';
import type { ApiKeyCache } from './api-key-cache.ts';
import { CSRF_HEADER, parseCookies, SESSION_COOKIE } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Authorization: Bearer shoal_…` or the session cookie. A cookie-authenticated request that
 * changes state must echo the CSRF token; bearer requests cannot be forged by a browser.
 */
export async function authenticate(
  db: Database,
  request: FastifyRequest,
  keys: ApiKeyCache,
  now: () => number = Date.now,
): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1])
      throw new IdentityError('UNAUTHENTICATED', 'Authorization header must be "Bearer <api key>"');
    const key = match[1];
    // Single statements as the system role: a lookup needs no transaction of its own.
    const lookUp = () => resolveApiKeyEntry({ query: db.systemQuery.bind(db) }, key);
    const cached = keys.get(key, now(), lookUp);
    if (cached) return cached;
    const { principal, expiresAt } = await lookUp();
    keys.put(key, principal, expiresAt, now());
    return principal;
  }
  const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  if (!token) throw new IdentityError('UNAUTHENTICATED');
  const session = await db.systemTx((sys) => resolveSession(sys, token));
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || sha256Hex(presented) !== session.csrfHash) {
      throw new IdentityError('CSRF_FAILED');
    }
  }
  const { csrfHash: _csrf, ...principal } = session;
  return principal;
}
