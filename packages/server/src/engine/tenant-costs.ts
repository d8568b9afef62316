import type { Queryable } from '../db/index.ts';

/**
 * Refreshes each tenant's measured cost per step (`tenant_sched.cost_ms`, ADR 0005) from the
 * attempts that ended since its last measurement: half the old value and half the new average
 * worker time, at most once a second per tenant, whichever worker gets there first (the rows
 * a claim or another worker holds are skipped). Lost attempts are not counted: the worker died.
 */
export async function measureTenantCosts(sys: Queryable): Promise<number> {
  const result = await sys.query(
    `with due as (
       select s.tenant_id, s.cost_measured_at as since, clock_timestamp() as upto from tenant_sched s
        where s.cost_measured_at < now() - interval '1 second'
          for update skip locked
     ), measured as (
       select d.tenant_id, d.upto, avg(extract(epoch from a.ended_at - a.started_at) * 1000) as avg_ms
         from due d
         join step_attempts a on a.tenant_id = d.tenant_id and a.ended_at > d.since and a.ended_at <= d.upto
        where a.outcome <> 'lost'
        group by d.tenant_id, d.upto
     )
     update tenant_sched s
        set cost_ms = least(greatest(0.5 * s.cost_ms + 0.5 * m.avg_ms, 0.1), 3600000), cost_measured_at = m.upto
       from measured m
      where s.tenant_id = m.tenant_id`,
  );
  return result.rowCount ?? 0;
}
