-- 0012: budget alerts (thresholds crossed, forecasts over the limit), the tenant's alert
-- webhooks and the outbox their deliveries are sent from.
-- Design: docs/adr/0009-budget-alerts.md.

-- One row per alert fired: at most one per (budget, period, threshold) and one forecast alert per
-- (budget, period), kept by the unique index; what was true when it fired is copied into it.
create table budget_alerts (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  budget_id uuid not null,
  budget_name text not null,
  kind text not null check (kind in ('threshold', 'forecast')),
  threshold integer check (threshold between 1 and 100),
  period_start timestamptz not null,
  period_end timestamptz not null,
  limit_micro_usd bigint not null,
  spent_micro_usd bigint not null,
  projected_micro_usd bigint,
  created_at timestamptz not null default now(),
  -- Insertion order: lists go newest first by it (thresholds fired together share created_at).
  seq bigint generated always as identity,
  acknowledged_at timestamptz,
  acknowledged_by text,
  primary key (tenant_id, id),
  foreign key (tenant_id, budget_id) references budgets (tenant_id, id) on delete cascade,
  check ((kind = 'threshold') = (threshold is not null)),
  check ((kind = 'forecast') = (projected_micro_usd is not null)),
  check ((acknowledged_at is null) = (acknowledged_by is null))
);
create unique index budget_alerts_once
  on budget_alerts (tenant_id, budget_id, period_start, kind, coalesce(threshold, 0));
create index budget_alerts_newest on budget_alerts (tenant_id, seq desc);
alter table budget_alerts enable row level security;
alter table budget_alerts force row level security;
create policy tenant_isolation on budget_alerts to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on budget_alerts to shoal_system using (true) with check (true);
-- The app inserts when a budget change or an on-demand forecast fires one; it only acknowledges.
grant select, insert, update (acknowledged_at, acknowledged_by) on budget_alerts to shoal_app;
grant select, insert on budget_alerts to shoal_system;

-- Where the tenant wants its alerts POSTed; the signing secret is sealed by the secret box
-- (tenantId:webhookId as associated data) and only its fingerprint is ever shown.
create table alert_webhooks (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  url text not null check (char_length(url) between 1 and 2000),
  description text check (char_length(description) <= 200),
  secret_sealed text not null,
  secret_fingerprint text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
alter table alert_webhooks enable row level security;
alter table alert_webhooks force row level security;
create policy tenant_isolation on alert_webhooks to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on alert_webhooks to shoal_system using (true) with check (true);
grant select, insert, delete on alert_webhooks to shoal_app;
grant select on alert_webhooks to shoal_system;

-- The outbox: one row per (alert, webhook), written with the alert. A claim moves
-- next_attempt_at past a lease and counts the attempt, so a row whose sender died is due again.
create table alert_deliveries (
  tenant_id uuid not null,
  alert_id uuid not null,
  webhook_id uuid not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  last_status integer,
  last_error text check (char_length(last_error) <= 500),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, alert_id, webhook_id),
  foreign key (tenant_id, alert_id) references budget_alerts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, webhook_id) references alert_webhooks (tenant_id, id) on delete cascade
);
create index alert_deliveries_due on alert_deliveries (next_attempt_at) where state = 'pending';
create index alert_deliveries_webhook on alert_deliveries (tenant_id, webhook_id);
alter table alert_deliveries enable row level security;
alter table alert_deliveries force row level security;
create policy tenant_isolation on alert_deliveries to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on alert_deliveries to shoal_system using (true) with check (true);
grant select, insert on alert_deliveries to shoal_app;
grant select, insert,
      update (state, attempts, next_attempt_at, last_attempt_at, last_status, last_error, delivered_at)
  on alert_deliveries to shoal_system;

-- Every threshold of the budget that this period's spend is at or above fires, once: the
-- ledger trigger's upsert of a period row (spend recorded) and a change of the limit or the
-- thresholds both end here, in the transaction that made the change.
create function metering_threshold_alerts(p_tenant uuid, p_budget uuid, p_period_start timestamptz)
returns void language sql as $$
  insert into budget_alerts (tenant_id, budget_id, budget_name, kind, threshold, period_start,
                             period_end, limit_micro_usd, spent_micro_usd)
  select p.tenant_id, b.id, b.name, 'threshold', th.value, p.period_start, p.period_end,
         b.limit_micro_usd, p.spent_micro_usd
    from budget_periods p
    join budgets b on b.tenant_id = p.tenant_id and b.id = p.budget_id
    cross join lateral unnest(b.alert_thresholds) as th(value)
   where p.tenant_id = p_tenant and p.budget_id = p_budget and p.period_start = p_period_start
     and p.spent_micro_usd * 100 >= b.limit_micro_usd * th.value
     and not exists (select 1 from budget_alerts a
                      where a.tenant_id = p.tenant_id and a.budget_id = p.budget_id
                        and a.period_start = p.period_start and a.kind = 'threshold'
                        and coalesce(a.threshold, 0) = th.value)
   order by th.value
  -- A concurrent transaction firing the same threshold: the unique index keeps one.
  on conflict do nothing
$$;

-- Spend recorded: only a threshold this change crossed can be new (one the spend was already
-- past when it was added fired then, from the budgets trigger), so most batches stop at one probe.
create function metering_period_alerts() returns trigger language plpgsql as $$
declare
  v_before bigint := case when tg_op = 'UPDATE' then old.spent_micro_usd else 0 end;
begin
  if exists (select 1 from budgets b cross join lateral unnest(b.alert_thresholds) as th(value)
              where b.tenant_id = new.tenant_id and b.id = new.budget_id
                and new.spent_micro_usd * 100 >= b.limit_micro_usd * th.value
                and v_before * 100 < b.limit_micro_usd * th.value) then
    perform metering_threshold_alerts(new.tenant_id, new.budget_id, new.period_start);
  end if;
  return null;
end
$$;
create trigger budget_periods_alerts_insert after insert on budget_periods
  for each row when (new.spent_micro_usd > 0) execute function metering_period_alerts();
create trigger budget_periods_alerts_update after update of spent_micro_usd on budget_periods
  for each row when (new.spent_micro_usd > old.spent_micro_usd) execute function metering_period_alerts();

-- A lower limit or new thresholds apply to the period under way at once.
create function metering_budget_change_alerts() returns trigger language plpgsql as $$
begin
  perform metering_threshold_alerts(p.tenant_id, p.budget_id, p.period_start)
     from budget_periods p
    where p.tenant_id = new.tenant_id and p.budget_id = new.id
      and p.period_start <= now() and p.period_end > now();
  return null;
end
$$;
create trigger budgets_alerts after update of limit_micro_usd, alert_thresholds on budgets
  for each row execute function metering_budget_change_alerts();

-- The outbox rows of an alert, one per webhook the tenant has, in the alert's transaction.
create function metering_alert_outbox() returns trigger language plpgsql as $$
begin
  insert into alert_deliveries (tenant_id, alert_id, webhook_id, next_attempt_at)
  select new.tenant_id, new.id, w.id, new.created_at
    from alert_webhooks w where w.tenant_id = new.tenant_id;
  return null;
end
$$;
create trigger budget_alerts_outbox after insert on budget_alerts
  for each row execute function metering_alert_outbox();
