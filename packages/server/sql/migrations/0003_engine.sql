-- 0003: runs, their steps and attempts, and the queue of ready step attempts.
-- Data model and invariants: src/engine/ARCHITECTURE.md. RLS rules as in 0001 (ADR 0002).

create table runs (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  workflow_id uuid not null,
  workflow_version integer not null check (workflow_version >= 1),
  state text not null default 'queued'
    check (state in ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out')),
  input jsonb not null default '{}',
  output jsonb,
  error_code text,
  error_message text,
  trigger_kind text not null default 'api' check (trigger_kind in ('api', 'webhook', 'schedule', 'event', 'workflow')),
  idempotency_key text,
  priority smallint not null default 0,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  deadline_at timestamptz,
  cancel_requested_at timestamptz,
  primary key (tenant_id, id),
  -- A run pins the immutable version it started with.
  foreign key (tenant_id, workflow_id, workflow_version) references workflow_versions (tenant_id, workflow_id, version)
);
create unique index runs_idempotency_key on runs (tenant_id, idempotency_key) where idempotency_key is not null;
create index runs_state_idx on runs (tenant_id, state, created_at);
alter table runs enable row level security;
alter table runs force row level security;
create policy tenant_isolation on runs to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on runs to shoal_system using (true) with check (true);
grant select, insert, update (state, output, error_code, error_message, started_at, finished_at, cancel_requested_at)
  on runs to shoal_app;
grant select, update (state, started_at, finished_at, error_code, error_message, cancel_requested_at) on runs to shoal_system;

create table run_steps (
  tenant_id uuid not null,
  run_id uuid not null,
  step_key text not null,
  step_id text not null,
  step_type text not null,
  needs text[] not null default '{}',
  needs_remaining integer not null check (needs_remaining >= 0),
  -- How many needs succeeded: a step whose needs were all skipped is skipped too.
  needs_succeeded integer not null default 0 check (needs_succeeded >= 0),
  state text not null default 'pending'
    check (state in ('pending', 'ready', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled', 'timed_out')),
  attempt integer not null default 0 check (attempt >= 0),
  max_attempts integer not null default 1 check (max_attempts >= 1),
  input jsonb,
  output jsonb,
  error_code text,
  error_message text,
  wait_reason text check (wait_reason in ('sleep', 'approval', 'task', 'workflow')),
  wake_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, run_id, step_key),
  foreign key (tenant_id, run_id) references runs (tenant_id, id)
);
alter table run_steps enable row level security;
alter table run_steps force row level security;
create policy tenant_isolation on run_steps to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on run_steps to shoal_system using (true) with check (true);
create index run_steps_wake_idx on run_steps (wake_at) where state = 'waiting' and wake_at is not null;
grant select, insert, update (needs_remaining, needs_succeeded, state, attempt, input, output, error_code, error_message,
  wait_reason, wake_at, started_at, finished_at) on run_steps to shoal_app;
grant select, update (state, attempt, started_at, finished_at, error_code, error_message) on run_steps to shoal_system;

create table step_attempts (
  tenant_id uuid not null,
  run_id uuid not null,
  step_key text not null,
  attempt integer not null check (attempt >= 1),
  worker_id text not null,
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  outcome text not null default 'running'
    check (outcome in ('running', 'succeeded', 'failed', 'skipped', 'waiting', 'lost', 'cancelled', 'timed_out')),
  error_code text,
  error_message text,
  primary key (tenant_id, run_id, step_key, attempt),
  foreign key (tenant_id, run_id, step_key) references run_steps (tenant_id, run_id, step_key)
);
alter table step_attempts enable row level security;
alter table step_attempts force row level security;
create policy tenant_isolation on step_attempts to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on step_attempts to shoal_system using (true) with check (true);
grant select, insert, update (ended_at, outcome, error_code, error_message) on step_attempts to shoal_app;
grant select, insert, update (ended_at, outcome, error_code, error_message) on step_attempts to shoal_system;

-- One row per step that may run now or at available_at; it carries the lease while it runs.
create table step_queue (
  tenant_id uuid not null,
  id bigint generated always as identity,
  run_id uuid not null,
  step_key text not null,
  pool text not null default 'shared',
  priority smallint not null default 0,
  vtime double precision not null,
  available_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  enqueued_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, run_id, step_key) references run_steps (tenant_id, run_id, step_key)
);
create unique index step_queue_step_key on step_queue (tenant_id, run_id, step_key);
create index step_queue_claim_idx on step_queue (pool, vtime, id) where lease_owner is null;
create index step_queue_lease_idx on step_queue (lease_expires_at) where lease_owner is not null;
alter table step_queue enable row level security;
alter table step_queue force row level security;
create policy tenant_isolation on step_queue to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on step_queue to shoal_system using (true) with check (true);
grant select, insert, delete, update (available_at, lease_owner, lease_expires_at) on step_queue to shoal_app;
grant select, delete, update (available_at, lease_owner, lease_expires_at) on step_queue to shoal_system;
