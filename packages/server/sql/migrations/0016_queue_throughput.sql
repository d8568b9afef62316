-- 0016: the fair pick in batches (ADR 0005, "Batched claims"). A worker with n free slots takes
-- up to n rows in one statement instead of one statement per slot: the pick plays the same
-- order as shoal_pick_step, one row at a time, on an in-memory copy of the waiting tenants'
-- passes and running counts, so a batch is the sequence n single picks would have made.
-- Exact ceilings are kept the same way: a tenant's sched row is locked before its first row is
-- taken and its running steps are counted then, in a fresh snapshot; every row taken in the
-- batch counts as running from then on. Only the first tenant's lock is waited for.
create function shoal_pick_steps(p_pool text, p_limit integer)
returns table (picked_tenant uuid, picked_id bigint)
language plpgsql volatile rows 1 as $$
declare
  tids uuid[];
  passes double precision[];
  running integer[];
  guaranteed integer[];
  ceilings integer[];
  steps double precision[];
  max_step double precision;
  -- 0: not locked yet, 1: locked by this pick, 2: passed over (locked elsewhere, or no row left)
  held smallint[];
  floors double precision[];
  taken integer[];
  ids bigint[] := '{}';
  owners uuid[] := '{}';
  n integer;
  best integer;
  counted integer;
  picked bigint;
  clock double precision;
  waited boolean := false;
begin
  with recursive waiting (tid) as (
    (select q.tenant_id from step_queue q where q.pool = p_pool and q.lease_owner is null order by q.tenant_id limit 1)
    union all
    select (select q.tenant_id from step_queue q
             where q.pool = p_pool and q.lease_owner is null and q.tenant_id > w.tid
             order by q.tenant_id limit 1)
      from waiting w where w.tid is not null
  )
  select array_agg(w.tid order by w.tid), array_agg(s.vpass order by w.tid), array_agg(b.n order by w.tid),
         array_agg(e.guaranteed_concurrency order by w.tid), array_agg(e.burst_ceiling order by w.tid),
         array_agg(s.cost_ms / e.weight order by w.tid), max(s.cost_ms / e.weight)
    into tids, passes, running, guaranteed, ceilings, steps, max_step
    from waiting w join tenant_sched s on s.tenant_id = w.tid
    join tenant_effective_limits e on e.tenant_id = w.tid
    -- Per waiting tenant, through the index of leased rows: never a scan of the backlog.
    cross join lateral (select count(*)::integer as n from step_queue l
                         where l.tenant_id = w.tid and l.lease_owner is not null
                           and l.lease_expires_at > '-infinity') b
   where w.tid is not null and b.n < e.burst_ceiling;
  n := coalesce(array_length(tids, 1), 0);
  if n = 0 or p_limit < 1 then return; end if;
  held := array_fill(0::smallint, array[n]);
  floors := array_fill(null::double precision, array[n]);
  taken := array_fill(0, array[n]);
  loop
    exit when coalesce(array_length(ids, 1), 0) >= p_limit;
    -- The next tenant: below its guarantee first, then the least pass; never one at its ceiling.
    best := null;
    for i in 1 .. n loop
      continue when held[i] = 2 or running[i] >= ceilings[i];
      if best is null
         or (running[i] >= guaranteed[i], passes[i], tids[i]) < (running[best] >= guaranteed[best], passes[best], tids[best])
      then best := i; end if;
    end loop;
    exit when best is null;
    if held[best] = 0 then
      if not waited then
        perform 1 from tenant_sched s where s.tenant_id = tids[best] for update;
        waited := true;
      else
        perform 1 from tenant_sched s where s.tenant_id = tids[best] for update skip locked;
        if not found then held[best] := 2; continue; end if;
      end if;
      held[best] := 1;
      select count(*) into counted from step_queue l
       where l.tenant_id = tids[best] and l.lease_owner is not null and l.lease_expires_at > '-infinity';
      running[best] := counted;
      -- Virtual time: the least pass of the other tenants waiting in the pool. Tenants that kept
      -- waiting stay within one batch of steps (p_limit × cost / weight) of each other: a batch
      -- may pass over a tenant whose row another transaction holds (cost measurement) and give
      -- its share to the others. A tenant further behind was idle, and starts level with them
      -- instead of spending its idle time at once.
      select min(u.pass) into clock from unnest(tids, passes) as u(tid, pass) where u.tid <> tids[best];
      floors[best] := clock - max_step * p_limit;
      passes[best] := greatest(passes[best], floors[best]);
      -- Its fresh count may put it at its ceiling or past its guarantee: choose again.
      continue;
    end if;
    select q.id into picked from step_queue q
     where q.tenant_id = tids[best] and q.pool = p_pool and q.lease_owner is null and q.available_at <= now()
       and q.id <> all (ids)
     order by q.vtime, q.id limit 1
       for update skip locked;
    if picked is null then held[best] := 2; continue; end if;
    ids := ids || picked;
    owners := owners || tids[best];
    running[best] := running[best] + 1;
    taken[best] := taken[best] + 1;
    passes[best] := passes[best] + steps[best];
  end loop;
  -- Each pass moves from its current value (another claim may have moved it since the snapshot
  -- above, before this pick took the lock), once per tenant.
  update tenant_sched s
     set vpass = greatest(s.vpass, u.floor) + u.taken * u.step
    from unnest(tids, floors, taken, steps) as u(tid, floor, taken, step)
   where s.tenant_id = u.tid and u.taken > 0;
  return query select * from unnest(owners, ids);
end $$;
grant execute on function shoal_pick_steps(text, integer) to shoal_system;

drop function shoal_pick_step(text);

-- Run ends in shards: every run's end used to add to one row per tenant at commit, so one
-- tenant's completions queued on that row's lock through each other's commit. Each backend now
-- adds to its own shard; a shard may go negative (a retried run is counted back where its
-- transaction runs), the sum never does.
alter table tenant_run_ends add column shard smallint not null default 0;
alter table tenant_run_ends drop constraint tenant_run_ends_pkey;
alter table tenant_run_ends add primary key (tenant_id, shard);
alter table tenant_run_ends drop constraint tenant_run_ends_runs_ended_check;
grant insert (tenant_id, shard, runs_ended) on tenant_run_ends to shoal_app;

create or replace view tenant_open_runs with (security_invoker = true) as
select c.tenant_id,
       c.runs_started - coalesce((select sum(e.runs_ended) from tenant_run_ends e where e.tenant_id = c.tenant_id), 0)::bigint
         as open_runs
  from tenant_counters c;

create or replace function shoal_count_runs() returns trigger language plpgsql as $$
declare
  ended integer := 0;
begin
  if tg_op = 'INSERT' then
    update tenant_counters set runs_started = runs_started + 1 where tenant_id = new.tenant_id;
    if new.state not in ('queued', 'running', 'waiting') then ended := 1; end if;
  elsif old.state in ('queued', 'running', 'waiting') and new.state not in ('queued', 'running', 'waiting') then
    ended := 1;
  elsif old.state not in ('queued', 'running', 'waiting') and new.state in ('queued', 'running', 'waiting') then
    -- A retried run is unfinished again.
    ended := -1;
  end if;
  if ended <> 0 then
    insert into tenant_run_ends as e (tenant_id, shard, runs_ended)
    values (new.tenant_id, pg_backend_pid() % 16, ended)
    on conflict (tenant_id, shard) do update set runs_ended = e.runs_ended + excluded.runs_ended;
  end if;
  return null;
end $$;
