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

-- The llm_calls trigger of 0010, with the budget spend computed per group of calls instead of
-- per call: a batch's new calls are summed per (tenant, API key, workflow), and where the first
-- and the last call of a group fall in one period of a budget (the usual case: periods are
-- intervals), that group adds one amount to it. A group spanning a period's edge (midnight, a
-- fixed window's end) is split call by call as before (bench/metering/README.md, profile).
create or replace function metering_ingest_llm_calls() returns trigger language plpgsql as $$
begin
  with inserted as (
    insert into usage_events (tenant_id, key, kind, occurred_at, api_key_id, workflow_id, run_id,
                              call_id, provider, model, price_id, price_source, tokens_in,
                              tokens_out, tokens_cached, cost_micro_usd)
    select c.tenant_id, 'llm:' || c.id, case when c.cache_hit then 'cache_hit' else 'llm_call' end,
           c.created_at, c.api_key_id, r.workflow_id, c.run_id, c.id, c.provider, c.model,
           c.price_id, c.price_source, c.tokens_in, c.tokens_out, c.tokens_cached, c.cost_micro_usd
      from new_calls c
      left join runs r on r.tenant_id = c.tenant_id and r.id = c.run_id
     where c.outcome = 'succeeded'
    on conflict do nothing
    returning tenant_id, occurred_at, api_key_id, workflow_id, cost_micro_usd),
  groups as (
    select i.tenant_id, i.api_key_id, i.workflow_id, min(i.occurred_at) as first_at,
           max(i.occurred_at) as last_at, sum(i.cost_micro_usd) as cost
      from inserted i
     where i.cost_micro_usd > 0
     group by i.tenant_id, i.api_key_id, i.workflow_id),
  covered as (
    select g.*, b.id as budget_id, b.period, t.time_zone, b.starts_at, b.ends_at,
           pf.period_start as first_start, pf.period_end as first_end, pl.period_start as last_start
      from groups g
      join tenants t on t.id = g.tenant_id
      join budgets b on b.tenant_id = g.tenant_id
       and (b.scope = 'tenant'
            or (b.scope = 'api_key' and b.scope_id = g.api_key_id)
            or (b.scope = 'workflow' and b.scope_id = g.workflow_id))
      left join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, g.first_at) pf
        on true
      left join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, g.last_at) pl
        on true),
  spend as (
    select c.tenant_id, c.budget_id, c.first_start as period_start, c.first_end as period_end, c.cost
      from covered c
     where c.first_start is not null and c.first_start = c.last_start
    union all
    select c.tenant_id, c.budget_id, p.period_start, p.period_end, i.cost_micro_usd
      from covered c
      join inserted i on i.tenant_id = c.tenant_id and i.cost_micro_usd > 0
       and i.api_key_id is not distinct from c.api_key_id and i.workflow_id is not distinct from c.workflow_id
     cross join lateral metering_period_bounds(c.period, c.time_zone, c.starts_at, c.ends_at, i.occurred_at) p
     where c.first_start is null or c.last_start is null or c.first_start <> c.last_start)
  insert into budget_periods as bp (tenant_id, budget_id, period_start, period_end, spent_micro_usd)
  select s.tenant_id, s.budget_id, s.period_start, s.period_end, sum(s.cost)
    from spend s
   group by s.tenant_id, s.budget_id, s.period_start, s.period_end
   -- Period rows are locked in one order everywhere (grants, confirmations), so none deadlock.
   order by s.tenant_id, s.budget_id, s.period_start
  on conflict (tenant_id, budget_id, period_start)
    do update set spent_micro_usd = bp.spent_micro_usd + excluded.spent_micro_usd;
  return null;
end
$$;
