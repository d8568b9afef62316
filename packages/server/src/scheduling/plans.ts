import { appendAuditEvent } from '../audit/index.ts';
import { sqlState, SQLSTATE, type Queryable } from '../db/index.ts';
import { assertBurstCoversGuarantee, assertLimitValues } from './check-limits.ts';
import { SchedulingError } from './errors.ts';
import { LIMIT_COLUMNS, LIMIT_NAMES, LIMIT_SELECT, limitsFromRow, type Limits } from './limits.ts';
import type { OperatorChange } from './operator-change.ts';

export interface Plan extends Limits {
  name: string;
  /** free, team and enterprise: editable, never deleted. */
  builtin: boolean;
  /** Tenants on this plan now. */
  tenants: number;
  createdAt: string;
  updatedAt: string;
}

type PlanRow = Record<string, unknown> & {
  name: string;
  builtin: boolean;
  tenants: number | string;
  created_at: Date;
  updated_at: Date;
};

const PLAN_SELECT = `select p.name, ${LIMIT_NAMES.map((n) => `p.${LIMIT_COLUMNS[n]}`).join(', ')}, p.builtin,
       p.created_at, p.updated_at, (select count(*) from tenants t where t.plan = p.name) as tenants
  from plans p`;

const toPlan = (row: PlanRow): Plan => ({
  name: row.name,
  ...limitsFromRow(row),
  builtin: row.builtin,
  tenants: Number(row.tenants),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The catalogue, built-in plans first. Any role may read it (system role for the counts). */
export async function listPlans(sys: Queryable): Promise<Plan[]> {
  const found = await sys.query<PlanRow>(`${PLAN_SELECT} order by not p.builtin, p.weight, p.name`);
  return found.rows.map(toPlan);
}

export async function getPlan(sys: Queryable, name: string): Promise<Plan> {
  const found = await sys.query<PlanRow>(`${PLAN_SELECT} where p.name = $1`, [name]);
  const row = found.rows[0];
  if (!row) throw new SchedulingError('PLAN_NOT_FOUND', `No plan named ${name}`);
  return toPlan(row);
}

/** Adds a custom plan. No tenant is on it yet, so no tenant's audit chain records it. */
export async function createPlan(sys: Queryable, name: string, limits: Limits): Promise<Plan> {
  assertLimitValues(limits);
  assertBurstCoversGuarantee(limits);
  const columns = LIMIT_NAMES.map((n) => LIMIT_COLUMNS[n]);
  try {
    await sys.query(
      `insert into plans (name, ${columns.join(', ')}) values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`,
      [name, ...LIMIT_NAMES.map((n) => limits[n])],
    );
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation)
      throw new SchedulingError('PLAN_EXISTS', `A plan named ${name} already exists`);
    throw error;
  }
  return getPlan(sys, name);
}

/**
 * Changes some limits of a plan (built-in ones too). Every tenant on the plan gets a
 * `plan.update` event in its audit chain with what changed, in this transaction.
 */
export async function updatePlan(
  sys: Queryable,
  name: string,
  patch: Partial<Limits>,
  change: OperatorChange,
): Promise<Plan> {
  assertLimitValues(patch);
  const locked = await sys.query(`select ${LIMIT_SELECT} from plans where name = $1 for update`, [name]);
  const row = locked.rows[0];
  if (!row) throw new SchedulingError('PLAN_NOT_FOUND', `No plan named ${name}`);
  const before = limitsFromRow(row);
  const after = { ...before, ...patch };
  assertBurstCoversGuarantee(after);
  const changed = LIMIT_NAMES.filter((n) => patch[n] !== undefined && patch[n] !== before[n]);
  if (changed.length === 0) return getPlan(sys, name);
  await sys.query(
    `update plans set ${changed.map((n, i) => `${LIMIT_COLUMNS[n]} = $${i + 2}`).join(', ')}, updated_at = now()
      where name = $1`,
    [name, ...changed.map((n) => after[n])],
  );
  const changes = diffOf(changed, before, after);
  const tenants = await sys.query<{ id: string }>('select id from tenants where plan = $1 order by id', [
    name,
  ]);
  for (const tenant of tenants.rows) {
    await appendAuditEvent(sys, tenant.id, {
      actor: change.actor,
      action: 'plan.update',
      target: { type: 'plan', id: name },
      requestId: change.requestId,
      ip: change.ip,
      details: { changes },
    });
  }
  return getPlan(sys, name);
}

/** Deletes a custom plan nobody is on. Built-in plans and plans in use are refused. */
export async function deletePlan(sys: Queryable, name: string): Promise<void> {
  const locked = await sys.query<{ builtin: boolean }>(
    'select builtin from plans where name = $1 for update',
    [name],
  );
  const row = locked.rows[0];
  if (!row) throw new SchedulingError('PLAN_NOT_FOUND', `No plan named ${name}`);
  if (row.builtin)
    throw new SchedulingError('PLAN_BUILTIN', `${name} is a built-in plan and cannot be deleted`);
  const inUse = await sys.query<{ n: number | string }>('select count(*) as n from tenants where plan = $1', [
    name,
  ]);
  const tenants = Number(inUse.rows[0]?.n ?? 0);
  if (tenants > 0) throw planInUse(name, tenants);
  try {
    await sys.query('delete from plans where name = $1', [name]);
  } catch (error) {
    // A tenant moved onto the plan after the count: the foreign key refuses the delete.
    if (sqlState(error) === SQLSTATE.foreignKeyViolation) throw planInUse(name, null);
    throw error;
  }
}

const planInUse = (name: string, tenants: number | null) =>
  new SchedulingError(
    'PLAN_IN_USE',
    `${tenants ?? 'Some'} tenant${tenants === 1 ? ' is' : 's are'} on plan ${name}; move them to another plan first`,
    tenants === null ? undefined : { tenants },
  );

/** `{ limit: { from, to } }` for the audit event of a change. */
export function diffOf<T extends string>(
  names: readonly T[],
  before: Partial<Record<T, unknown>>,
  after: Partial<Record<T, unknown>>,
): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(names.map((n) => [n, { from: before[n] ?? null, to: after[n] ?? null }]));
}
