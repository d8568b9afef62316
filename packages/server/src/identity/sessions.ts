import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/index.ts';
import { appendAuditEvent } from '../audit/index.ts';
import { IdentityError } from './errors.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.ts';
import type { Principal, RequestMeta } from './principal.ts';
import type { Role } from './roles.ts';
import { randomToken, sha256Hex } from './tokens.ts';
import { findUserByEmail } from './users.ts';

export interface CreatedSession {
  sessionId: string;
  tenantId: string;
  userId: string;
  role: Role;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Logs in: checks the password (timing-equal for unknown emails), picks the tenant, and
 * writes the session with its audit event in the tenant's transaction.
 */
export async function createSession(
  db: Database,
  input: {
    email: string;
    password: string;
    tenantId?: string | undefined;
    ttlHours: number;
    userAgent: string | null;
  },
  meta: RequestMeta,
): Promise<CreatedSession> {
  const found = await db.systemTx(async (sys) => {
    const user = await findUserByEmail(sys, input.email);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) throw new IdentityError('INVALID_CREDENTIALS');
    const memberships = await sys.query<{ tenant_id: string; role: Role }>(
      'select tenant_id, role from memberships where user_id = $1 order by created_at, tenant_id',
      [user.id],
    );
    return { user, memberships: memberships.rows };
  });
  const membership = input.tenantId
    ? found.memberships.find((m) => m.tenant_id === input.tenantId)
    : found.memberships.length === 1
      ? found.memberships[0]
      : undefined;
  if (!membership) {
    if (input.tenantId || found.memberships.length === 0) throw new IdentityError('INVALID_CREDENTIALS');
    throw new IdentityError('TENANT_REQUIRED', undefined, {
      tenantIds: found.memberships.map((m) => m.tenant_id),
    });
  }
  const session: CreatedSession = {
    sessionId: randomUUID(),
    tenantId: membership.tenant_id,
    userId: found.user.id,
    role: membership.role,
    token: randomToken(),
    csrfToken: randomToken(),
    expiresAt: new Date(Date.now() + input.ttlHours * 3_600_000),
  };
  await db.tenantTx(session.tenantId, async (tx) => {
    await tx.query(
      `insert into sessions (tenant_id, id, user_id, token_hash, csrf_hash, ip, user_agent, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        session.tenantId,
        session.sessionId,
        session.userId,
        sha256Hex(session.token),
        sha256Hex(session.csrfToken),
        meta.ip,
        input.userAgent?.slice(0, 500) ?? null,
        session.expiresAt,
      ],
    );
    await appendAuditEvent(tx, session.tenantId, {
      actor: { type: 'user', id: session.userId },
      action: 'session.create',
      target: { type: 'session', id: session.sessionId },
      requestId: meta.requestId,
      ip: meta.ip,
    });
  });
  return session;
}

export interface ResolvedSession extends Principal {
  csrfHash: string;
}

/** System role: the session's tenant and the member's current role (a removed member is out). */
export async function resolveSession(
  sys: Queryable,
  token: string,
  now: Date = new Date(),
): Promise<ResolvedSession> {
  const result = await sys.query<{
    tenant_id: string;
    id: string;
    user_id: string;
    csrf_hash: string;
    expires_at: Date;
    revoked_at: Date | null;
    role: Role | null;
  }>(
    `select s.tenant_id, s.id, s.user_id, s.csrf_hash, s.expires_at, s.revoked_at, m.role
       from sessions s left join memberships m on m.tenant_id = s.tenant_id and m.user_id = s.user_id
      where s.token_hash = $1`,
    [sha256Hex(token)],
  );
  const row = result.rows[0];
  if (!row || row.revoked_at || !row.role || row.expires_at.getTime() <= now.getTime()) {
    throw new IdentityError('SESSION_INVALID');
  }
  return {
    tenantId: row.tenant_id,
    role: row.role,
    actor: { type: 'user', id: row.user_id },
    via: 'session',
    userId: row.user_id,
    apiKeyId: null,
    sessionId: row.id,
    csrfHash: row.csrf_hash,
  };
}

export async function revokeSession(tx: Queryable, sessionId: string): Promise<void> {
  await tx.query('update sessions set revoked_at = coalesce(revoked_at, now()) where id = $1', [sessionId]);
}

/** System role, from the worker's maintenance loop. */
export async function purgeExpiredSessions(sys: Queryable, now: Date = new Date()): Promise<number> {
  const result = await sys.query('delete from sessions where expires_at < $1', [now]);
  return result.rowCount;
}
