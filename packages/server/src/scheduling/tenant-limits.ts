import { appendAuditEvent } from '../audit/index.ts';
import type { Queryable } from '../db/index.ts';
import { assertLimitValues } from './check-limits.ts';
import { SchedulingError } from './errors.ts';
import {
  LIMIT_COLUMNS,
  LIMIT_NAMES,
  LIMIT_SELECT,
  limitsFromRow,
  SHARED_POOL,
  type LimitName,
  type Limits,
} from './limits.ts';
import type { OperatorChange } from './operator-change.ts';
import { diffOf } from './plans.ts';

/** What a tenant may use (`tenant_effective_limits`): its plan with the overrides applied. */
export interface EffectiveLimits extends Limits {
  tenantId: string;
  plan: string;
  pool: string;
}

export type LimitOverrides = Record<LimitName, number | null>;

/** A tenant's plan, its single-limit overrides (null: the plan's) and what results. */
export interface TenantLimits {
  tenantId: string;
  plan: string;
  pool: string;
  overrides: LimitOverrides;
  effective: Limits;
}

/** One override per limit, and the pool; null clears (back to the plan's value, or `shared`). */
export type OverridesPatch = Partial<LimitOverrides> & { pool?: string | null };

/**
 * The tenant's effective limits, read from the view (as the app role RLS shows only the
 * caller's tenant; as the system role any). Throws TENANT_NOT_FOUND.
 */
export async function readEffectiveLimits(q: Queryable, tenantId: string): Promise<EffectiveLimits> {
  const found = await q.query(
    `select tenant_id, plan, pool, ${LIMIT_SELECT} from tenant_effective_limits where tenant_id = $1`,
    [tenantId],
  );
  const row = found.rows[0];
  if (!row) throw new SchedulingError('TENANT_NOT_FOUND');
  return { tenantId, plan: String(row.plan), pool: String(row.pool), ...limitsFromRow(row) };
}

export async function getTenantLimits(q: Queryable, tenantId: string): Promise<TenantLimits> {
  const effective = await readEffectiveLimits(q, tenantId);
  const own = await q.query(`select ${LIMIT_SELECT} from tenant_limits where tenant_id = $1`, [tenantId]);
  const row = own.rows[0];
  const overrides = {} as LimitOverrides;
  for (const name of LIMIT_NAMES) {
    const value = row?.[LIMIT_COLUMNS[name]];
    overrides[name] = value === null || value === undefined ? null : Number(value);
  }
  const { tenantId: _t, plan, pool, ...limits } = effective;
  return { tenantId, plan, pool, overrides, effective: limits };
}

async function lockTenant(sys: Queryable, tenantId: string): Promise<string> {
  const found = await sys.query<{ plan: string }>('select plan from tenants where id = $1 for update', [
    tenantId,
  ]);
  const row = found.rows[0];
  if (!row) throw new SchedulingError('TENANT_NOT_FOUND');
  return row.plan;
}

/** Moves a tenant to another plan (system role), audited in the tenant's chain. */
export async function changeTenantPlan(
  sys: Queryable,
  tenantId: string,
  plan: string,
  change: OperatorChange,
): Promise<TenantLimits> {
  const from = await lockTenant(sys, tenantId);
  const exists = await sys.query('select 1 from plans where name = $1 for key share', [plan]);
  if (exists.rows.length === 0) throw new SchedulingError('PLAN_NOT_FOUND', `No plan named ${plan}`);
  if (from !== plan) {
    await sys.query('update tenants set plan = $2, updated_at = now() where id = $1', [tenantId, plan]);
    await appendAuditEvent(sys, tenantId, {
      actor: change.actor,
      action: 'tenant.plan.change',
      target: { type: 'tenant', id: tenantId },
      requestId: change.requestId,
      ip: change.ip,
      details: { from, to: plan },
    });
  }
  return getTenantLimits(sys, tenantId);
}

/**
 * Sets or clears single-limit overrides and the tenant's pool (system role), audited in the
 * tenant's chain with what changed. A new pool applies to runs started from now on.
 */
export async function updateTenantOverrides(
  sys: Queryable,
  tenantId: string,
  patch: OverridesPatch,
  change: OperatorChange,
): Promise<TenantLimits> {
  assertLimitValues(patch);
  if (patch.pool !== undefined && patch.pool !== null && !/^[a-z][a-z0-9-]{0,39}$/.test(patch.pool))
    throw new SchedulingError('LIMITS_INVALID', 'pool must match ^[a-z][a-z0-9-]{0,39}$', { limit: 'pool' });
  await lockTenant(sys, tenantId);
  const before = await getTenantLimits(sys, tenantId);
  const beforeValues: Record<string, unknown> = { ...before.overrides, pool: before.pool };
  const names = LIMIT_NAMES.filter((n) => patch[n] !== undefined && patch[n] !== before.overrides[n]);
  const pool = patch.pool === undefined ? undefined : (patch.pool ?? SHARED_POOL);
  const poolChanged = pool !== undefined && pool !== before.pool;
  if (names.length === 0 && !poolChanged) return before;
  const columns = [...names.map((n) => LIMIT_COLUMNS[n]), ...(poolChanged ? ['pool'] : [])];
  const values = [...names.map((n) => patch[n] ?? null), ...(poolChanged ? [pool] : [])];
  await sys.query(
    `insert into tenant_limits (tenant_id, ${columns.join(', ')}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
     on conflict (tenant_id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()`,
    [tenantId, ...values],
  );
  const afterValues: Record<string, unknown> = {
    ...beforeValues,
    ...Object.fromEntries(names.map((n) => [n, patch[n] ?? null])),
  };
  if (poolChanged) afterValues.pool = pool;
  const keys = [...names, ...(poolChanged ? ['pool'] : [])];
  await appendAuditEvent(sys, tenantId, {
    actor: change.actor,
    action: 'tenant.limits.update',
    target: { type: 'tenant', id: tenantId },
    requestId: change.requestId,
    ip: change.ip,
    details: { changes: diffOf(keys, beforeValues, afterValues) },
  });
  return getTenantLimits(sys, tenantId);
}
