import type { Queryable } from '../db/index.ts';
import { IdentityError } from './errors.ts';
import type { Principal } from './principal.ts';
import { canGrant, type Role } from './roles.ts';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  [key: string]: unknown;
}

const SELECT_MEMBERS = `select m.user_id, u.email, u.name, m.role, m.created_at
  from memberships m join users u on u.id = m.user_id`;

const toMember = (row: MemberRow): Member => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role,
  joinedAt: row.created_at.toISOString(),
});

export async function listMembers(tx: Queryable): Promise<Member[]> {
  const result = await tx.query<MemberRow>(`${SELECT_MEMBERS} order by m.created_at, m.user_id`);
  return result.rows.map(toMember);
}

async function getMemberForUpdate(tx: Queryable, userId: string): Promise<Member> {
  const result = await tx.query<MemberRow>(`${SELECT_MEMBERS} where m.user_id = $1 for update of m`, [
    userId,
  ]);
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toMember(row);
}

/** Owners are counted under a lock so two concurrent demotions cannot remove the last one. */
async function assertAnotherOwner(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('shoal:owners:' || $1, 0))`, [tenantId]);
  const others = await tx.query<{ n: number }>(
    `select count(*)::int as n from memberships where role = 'owner' and user_id <> $1`,
    [userId],
  );
  if ((others.rows[0]?.n ?? 0) === 0) throw new IdentityError('LAST_OWNER');
}

export async function changeMemberRole(
  tx: Queryable,
  principal: Principal,
  userId: string,
  role: Role,
): Promise<Member> {
  const member = await getMemberForUpdate(tx, userId);
  if (principal.userId === userId) throw new IdentityError('CANNOT_CHANGE_OWN_ROLE');
  if (!canGrant(principal.role, member.role) || !canGrant(principal.role, role)) {
    throw new IdentityError('ROLE_NOT_GRANTABLE');
  }
  if (member.role === 'owner' && role !== 'owner') await assertAnotherOwner(tx, principal.tenantId, userId);
  await tx.query('update memberships set role = $2 where user_id = $1', [userId, role]);
  return { ...member, role };
}

export async function removeMember(tx: Queryable, principal: Principal, userId: string): Promise<Member> {
  const member = await getMemberForUpdate(tx, userId);
  if (principal.userId !== userId && !canGrant(principal.role, member.role)) {
    throw new IdentityError('ROLE_NOT_GRANTABLE');
  }
  if (member.role === 'owner') await assertAnotherOwner(tx, principal.tenantId, userId);
  await tx.query('update sessions set revoked_at = now() where user_id = $1 and revoked_at is null', [
    userId,
  ]);
  await tx.query('delete from memberships where user_id = $1', [userId]);
  return member;
}
