import { randomUUID } from 'node:crypto';
import { appendAuditEvent } from '../audit/index.ts';
import type { Queryable } from '../db/index.ts';
import { IdentityError } from './errors.ts';
import type { RequestMeta } from './principal.ts';
import { createUser } from './users.ts';

export interface Tenant {
  id: string;
  name: string;
  plan: string;
  /** The IANA zone daily and monthly budgets, usage days and statements are cut in. */
  timeZone: string;
  createdAt: string;
}

interface TenantRow {
  id: string;
  name: string;
  plan: string;
  time_zone: string;
  created_at: Date;
  [key: string]: unknown;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  name: row.name,
  plan: row.plan,
  timeZone: row.time_zone,
  createdAt: row.created_at.toISOString(),
});

/**
 * Sign-up and `shoal tenant create`: tenant, owner user and membership in one system
 * transaction with the audit event, so a failure leaves nothing behind.
 */
export async function createTenantWithOwner(
  sys: Queryable,
  input: { tenantName: string; plan?: string; email: string; name: string; password: string },
  meta: RequestMeta,
): Promise<{ tenant: Tenant; userId: string }> {
  const tenantId = randomUUID();
  const created = await sys.query<TenantRow>(
    'insert into tenants (id, name, plan) values ($1, $2, $3) returning id, name, plan, created_at',
    [tenantId, input.tenantName, input.plan ?? 'free'],
  );
  const user = await createUser(sys, input);
  await sys.query(`insert into memberships (tenant_id, user_id, role) values ($1, $2, 'owner')`, [
    tenantId,
    user.id,
  ]);
  await appendAuditEvent(sys, tenantId, {
    actor: { type: 'user', id: user.id },
    action: 'tenant.create',
    target: { type: 'tenant', id: tenantId },
    requestId: meta.requestId,
    ip: meta.ip,
    details: { plan: input.plan ?? 'free' },
  });
  const row = created.rows[0];
  if (!row) throw new Error('tenant insert returned no row');
  return { tenant: toTenant(row), userId: user.id };
}

export async function getTenant(tx: Queryable, tenantId: string): Promise<Tenant> {
  const result = await tx.query<TenantRow>(
    'select id, name, plan, time_zone, created_at from tenants where id = $1',
    [tenantId],
  );
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toTenant(row);
}

/** Renames the tenant and/or moves it to another time zone (an IANA name PostgreSQL knows). */
export async function updateTenant(
  tx: Queryable,
  tenantId: string,
  change: { name?: string | undefined; timeZone?: string | undefined },
): Promise<Tenant> {
  if (change.timeZone !== undefined) {
    const known = await tx.query<{ ok: boolean }>('select shoal_is_time_zone($1) as ok', [change.timeZone]);
    if (!known.rows[0]?.ok)
      throw new IdentityError('TIME_ZONE_INVALID', `"${change.timeZone}" is not an IANA time zone name`, {
        timeZone: change.timeZone,
      });
  }
  const result = await tx.query<TenantRow>(
    `update tenants set name = coalesce($2, name), time_zone = coalesce($3, time_zone), updated_at = now()
      where id = $1 returning id, name, plan, time_zone, created_at`,
    [tenantId, change.name ?? null, change.timeZone ?? null],
  );
  const row = result.rows[0];
  if (!row) throw new IdentityError('NOT_FOUND');
  return toTenant(row);
}

/** System role, for operators' CLI commands. */
export async function listTenantIds(sys: Queryable): Promise<string[]> {
  const result = await sys.query<{ id: string }>('select id from tenants order by created_at, id');
  return result.rows.map((r) => r.id);
}
