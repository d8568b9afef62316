-- 0006: tasks of `task` steps, pulled from named queues by the tenant's own workers through the API.
-- Data model, fencing and invariants: src/engine/ARCHITECTURE.md ("Tasks"). RLS rules as in 0001 (ADR 0002).

create table tasks (
  tenant_id uuid not null,
  id uuid not null,
  queue text not null,
  run_id uuid not null,
  step_key text not null,
  -- The step attempt that created the task: the task counts only while the step waits on this attempt.
  attempt integer not null check (attempt >= 1),
  input jsonb,
  state text not null default 'queued'
    check (state in ('queued', 'leased', 'completed', 'failed', 'cancelled', 'timed_out')),
  heartbeat_timeout_ms integer not null check (heartbeat_timeout_ms > 0),
  -- The current delivery: its token fences heartbeats and results; a new delivery gets a new token.
  lease_token text,
  lease_expires_at timestamptz,
  worker_id text,
  deliveries integer not null default 0 check (deliveries >= 0),
  output jsonb,
  error_code text,
  error_message text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, run_id, step_key) references run_steps (tenant_id, run_id, step_key)
);
create unique index tasks_step_attempt on tasks (tenant_id, run_id, step_key, attempt);
-- Polling: the oldest open task of a tenant's queue.
create index tasks_poll_idx on tasks (tenant_id, queue, created_at, id) where state in ('queued', 'leased');
create index tasks_open_idx on tasks (lease_expires_at) where state in ('queued', 'leased');
alter table tasks enable row level security;
alter table tasks force row level security;
create policy tenant_isolation on tasks to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
-- Maintenance (cross-tenant) finds silent deliveries and closes tasks whose step moved on.
create policy system_access on tasks to shoal_system using (true) with check (true);
grant select, insert, update (state, lease_token, lease_expires_at, worker_id, deliveries, output, error_code,
  error_message, delivered_at, heartbeat_at, finished_at) on tasks to shoal_app;
grant select (tenant_id, id, run_id, step_key, attempt, state, lease_expires_at, deliveries),
  update (state, finished_at) on tasks to shoal_system;
