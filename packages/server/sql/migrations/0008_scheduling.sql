-- 0008: plans and per-tenant limits, the fair scheduler's state, quota counters, live workers.
-- Design: docs/adr/0005-fair-scheduling.md and src/engine/ARCHITECTURE.md ("Scheduling").

-- The plan catalogue is global (not tenant data): every role may read it, only the system role
-- (operators) changes it. Built-in plans can be edited but not deleted.
create table plans (
  name text primary key check (name ~ '^[a-z][a-z0-9-]{0,39}$'),
  weight integer not null check (weight between 1 and 10000),
  guaranteed_concurrency integer not null check (guaranteed_concurrency >= 0),
  burst_ceiling integer not null check (burst_ceiling >= 1 and burst_ceiling >= guaranteed_concurrency),
  run_starts_per_minute integer not null check (run_starts_per_minute >= 1),
  queued_runs_max integer not null check (queued_runs_max >= 1),
  max_payload_bytes integer not null check (max_payload_bytes >= 1024),
  max_steps_per_run integer not null check (max_steps_per_run >= 1),
  log_retention_days integer not null check (log_retention_days >= 1),
  history_retention_days integer not null check (history_retention_days >= 1),
  llm_tokens_per_minute integer not null check (llm_tokens_per_minute >= 0),
  builtin boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
insert into plans (name, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
                   max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days,
                   llm_tokens_per_minute, builtin) values
  ('free', 1, 2, 10, 60, 1000, 262144, 100, 3, 7, 20000, true),
  ('team', 2, 10, 100, 1200, 100000, 1048576, 1000, 14, 30, 200000, true),
  ('enterprise', 4, 50, 1000, 60000, 10000000, 4194304, 10000, 90, 365, 2000000, true);
-- A tenant created with a plan name the catalogue did not know keeps it, as a custom plan with
-- the free plan's limits, so the foreign key below never rewrites a tenant's plan.
insert into plans (name, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
                   max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days,
                   llm_tokens_per_minute)
select distinct t.plan, f.weight, f.guaranteed_concurrency, f.burst_ceiling, f.run_starts_per_minute, f.queued_runs_max,
       f.max_payload_bytes, f.max_steps_per_run, f.log_retention_days, f.history_retention_days, f.llm_tokens_per_minute
  from tenants t cross join plans f
 where f.name = 'free' and t.plan not in (select name from plans) and t.plan ~ '^[a-z][a-z0-9-]{0,39}$';
alter table tenants add constraint tenants_plan_fkey foreign key (plan) references plans (name);
grant select on plans to shoal_app;
grant select, insert, update, delete on plans to shoal_system;
grant update (plan, updated_at) on tenants to shoal_system;

-- Operators' overrides of single limits (null: the plan's) and the tenant's worker pool.
create table tenant_limits (
  tenant_id uuid primary key references tenants (id),
  weight integer check (weight between 1 and 10000),
  guaranteed_concurrency integer check (guaranteed_concurrency >= 0),
  burst_ceiling integer check (burst_ceiling >= 1),
  run_starts_per_minute integer check (run_starts_per_minute >= 1),
  queued_runs_max integer check (queued_runs_max >= 1),
  max_payload_bytes integer check (max_payload_bytes >= 1024),
  max_steps_per_run integer check (max_steps_per_run >= 1),
  log_retention_days integer check (log_retention_days >= 1),
  history_retention_days integer check (history_retention_days >= 1),
  llm_tokens_per_minute integer check (llm_tokens_per_minute >= 0),
  pool text not null default 'shared' check (pool ~ '^[a-z][a-z0-9-]{0,39}$'),
  updated_at timestamptz not null default now()
);
alter table tenant_limits enable row level security;
alter table tenant_limits force row level security;
create policy tenant_isolation on tenant_limits to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on tenant_limits to shoal_system using (true) with check (true);
grant select on tenant_limits to shoal_app;
grant select, insert, update, delete on tenant_limits to shoal_system;

-- What a tenant may use: its plan with the overrides applied. security_invoker, so RLS on
-- tenants and tenant_limits decides which rows a role sees.
create view tenant_effective_limits with (security_invoker = true) as
select t.id as tenant_id, t.plan,
       coalesce(l.weight, p.weight) as weight,
       coalesce(l.guaranteed_concurrency, p.guaranteed_concurrency) as guaranteed_concurrency,
       greatest(coalesce(l.burst_ceiling, p.burst_ceiling),
                coalesce(l.guaranteed_concurrency, p.guaranteed_concurrency)) as burst_ceiling,
       coalesce(l.run_starts_per_minute, p.run_starts_per_minute) as run_starts_per_minute,
       coalesce(l.queued_runs_max, p.queued_runs_max) as queued_runs_max,
       coalesce(l.max_payload_bytes, p.max_payload_bytes) as max_payload_bytes,
       coalesce(l.max_steps_per_run, p.max_steps_per_run) as max_steps_per_run,
       coalesce(l.log_retention_days, p.log_retention_days) as log_retention_days,
       coalesce(l.history_retention_days, p.history_retention_days) as history_retention_days,
       coalesce(l.llm_tokens_per_minute, p.llm_tokens_per_minute) as llm_tokens_per_minute,
       coalesce(l.pool, 'shared') as pool
  from tenants t join plans p on p.name = t.plan left join tenant_limits l on l.tenant_id = t.id;
grant select on tenant_effective_limits to shoal_app, shoal_system;

-- The fair scheduler's state per tenant: its virtual pass (start-time fair queuing, advanced by
-- cost / weight at each claim) and its measured cost per step. Written by claims only; a
-- claim's lock on this row serialises the tenant's claims, which makes its ceiling exact.
create table tenant_sched (
  tenant_id uuid primary key references tenants (id),
  vpass double precision not null default 0,
  cost_ms double precision not null default 10 check (cost_ms > 0),
  cost_measured_at timestamptz not null default '-infinity'
);
alter table tenant_sched enable row level security;
alter table tenant_sched force row level security;
create policy tenant_isolation on tenant_sched to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on tenant_sched to shoal_system using (true) with check (true);
grant select on tenant_sched to shoal_app;
grant select, insert, update on tenant_sched to shoal_system;

-- Quota counters per tenant: runs started (kept by a trigger on runs) and a sliding one-minute
-- window of run starts (two fixed windows, weighted). A run start locks this row.
create table tenant_counters (
  tenant_id uuid primary key references tenants (id),
  runs_started bigint not null default 0 check (runs_started >= 0),
  window_start timestamptz not null default date_trunc('minute', now()),
  window_starts integer not null default 0,
  previous_window_starts integer not null default 0
);
alter table tenant_counters enable row level security;
alter table tenant_counters force row level security;
create policy tenant_isolation on tenant_counters to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on tenant_counters to shoal_system using (true) with check (true);
grant select, update (runs_started, window_start, window_starts, previous_window_starts) on tenant_counters to shoal_app, shoal_system;
grant insert on tenant_counters to shoal_system;

-- Runs finished, in a row of their own: a run's end (often in a transaction that already holds
-- the tenant's audit lock) must never wait for a run start, which holds tenant_counters and then
-- takes the audit lock. Unfinished runs = runs_started - runs_ended (view below).
create table tenant_run_ends (
  tenant_id uuid primary key references tenants (id),
  runs_ended bigint not null default 0 check (runs_ended >= 0)
);
alter table tenant_run_ends enable row level security;
alter table tenant_run_ends force row level security;
create policy tenant_isolation on tenant_run_ends to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on tenant_run_ends to shoal_system using (true) with check (true);
grant select, update (runs_ended) on tenant_run_ends to shoal_app, shoal_system;
grant insert on tenant_run_ends to shoal_system;

create view tenant_open_runs with (security_invoker = true) as
select c.tenant_id, c.runs_started - coalesce(e.runs_ended, 0) as open_runs
  from tenant_counters c left join tenant_run_ends e on e.tenant_id = c.tenant_id;
grant select on tenant_open_runs to shoal_app, shoal_system;

insert into tenant_sched (tenant_id) select id from tenants;
insert into tenant_counters (tenant_id, runs_started)
select t.id, (select count(*) from runs r where r.tenant_id = t.id) from tenants t;
insert into tenant_run_ends (tenant_id, runs_ended)
select t.id, (select count(*) from runs r
               where r.tenant_id = t.id and r.state not in ('queued', 'running', 'waiting'))
  from tenants t;

-- Every tenant has its scheduler and counter rows from birth, so the hot paths never insert them.
create function shoal_tenant_rows() returns trigger language plpgsql as $$
begin
  insert into tenant_sched (tenant_id) values (new.id);
  insert into tenant_counters (tenant_id) values (new.id);
  insert into tenant_run_ends (tenant_id) values (new.id);
  return null;
end $$;
create trigger tenants_rows after insert on tenants for each row execute function shoal_tenant_rows();

-- Runs started and ended, counted at commit (deferred) so the counter rows are locked briefly.
create function shoal_count_runs() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    update tenant_counters set runs_started = runs_started + 1 where tenant_id = new.tenant_id;
    if new.state not in ('queued', 'running', 'waiting') then
      update tenant_run_ends set runs_ended = runs_ended + 1 where tenant_id = new.tenant_id;
    end if;
  elsif old.state in ('queued', 'running', 'waiting') and new.state not in ('queued', 'running', 'waiting') then
    update tenant_run_ends set runs_ended = runs_ended + 1 where tenant_id = new.tenant_id;
  elsif old.state not in ('queued', 'running', 'waiting') and new.state in ('queued', 'running', 'waiting') then
    -- A retried run is unfinished again.
    update tenant_run_ends set runs_ended = runs_ended - 1 where tenant_id = new.tenant_id;
  end if;
  return null;
end $$;
create constraint trigger runs_counted after insert or update of state on runs
  deferrable initially deferred for each row execute function shoal_count_runs();

-- Claims pick a tenant, then its first row: an index per tenant in claim order, and one over
-- leased rows so a tenant's running steps are counted without reading its backlog.
drop index step_queue_claim_idx;
create index step_queue_tenant_claim_idx on step_queue (tenant_id, pool, vtime, id) where lease_owner is null;
-- Queries count through it with `lease_expires_at > '-infinity'` (always true of a leased row):
-- a range on an index column steers even a planner without statistics to this small index.
create index step_queue_leased_idx on step_queue (tenant_id, lease_expires_at) where lease_owner is not null;
-- Queue tables grow from empty to a backlog in seconds; until they are analyzed, the planner
-- takes a partial index over leased rows for the whole table and reads a tenant's backlog to
-- count its running steps. Analyze them after a few hundred changes, not 10% of the table.
alter table step_queue set (autovacuum_analyze_scale_factor = 0.0, autovacuum_analyze_threshold = 500,
                            autovacuum_vacuum_scale_factor = 0.01);
alter table run_steps set (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 500);
alter table runs set (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 500);
-- The time a step waited for a worker (enqueue or backoff end to claim), for wait percentiles,
-- and the attempts' ends, from which each tenant's cost per step is measured.
alter table step_attempts add column wait_ms integer;
-- How long the executor ran (worker time the tenant used), for its measured cost per step.
alter table step_attempts add column work_ms double precision;
grant update (work_ms) on step_attempts to shoal_app;
create index step_attempts_started_idx on step_attempts (tenant_id, started_at);
create index step_attempts_ended_idx on step_attempts (tenant_id, ended_at) where ended_at is not null;

-- The fair pick (ADR 0005): tenants of the pool with available rows, those under their
-- guarantee first, then by virtual pass; a tenant at its ceiling is passed over. The tenant's
-- sched row is locked and its running steps counted in a fresh snapshot (a volatile function
-- takes one per statement), so two claims can never both take a tenant's last free slot. Only
-- the first candidate's lock is waited for, while nothing else is held: claims cannot deadlock.
-- rows 1: the claim statement joins the pick to the queue, steps and runs by key; the default
-- estimate of 1000 rows would make its plan scan those tables.
create function shoal_pick_step(p_pool text) returns table (picked_tenant uuid, picked_id bigint)
language plpgsql volatile rows 1 as $$
declare
  cand record;
  running integer;
  picked bigint;
  clock double precision;
  waited boolean := false;
begin
  for cand in
    with recursive waiting (tid) as (
      (select q.tenant_id from step_queue q where q.pool = p_pool and q.lease_owner is null order by q.tenant_id limit 1)
      union all
      select (select q.tenant_id from step_queue q
               where q.pool = p_pool and q.lease_owner is null and q.tenant_id > w.tid
               order by q.tenant_id limit 1)
        from waiting w where w.tid is not null
    )
    select w.tid, e.guaranteed_concurrency as guaranteed, e.burst_ceiling as ceiling, e.weight,
           array_agg(w.tid) over () as tids, array_agg(s.vpass) over () as passes,
           max(s.cost_ms / e.weight) over () as max_step
      from waiting w join tenant_sched s on s.tenant_id = w.tid
      join tenant_effective_limits e on e.tenant_id = w.tid
      -- Per waiting tenant, through the index of leased rows: never a scan of the backlog.
      cross join lateral (select count(*)::integer as n from step_queue l
                           where l.tenant_id = w.tid and l.lease_owner is not null
                             and l.lease_expires_at > '-infinity') b
     where w.tid is not null and b.n < e.burst_ceiling
     order by b.n >= e.guaranteed_concurrency, s.vpass, w.tid
  loop
    if not waited then
      perform 1 from tenant_sched s where s.tenant_id = cand.tid for update;
      waited := true;
    else
      perform 1 from tenant_sched s where s.tenant_id = cand.tid for update skip locked;
      if not found then continue; end if;
    end if;
    select count(*) into running from step_queue l
     where l.tenant_id = cand.tid and l.lease_owner is not null and l.lease_expires_at > '-infinity';
    if running >= cand.ceiling then continue; end if;
    select q.id into picked from step_queue q
     where q.tenant_id = cand.tid and q.pool = p_pool and q.lease_owner is null and q.available_at <= now()
     order by q.vtime, q.id limit 1
       for update skip locked;
    if picked is null then continue; end if;
    -- Virtual time: the least pass of the other tenants waiting in the pool. Tenants that kept
    -- waiting stay within one step (cost / weight) of each other; a tenant further behind was
    -- idle, and starts level with them instead of spending its idle time at once.
    select min(u.pass) into clock from unnest(cand.tids, cand.passes) as u(tid, pass) where u.tid <> cand.tid;
    update tenant_sched s
       set vpass = greatest(s.vpass, coalesce(clock - cand.max_step, s.vpass)) + s.cost_ms / cand.weight
     where s.tenant_id = cand.tid;
    picked_tenant := cand.tid;
    picked_id := picked;
    return next;
    return;
  end loop;
end $$;
grant execute on function shoal_pick_step(text) to shoal_system;

-- Worker processes announce themselves each maintenance tick; a pool with none is unserved.
create table workers (
  id text primary key,
  pool text not null,
  concurrency integer not null,
  started_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
create index workers_pool_idx on workers (pool, last_seen_at);
grant select, insert, update, delete on workers to shoal_system;
grant select on workers to shoal_app;
