import type { Queryable } from '../db/index.ts';

/**
 * Records each tenant's stored bytes once per day of its time zone (`storage:<YYYY-MM-DD>`,
 * kind stored_bytes, quantity in bytes): run inputs and outputs and step outputs as stored
 * (`pg_column_size`, after compression). Tenants that have today's snapshot are skipped, so a
 * maintenance tick of every worker may call it; the key makes concurrent ticks harmless.
 * Returns how many snapshots were recorded. System role (cross-tenant).
 */
export async function snapshotStoredBytes(sys: Queryable, at: Date): Promise<number> {
  const result = await sys.query(
    `with due as (
       select t.id as tenant_id, 'storage:' || to_char($1::timestamptz at time zone t.time_zone, 'YYYY-MM-DD') as key
         from tenants t)
     insert into usage_events (tenant_id, key, kind, occurred_at, quantity)
     select d.tenant_id, d.key, 'stored_bytes', $1::timestamptz,
            coalesce((select sum(coalesce(pg_column_size(r.input), 0) + coalesce(pg_column_size(r.output), 0))
                        from runs r where r.tenant_id = d.tenant_id), 0)
          + coalesce((select sum(pg_column_size(s.output)) from run_steps s where s.tenant_id = d.tenant_id), 0)
       from due d
      where not exists (select 1 from usage_events e where e.tenant_id = d.tenant_id and e.key = d.key)
     on conflict do nothing`,
    [at.toISOString()],
  );
  return result.rowCount;
}
