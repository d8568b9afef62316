-- 0013: the engine feeds the usage ledger: a run started, each step attempt that ended and its
-- worker time in its pool, written by statement triggers in the engine's own transactions; and
-- daily snapshots of stored bytes. Design: docs/adr/0007-metering.md ("Runs, steps, storage").

-- Quantities by kind: 1 (calls, runs, steps), milliseconds (worker_seconds), bytes (stored_bytes),
-- which outgrow an integer.
alter table usage_events alter column quantity type bigint;
alter table usage_events drop constraint usage_events_kind_check;
alter table usage_events add constraint usage_events_kind_check
  check (kind in ('llm_call', 'cache_hit', 'run_started', 'step_executed', 'worker_seconds', 'stored_bytes'));
-- The worker pool a run, step or worker time belongs to.
alter table usage_events add column pool text;

-- The engine's tenant transactions write run and step events through the triggers below: the
-- app role may insert those columns only (no tokens or cost), and never update or delete.
grant insert (tenant_id, key, kind, occurred_at, workflow_id, run_id, pool, quantity) on usage_events to shoal_app;

-- A run created is a run started (`run:<id>`): the rows the statement inserted, so an
-- idempotent replay of a start is not among them.
create function metering_ingest_runs() returns trigger language plpgsql as $$
begin
  insert into usage_events (tenant_id, key, kind, occurred_at, workflow_id, run_id, pool)
  select r.tenant_id, 'run:' || r.id, 'run_started', r.created_at, r.workflow_id, r.id, r.pool
    from new_runs r
  on conflict do nothing;
  return null;
end
$$;
create trigger runs_to_ledger after insert on runs
  referencing new table as new_runs for each statement execute function metering_ingest_runs();

-- An attempt counts when it ends (`step:<run>:<step key>:<attempt>`), whoever ends it (completion,
-- failure, park, reaper, cancel), in the same transaction; with its executor's time, if one ran,
-- as worker_seconds in milliseconds (`worker:<run>:<step key>:<attempt>`). A later update of an
-- ended attempt (a waiting step resolved) conflicts on the keys and adds nothing.
create function metering_ingest_step_attempts() returns trigger language plpgsql as $$
begin
  insert into usage_events (tenant_id, key, kind, occurred_at, workflow_id, run_id, pool, quantity)
  select a.tenant_id, k.prefix || a.run_id || ':' || a.step_key || ':' || a.attempt, k.kind, a.ended_at,
         r.workflow_id, a.run_id, r.pool,
         case k.kind when 'step_executed' then 1 else round(a.work_ms)::bigint end
    from ended_attempts a
    join runs r on r.tenant_id = a.tenant_id and r.id = a.run_id
   cross join (values ('step:', 'step_executed'), ('worker:', 'worker_seconds')) k (prefix, kind)
   where a.ended_at is not null and (k.kind = 'step_executed' or a.work_ms is not null)
  on conflict do nothing;
  return null;
end
$$;
create trigger step_attempts_to_ledger after update on step_attempts
  referencing new table as ended_attempts for each statement execute function metering_ingest_step_attempts();
