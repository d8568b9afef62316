import { randomUUID } from 'node:crypto';
import { appendAuditEvent, type Actor } from '../audit/index.ts';
import type { Queryable } from '../db/index.ts';
import { actorRef } from './api-keys.ts';
import { IdentityError } from './errors.ts';
import { verifyPassword } from './passwords.ts';
import type { Principal, RequestMeta } from './principal.ts';
import { canGrant, type Role } from './roles.ts';
import { randomToken, sha256Hex } from './tokens.ts';
import { createUser, findUserByEmail } from './users.ts';

export interface Invite {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

interface InviteRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

const COLUMNS = 'id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at';

const toInvite = (row: InviteRow): Invite => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  acceptedAt: row.accepted_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** The invite and its email (to the outbox) are written in one transaction. */
export async function createInvite(
  tx: Queryable,
  tenantId: string,
  input: {
    email: string;
    role: Role;
    ttlHours: number;
    invitedBy: Actor;
    granterRole: Role;
    publicUrl: string;
  },
): Promise<Invite> {
  if (!canGrant(input.granterRole, input.role)) throw new IdentityError('ROLE_NOT_GRANTABLE');
  const token = randomToken();
  const result = await tx.query<InviteRow>(
    `insert into invites (tenant_id, id, email, role, token_hash, invited_by, expires_at)
     values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) returning ${COLUMNS}`,
    [
      tenantId,
      randomUUID(),
      input.email,
      input.role,
      sha256Hex(token),
      actorRef(input.invitedBy),
      input.ttlHours,
    ],
  );
  const row = result.rows[0];
  if (!row) throw new Error('invite insert returned no row');
  const invite = toInvite(row);
  const link = new URL('/invites/accept', input.publicUrl);
  link.hash = `token=${token}`;
  await tx.query(
    'insert into email_outbox (tenant_id, id, to_address, subject, body) values ($1, $2, $3, $4, $5)',
    [
      tenantId,
      randomUUID(),
      input.email,
      'You are invited to a Shoal workspace',
      `You have been invited as ${input.role}. Accept before ${invite.expiresAt}:\n${link.toString()}\n\n` +
        `Or call POST /v1/invites/accept with {"token": "${token}", "password": "..."}.`,
    ],
  );
  return invite;
}

export async function listInvites(tx: Queryable): Promise<Invite[]> {
  const result = await tx.query<InviteRow>(`select ${COLUMNS} from invites order by created_at, id`);
  return result.rows.map(toInvite);
}

/** Revoking needs the same standing as granting: an admin cannot withdraw an owner's invite. */
export async function revokeInvite(tx: Queryable, principal: Principal, id: string): Promise<Invite> {
  const found = await tx.query<{ role: Role }>('select role from invites where id = $1', [id]);
  const role = found.rows[0]?.role;
  if (!role) throw new IdentityError('NOT_FOUND');
  if (!canGrant(principal.role, role)) throw new IdentityError('ROLE_NOT_GRANTABLE');
  const result = await tx.query<InviteRow>(
    `update invites set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toInvite(row);
}

/**
 * System role, one transaction: the invitee (new, or existing and proving their password)
 * becomes a member and the invite is spent. The row lock makes a token usable once.
 */
export async function acceptInvite(
  sys: Queryable,
  input: { token: string; password: string; name?: string | undefined },
  meta: RequestMeta,
): Promise<{ tenantId: string; userId: string; role: Role }> {
  const found = await sys.query<{ tenant_id: string; id: string; email: string; role: Role }>(
    `select tenant_id, id, email, role from invites
      where token_hash = $1 and accepted_at is null and revoked_at is null and expires_at > now()
      for update`,
    [sha256Hex(input.token)],
  );
  const invite = found.rows[0];
  if (!invite) throw new IdentityError('INVITE_INVALID');
  let user = await findUserByEmail(sys, invite.email);
  if (user) {
    if (!(await verifyPassword(input.password, user.passwordHash)))
      throw new IdentityError('INVALID_CREDENTIALS');
  } else {
    user = await createUser(sys, { email: invite.email, name: input.name ?? '', password: input.password });
  }
  const inserted = await sys.query(
    `insert into memberships (tenant_id, user_id, role) values ($1, $2, $3) on conflict do nothing`,
    [invite.tenant_id, user.id, invite.role],
  );
  if (inserted.rowCount === 0) throw new IdentityError('ALREADY_MEMBER');
  await sys.query(
    'update invites set accepted_at = now(), accepted_by = $3 where tenant_id = $1 and id = $2',
    [invite.tenant_id, invite.id, user.id],
  );
  await appendAuditEvent(sys, invite.tenant_id, {
    actor: { type: 'user', id: user.id },
    action: 'invite.accept',
    target: { type: 'invite', id: invite.id },
    requestId: meta.requestId,
    ip: meta.ip,
    details: { role: invite.role },
  });
  return { tenantId: invite.tenant_id, userId: user.id, role: invite.role };
}
