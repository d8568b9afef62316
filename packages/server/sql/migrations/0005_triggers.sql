-- 0005: run triggers (webhooks, schedules, events) and the tenant data keys that seal secrets.
-- Design: docs/adr/0004-triggers.md. RLS rules as in 0001 (ADR 0002).

-- What started a run: webhook:<id>, schedule:<id> or event:<id> (null for API and child runs).
alter table runs add column trigger_ref text;
grant update (trigger_ref) on runs to shoal_app;
create index runs_trigger_ref_idx on runs (tenant_id, trigger_ref) where trigger_ref is not null;

-- One data key per tenant, wrapped by the master key (secrets/). Deleting the row erases every
-- secret the tenant has.
create table tenant_keys (
  tenant_id uuid not null references tenants (id),
  -- Fingerprint of the master key that wrapped this data key.
  master_key_id text not null,
  wrapped_key text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id)
);
alter table tenant_keys enable row level security;
alter table tenant_keys force row level security;
create policy tenant_isolation on tenant_keys to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert on tenant_keys to shoal_app;

create table webhooks (
  tenant_id uuid not null,
  id uuid not null,
  workflow_id uuid not null,
  secret_sealed text not null,
  -- The secret before the last rotation keeps verifying until previous_expires_at.
  previous_secret_sealed text,
  previous_expires_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  rotated_at timestamptz,
  disabled_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, workflow_id) references workflows (tenant_id, id)
);
-- At most one enabled webhook per workflow.
create unique index webhooks_workflow_key on webhooks (tenant_id, workflow_id) where disabled_at is null;
create index webhooks_id_idx on webhooks (id);
alter table webhooks enable row level security;
alter table webhooks force row level security;
create policy tenant_isolation on webhooks to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
-- The public receiving route finds the tenant of a webhook id, and nothing else.
create policy system_lookup on webhooks for select to shoal_system using (true);
grant select, insert, update (secret_sealed, previous_secret_sealed, previous_expires_at, rotated_at, disabled_at)
  on webhooks to shoal_app;
grant select (tenant_id, id, disabled_at) on webhooks to shoal_system;

create table schedules (
  tenant_id uuid not null,
  id uuid not null,
  workflow_id uuid not null,
  description text not null default '',
  cron text not null,
  timezone text not null,
  input jsonb not null default '{}',
  catch_up text not null default 'latest' check (catch_up in ('skip', 'latest', 'all')),
  paused_at timestamptz,
  next_fire_at timestamptz not null,
  last_fire_at timestamptz,
  last_run_id uuid,
  last_error_code text,
  last_error_message text,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, workflow_id) references workflows (tenant_id, id)
);
create index schedules_due_idx on schedules (next_fire_at) where paused_at is null;
create index schedules_workflow_idx on schedules (tenant_id, workflow_id);
alter table schedules enable row level security;
alter table schedules force row level security;
create policy tenant_isolation on schedules to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
-- The scheduler loop lists due schedules across tenants; firing happens in the tenant's transaction.
create policy system_due on schedules for select to shoal_system using (true);
grant select, insert, delete, update (description, cron, timezone, input, catch_up, paused_at, next_fire_at,
  last_fire_at, last_run_id, last_error_code, last_error_message, updated_at) on schedules to shoal_app;
grant select (tenant_id, id, next_fire_at, paused_at) on schedules to shoal_system;

-- Every event a tenant sent, with the runs it started: an audit and debugging record.
create table events (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null,
  payload jsonb not null,
  -- The sender's id for the event: the same key twice starts nothing new.
  dedupe_key text,
  sent_by text not null,
  received_at timestamptz not null default now(),
  -- [{ workflow, runId }] and [{ workflow, code, message }], written when the event is handled.
  runs jsonb not null default '[]',
  skipped jsonb not null default '[]',
  primary key (tenant_id, id)
);
create unique index events_dedupe_key on events (tenant_id, dedupe_key) where dedupe_key is not null;
create index events_received_idx on events (tenant_id, received_at desc, id);
alter table events enable row level security;
alter table events force row level security;
create policy tenant_isolation on events to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert, update (runs, skipped) on events to shoal_app;
