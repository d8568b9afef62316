-- 0010: metering: the tenant's time zone, the usage ledger (fed from llm_calls by a trigger),
-- budgets, their periods and the escrow leases processes reserve from.
-- Design: docs/adr/0007-metering.md.

-- An IANA name PostgreSQL knows ('UTC' without looking, it is every tenant's default).
create function shoal_is_time_zone(tz text) returns boolean language sql stable as $$
  select tz = 'UTC' or exists (select 1 from pg_timezone_names where name = tz)
$$;

alter table tenants add column time_zone text not null default 'UTC'
  check (shoal_is_time_zone(time_zone));
grant update (time_zone) on tenants to shoal_app;

-- The period of a budget containing `at`, in the tenant's time zone: none outside a fixed window.
create function metering_period_bounds(period text, tz text, starts_at timestamptz,
                                       ends_at timestamptz, at timestamptz)
returns table (period_start timestamptz, period_end timestamptz) language sql stable as $$
  select s, e from (
    select case period
             when 'daily' then date_trunc('day', at at time zone tz) at time zone tz
             when 'monthly' then date_trunc('month', at at time zone tz) at time zone tz
             else starts_at end as s,
           case period
             when 'daily' then (date_trunc('day', at at time zone tz) + interval '1 day') at time zone tz
             when 'monthly' then (date_trunc('month', at at time zone tz) + interval '1 month') at time zone tz
             else ends_at end as e) b
   where at >= s and at < e
$$;

-- The ledger: append-only (no update or delete grant), idempotent by key.
create table usage_events (
  tenant_id uuid not null references tenants (id),
  key text not null check (char_length(key) between 1 and 300),
  kind text not null check (kind in ('llm_call', 'cache_hit', 'run_started', 'step_executed')),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  api_key_id uuid,
  workflow_id uuid,
  run_id uuid,
  call_id uuid,
  provider text,
  model text,
  -- The price row the cost was computed with (model_prices.id or the tenant price's), so a
  -- statement can be recomputed; null for events that cost nothing.
  price_id bigint,
  price_source text check (price_source in ('catalog', 'tenant')),
  tokens_in bigint not null default 0 check (tokens_in >= 0),
  tokens_out bigint not null default 0 check (tokens_out >= 0),
  tokens_cached bigint not null default 0 check (tokens_cached >= 0),
  cost_micro_usd bigint not null default 0 check (cost_micro_usd >= 0),
  quantity integer not null default 1 check (quantity >= 0),
  primary key (tenant_id, key)
);
create index usage_events_occurred_idx on usage_events (tenant_id, occurred_at);
alter table usage_events enable row level security;
alter table usage_events force row level security;
create policy tenant_isolation on usage_events to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on usage_events to shoal_system using (true) with check (true);
grant select on usage_events to shoal_app;
grant select, insert on usage_events to shoal_system;

create table budgets (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (char_length(name) between 1 and 100),
  scope text not null check (scope in ('tenant', 'workflow', 'api_key')),
  scope_id uuid,
  period text not null check (period in ('daily', 'monthly', 'fixed')),
  starts_at timestamptz,
  ends_at timestamptz,
  limit_micro_usd bigint not null check (limit_micro_usd > 0),
  kind text not null check (kind in ('hard', 'soft')),
  alert_thresholds integer[] not null default '{50,80,100}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((scope = 'tenant') = (scope_id is null)),
  check ((period = 'fixed') = (starts_at is not null and ends_at is not null)),
  check (period = 'fixed' or (starts_at is null and ends_at is null)),
  check (ends_at > starts_at)
);
create unique index budgets_name_key on budgets (tenant_id, name);
alter table budgets enable row level security;
alter table budgets force row level security;
create policy tenant_isolation on budgets to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on budgets to shoal_system using (true) with check (true);
grant select, insert, update (name, limit_micro_usd, kind, alert_thresholds, updated_at), delete
  on budgets to shoal_app;
grant select on budgets to shoal_system;

-- Per budget and period: spent (added by the ledger trigger) and Σ of the leases outstanding.
-- For a hard budget, spent + leased <= limit is kept by metering_grant (ADR 0007, I1).
create table budget_periods (
  tenant_id uuid not null,
  budget_id uuid not null,
  period_start timestamptz not null,
  period_end timestamptz not null,
  spent_micro_usd bigint not null default 0 check (spent_micro_usd >= 0),
  leased_micro_usd bigint not null default 0 check (leased_micro_usd >= 0),
  primary key (tenant_id, budget_id, period_start),
  foreign key (tenant_id, budget_id) references budgets (tenant_id, id) on delete cascade,
  check (period_end > period_start)
);
alter table budget_periods enable row level security;
alter table budget_periods force row level security;
create policy tenant_isolation on budget_periods to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on budget_periods to shoal_system using (true) with check (true);
grant select on budget_periods to shoal_app;
grant select, insert, update (spent_micro_usd, leased_micro_usd) on budget_periods to shoal_system;

-- Escrow: the slice of a hard budget's period one process holds and reserves from in memory.
create table budget_leases (
  tenant_id uuid not null,
  budget_id uuid not null,
  period_start timestamptz not null,
  process_id text not null check (char_length(process_id) between 1 and 200),
  amount_micro_usd bigint not null check (amount_micro_usd >= 0),
  expires_at timestamptz not null,
  primary key (tenant_id, budget_id, period_start, process_id),
  foreign key (tenant_id, budget_id, period_start)
    references budget_periods (tenant_id, budget_id, period_start) on delete cascade
);
alter table budget_leases enable row level security;
alter table budget_leases force row level security;
create policy tenant_isolation on budget_leases to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on budget_leases to shoal_system using (true) with check (true);
grant select on budget_leases to shoal_app;
grant select, insert, update (amount_micro_usd, expires_at), delete on budget_leases to shoal_system;

-- The ledger is fed by the gateway's batched call records: the rows this statement inserted
-- (a replayed call is not among them) become priced usage events, and their cost is added to
-- every budget period covering them, one upsert per budget period per batch.
create function metering_ingest_llm_calls() returns trigger language plpgsql as $$
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
    returning tenant_id, occurred_at, api_key_id, workflow_id, cost_micro_usd)
  insert into budget_periods as bp (tenant_id, budget_id, period_start, period_end, spent_micro_usd)
  select i.tenant_id, b.id, p.period_start, p.period_end, sum(i.cost_micro_usd)
    from inserted i
    join tenants t on t.id = i.tenant_id
    join budgets b on b.tenant_id = i.tenant_id
     and (b.scope = 'tenant'
          or (b.scope = 'api_key' and b.scope_id = i.api_key_id)
          or (b.scope = 'workflow' and b.scope_id = i.workflow_id))
    cross join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at,
                                              i.occurred_at) p
   where i.cost_micro_usd > 0
   group by i.tenant_id, b.id, p.period_start, p.period_end
   -- Period rows are locked in one order everywhere (grants, confirmations), so none deadlock.
   order by i.tenant_id, b.id, p.period_start
  on conflict (tenant_id, budget_id, period_start)
    do update set spent_micro_usd = bp.spent_micro_usd + excluded.spent_micro_usd;
  return null;
end
$$;
create trigger llm_calls_to_ledger after insert on llm_calls
  referencing new table as new_calls for each statement execute function metering_ingest_llm_calls();

-- Grants a process a slice of a hard budget's current period (ADR 0007, step 1): opens the
-- period, drops its expired leases, then one conditional update keeps spent + leased <= limit.
-- No row: the budget does not exist, is soft, or has no period at p_now (a fixed window).
create function metering_grant(p_tenant uuid, p_budget uuid, p_process text, p_need bigint,
                               p_slice bigint, p_now timestamptz, p_expires timestamptz)
returns table (granted bigint, period_start timestamptz, period_end timestamptz,
               limit_micro_usd bigint, spent_micro_usd bigint, leased_micro_usd bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  v_limit bigint;
  v_start timestamptz;
  v_end timestamptz;
  v_freed bigint;
  v_granted bigint := 0;
  v_spent bigint;
  v_leased bigint;
begin
  select b.limit_micro_usd, pb.period_start, pb.period_end into v_limit, v_start, v_end
    from budgets b
    join tenants t on t.id = b.tenant_id
    cross join lateral metering_period_bounds(b.period, t.time_zone, b.starts_at, b.ends_at, p_now) pb
   where b.tenant_id = p_tenant and b.id = p_budget and b.kind = 'hard';
  if v_start is null then
    return;
  end if;
  insert into budget_periods as bp (tenant_id, budget_id, period_start, period_end)
  values (p_tenant, p_budget, v_start, v_end) on conflict do nothing;
  -- Grants of one period serialise on its row.
  select bp.spent_micro_usd, bp.leased_micro_usd into v_spent, v_leased from budget_periods bp
   where bp.tenant_id = p_tenant and bp.budget_id = p_budget and bp.period_start = v_start
     for update;
  with gone as (
    delete from budget_leases l
     where l.tenant_id = p_tenant and l.budget_id = p_budget and l.period_start = v_start
       and l.expires_at <= p_now and l.process_id <> p_process
    returning l.amount_micro_usd)
  select coalesce(sum(g.amount_micro_usd), 0) into v_freed from gone g;
  v_leased := v_leased - v_freed;
  if v_spent + v_leased + p_need <= v_limit then
    v_granted := greatest(p_need, least(p_slice, (v_limit - v_spent - v_leased) / 4));
  end if;
  update budget_periods bp set leased_micro_usd = v_leased + v_granted
   where bp.tenant_id = p_tenant and bp.budget_id = p_budget and bp.period_start = v_start
     and (v_granted = 0 or bp.spent_micro_usd + v_leased + v_granted <= v_limit);
  v_leased := v_leased + v_granted;
  if v_granted > 0 then
    insert into budget_leases as l (tenant_id, budget_id, period_start, process_id, amount_micro_usd,
                                    expires_at)
    values (p_tenant, p_budget, v_start, p_process, v_granted, p_expires)
    on conflict (tenant_id, budget_id, period_start, process_id)
      do update set amount_micro_usd = l.amount_micro_usd + excluded.amount_micro_usd,
                    expires_at = greatest(l.expires_at, excluded.expires_at);
  end if;
  return query select v_granted, v_start, v_end, v_limit, v_spent, v_leased;
end
$$;
