-- 0002: workflow definitions and their immutable versions.
-- Same rules as 0001 (docs/adr/0002-tenant-isolation.md): tenant_id first in every primary key
-- and unique index, ENABLE + FORCE row level security, one shoal_app policy with USING and
-- WITH CHECK on the current tenant, and only the grants the code needs. No shoal_system access:
-- nothing cross-tenant reads definitions yet.

create table workflows (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (name ~ '^[a-z0-9][a-z0-9_-]{0,99}$'),
  latest_version integer not null default 0 check (latest_version >= 0),
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  primary key (tenant_id, id)
);
create unique index workflows_name_key on workflows (tenant_id, name);
alter table workflows enable row level security;
alter table workflows force row level security;
create policy tenant_isolation on workflows to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert, update (latest_version, updated_at, archived_at) on workflows to shoal_app;

-- Versions are immutable: the app role may add them, never change or delete them.
create table workflow_versions (
  tenant_id uuid not null,
  workflow_id uuid not null,
  version integer not null check (version >= 1),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  definition jsonb not null,
  source text not null,
  source_format text not null check (source_format in ('yaml', 'json')),
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, workflow_id, version),
  foreign key (tenant_id, workflow_id) references workflows (tenant_id, id)
);
alter table workflow_versions enable row level security;
alter table workflow_versions force row level security;
create policy tenant_isolation on workflow_versions to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert on workflow_versions to shoal_app;
