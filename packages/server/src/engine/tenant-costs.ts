import type { Queryable } from '../db/index.ts';

/** The attempts a tenant's cost per step is averaged over: those that ended this recently. */
const COST_WINDOW = '10 seconds';
/**
 * The platform's share of every step's slot time (claim, load, completion), the same for every
 * tenant, so a tenant of instant steps is not charged next to nothing.
 */
export const STEP_OVERHEAD_MS = 2;

/**
 * Tenants whose steps cost within this fraction of the typical tenant's are charged the typical
 * cost: measurement jitter between tenants with the same kind of steps must not move their
 * shares, while a tenant of much slower (or quicker) steps is charged what it uses.
 */
export const COST_SAME_WITHIN = 0.25;

/**
 * Refreshes each tenant's measured cost per step (`tenant_sched.cost_ms`, ADR 0005): the median
 * time its executors ran (`step_attempts.work_ms`) over the attempts that ended in the last ten
 * seconds, snapped to the typical tenant's median when within `COST_SAME_WITHIN` of it, plus
 * `STEP_OVERHEAD_MS`. Executor time, not claim to completion, so the platform's own queueing
 * under load is billed to nobody; the median, so one step stalled by a pause of the worker does
 * not move a share. Every tenant with recent attempts is measured in one statement, about once a
 * second, so no tenant's cost moves while the others' stand still; nothing is locked before the
 * update itself (a claim passes over a tenant whose row is locked). A tenant with no attempt in
 * the window keeps its value; attempts that never ran an executor have no work_ms.
 */
export async function measureTenantCosts(sys: Queryable): Promise<number> {
  const result = await sys.query(
    `with measured as (
       select s.tenant_id,
              (select percentile_cont(0.5) within group (order by a.work_ms) from step_attempts a
                where a.tenant_id = s.tenant_id and a.ended_at > now() - interval '${COST_WINDOW}'
                  and a.work_ms is not null) as median_ms
         from tenant_sched s
        where (select max(l.cost_measured_at) from tenant_sched l) < now() - interval '1 second'
     ), typical as (
       select percentile_cont(0.5) within group (order by median_ms) as ms from measured where median_ms is not null
     )
     update tenant_sched s
        set cost_ms = least(greatest(
              case when abs(m.median_ms / nullif(t.ms, 0) - 1) <= ${COST_SAME_WITHIN} then t.ms else m.median_ms end
                + ${STEP_OVERHEAD_MS}, 0.1), 3600000),
            cost_measured_at = now()
       from measured m cross join typical t
      where s.tenant_id = m.tenant_id and m.median_ms is not null`,
  );
  return result.rowCount ?? 0;
}
