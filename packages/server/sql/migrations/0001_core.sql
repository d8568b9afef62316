-- 0001: tenants, users, memberships, API keys, sessions, invites, email outbox, audit log.
-- Rules (docs/adr/0002-tenant-isolation.md): every tenant-owned table has tenant_id first in its
-- primary key and in every unique index, ENABLE + FORCE row level security, and a policy for
-- shoal_app with USING and WITH CHECK on the current tenant. shoal_app owns nothing.

revoke create on schema public from public;
grant usage on schema public to shoal_app, shoal_system;

-- The tenant bound to the current transaction by set_config('shoal.tenant_id', id, true).
create function shoal_current_tenant() returns uuid
  language sql stable
  as $$ select nullif(current_setting('shoal.tenant_id', true), '')::uuid $$;

create table tenants (
  id uuid primary key,
  name text not null check (char_length(name) between 1 and 200),
  plan text not null default 'free',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenant_isolation on tenants to shoal_app
  using (id = shoal_current_tenant()) with check (id = shoal_current_tenant());
create policy system_access on tenants to shoal_system using (true) with check (true);
grant select, update (name, updated_at) on tenants to shoal_app;
grant select, insert on tenants to shoal_system;

-- Users are people, global across tenants; a tenant sees only its members.
create table users (
  id uuid primary key,
  email text not null check (char_length(email) between 3 and 320),
  name text not null default '',
  password_hash text not null,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table memberships (
  tenant_id uuid not null references tenants (id),
  user_id uuid not null references users (id),
  role text not null check (role in ('owner', 'admin', 'developer', 'operator', 'viewer', 'billing')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index memberships_user_idx on memberships (user_id);
alter table memberships enable row level security;
alter table memberships force row level security;
create policy tenant_isolation on memberships to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on memberships to shoal_system using (true) with check (true);
grant select, insert, update (role), delete on memberships to shoal_app;
grant select, insert on memberships to shoal_system;

alter table users enable row level security;
alter table users force row level security;
create policy member_of_current_tenant on users for select to shoal_app
  using (exists (select 1 from memberships m where m.user_id = users.id));
create policy system_access on users to shoal_system using (true) with check (true);
-- Not password_hash: only sign-in (system role) reads it.
grant select (id, email, name, created_at) on users to shoal_app;
grant select, insert, update (name, password_hash) on users to shoal_system;

create table api_keys (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null,
  role text not null check (role in ('owner', 'admin', 'developer', 'operator', 'viewer', 'billing')),
  key_prefix text not null,
  key_hash text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
create index api_keys_key_hash_idx on api_keys (key_hash);
alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy tenant_isolation on api_keys to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on api_keys to shoal_system using (true) with check (true);
grant select, insert, update (revoked_at) on api_keys to shoal_app;
grant select, insert, update (last_used_at, revoked_at) on api_keys to shoal_system;

create table sessions (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  user_id uuid not null references users (id),
  token_hash text not null,
  csrf_hash text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
create index sessions_token_hash_idx on sessions (token_hash);
create index sessions_expires_idx on sessions (expires_at);
alter table sessions enable row level security;
alter table sessions force row level security;
create policy tenant_isolation on sessions to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on sessions to shoal_system using (true) with check (true);
grant select, insert, update (revoked_at) on sessions to shoal_app;
grant select, insert, update (last_seen_at), delete on sessions to shoal_system;

create table invites (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  email text not null,
  role text not null check (role in ('owner', 'admin', 'developer', 'operator', 'viewer', 'billing')),
  token_hash text not null,
  invited_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
create index invites_token_hash_idx on invites (token_hash);
alter table invites enable row level security;
alter table invites force row level security;
create policy tenant_isolation on invites to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on invites to shoal_system using (true) with check (true);
grant select, insert, update (revoked_at) on invites to shoal_app;
grant select, update (accepted_at, accepted_by) on invites to shoal_system;

-- Mail is written here in the same transaction as the change that sends it; a sender drains it.
create table email_outbox (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  to_address text not null,
  subject text not null,
  body text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  attempts integer not null default 0,
  primary key (tenant_id, id)
);
create index email_outbox_unsent_idx on email_outbox (created_at) where sent_at is null;
alter table email_outbox enable row level security;
alter table email_outbox force row level security;
create policy tenant_isolation on email_outbox to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on email_outbox to shoal_system using (true) with check (true);
grant select, insert on email_outbox to shoal_app;
grant select, update (sent_at, attempts) on email_outbox to shoal_system;

-- Append-only, hash-chained per tenant: hash = sha256(prev_hash || canonical event).
create table audit_events (
  tenant_id uuid not null references tenants (id),
  seq bigint not null check (seq >= 1),
  id uuid not null,
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('user', 'api_key', 'system', 'anonymous')),
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  request_id text,
  ip text,
  result text not null check (result in ('success', 'failure')),
  details jsonb not null default '{}',
  prev_hash text not null,
  hash text not null,
  primary key (tenant_id, seq),
  unique (tenant_id, id)
);
create index audit_events_action_idx on audit_events (tenant_id, action, seq);
alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy tenant_isolation on audit_events to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on audit_events to shoal_system using (true) with check (true);
grant select, insert on audit_events to shoal_app;
grant select, insert on audit_events to shoal_system;
