-- 0009: the LLM gateway: providers, models, prices, tenant secrets (provider keys), model
-- aliases, the call log, the response cache, rate-limit windows and shared model statistics.
-- Design: docs/adr/0006-llm-gateway.md.

-- Upstreams, global (operators). The platform key is sealed by the master key; only the system
-- role reads it.
create table llm_providers (
  name text primary key check (name ~ '^[a-z][a-z0-9-]{0,39}$'),
  kind text not null check (kind in ('openai', 'anthropic', 'simulated')),
  base_url text check (base_url ~ '^https?://'),
  api_key_sealed text,
  api_key_fingerprint text,
  options jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind = 'simulated' or base_url is not null),
  check ((api_key_sealed is null) = (api_key_fingerprint is null))
);
grant select (name, kind, base_url, api_key_fingerprint, options, enabled, created_at, updated_at)
  on llm_providers to shoal_app;
grant select, insert, update, delete on llm_providers to shoal_system;
insert into llm_providers (name, kind, base_url) values
  ('openai', 'openai', 'https://api.openai.com/v1'),
  ('anthropic', 'anthropic', 'https://api.anthropic.com'),
  ('simulated', 'simulated', null);

create table llm_models (
  provider text not null references llm_providers (name) on delete cascade,
  model text not null check (model ~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$'),
  kind text not null check (kind in ('chat', 'embedding')),
  context_tokens integer not null check (context_tokens > 0),
  created_at timestamptz not null default now(),
  primary key (provider, model)
);
grant select on llm_models to shoal_app;
grant select, insert, update, delete on llm_models to shoal_system;

-- USD per million tokens from effective_from on; a price change is a new row.
create table model_prices (
  id bigint generated always as identity primary key,
  provider text not null,
  model text not null,
  effective_from timestamptz not null,
  input_usd_per_mtok numeric(14, 6) not null check (input_usd_per_mtok >= 0),
  output_usd_per_mtok numeric(14, 6) not null check (output_usd_per_mtok >= 0),
  cached_input_usd_per_mtok numeric(14, 6) not null check (cached_input_usd_per_mtok >= 0),
  created_at timestamptz not null default now(),
  foreign key (provider, model) references llm_models (provider, model) on delete cascade,
  unique (provider, model, effective_from)
);
grant select on model_prices to shoal_app;
grant select, insert, delete on model_prices to shoal_system;

-- Public list prices (USD per 1M tokens) as published by OpenAI and Anthropic in 2025; operators
-- add newer rows with `PUT /v1/operator/models/{provider}/{model}/prices`.
insert into llm_models (provider, model, kind, context_tokens) values
  ('openai', 'gpt-5', 'chat', 400000),
  ('openai', 'gpt-5-mini', 'chat', 400000),
  ('openai', 'gpt-5-nano', 'chat', 400000),
  ('openai', 'gpt-4.1', 'chat', 1047576),
  ('openai', 'gpt-4.1-mini', 'chat', 1047576),
  ('openai', 'gpt-4.1-nano', 'chat', 1047576),
  ('openai', 'gpt-4o', 'chat', 128000),
  ('openai', 'gpt-4o-mini', 'chat', 128000),
  ('openai', 'o3', 'chat', 200000),
  ('openai', 'o4-mini', 'chat', 200000),
  ('openai', 'text-embedding-3-small', 'embedding', 8191),
  ('openai', 'text-embedding-3-large', 'embedding', 8191),
  ('anthropic', 'claude-opus-4-1', 'chat', 200000),
  ('anthropic', 'claude-sonnet-4-5', 'chat', 200000),
  ('anthropic', 'claude-sonnet-4-0', 'chat', 200000),
  ('anthropic', 'claude-haiku-4-5', 'chat', 200000),
  ('anthropic', 'claude-3-5-haiku-latest', 'chat', 200000),
  ('simulated', 'sim-small', 'chat', 128000),
  ('simulated', 'sim-large', 'chat', 200000),
  ('simulated', 'sim-embed', 'embedding', 8191);
insert into model_prices (provider, model, effective_from, input_usd_per_mtok, output_usd_per_mtok,
                          cached_input_usd_per_mtok) values
  ('openai', 'gpt-5', '2025-08-07', 1.25, 10.00, 0.125),
  ('openai', 'gpt-5-mini', '2025-08-07', 0.25, 2.00, 0.025),
  ('openai', 'gpt-5-nano', '2025-08-07', 0.05, 0.40, 0.005),
  ('openai', 'gpt-4.1', '2025-04-14', 2.00, 8.00, 0.50),
  ('openai', 'gpt-4.1-mini', '2025-04-14', 0.40, 1.60, 0.10),
  ('openai', 'gpt-4.1-nano', '2025-04-14', 0.10, 0.40, 0.025),
  ('openai', 'gpt-4o', '2024-10-01', 2.50, 10.00, 1.25),
  ('openai', 'gpt-4o-mini', '2024-07-18', 0.15, 0.60, 0.075),
  ('openai', 'o3', '2025-06-10', 2.00, 8.00, 0.50),
  ('openai', 'o4-mini', '2025-04-16', 1.10, 4.40, 0.275),
  ('openai', 'text-embedding-3-small', '2024-01-25', 0.02, 0, 0.02),
  ('openai', 'text-embedding-3-large', '2024-01-25', 0.13, 0, 0.13),
  ('anthropic', 'claude-opus-4-1', '2025-08-05', 15.00, 75.00, 1.50),
  ('anthropic', 'claude-sonnet-4-5', '2025-09-29', 3.00, 15.00, 0.30),
  ('anthropic', 'claude-sonnet-4-0', '2025-05-22', 3.00, 15.00, 0.30),
  ('anthropic', 'claude-haiku-4-5', '2025-10-15', 1.00, 5.00, 0.10),
  ('anthropic', 'claude-3-5-haiku-latest', '2024-11-04', 0.80, 4.00, 0.08),
  -- The simulated models are priced like small and large real ones, so budgets and routing
  -- behave on a laptop as they will in production; their calls are labelled simulated.
  ('simulated', 'sim-small', '2024-01-01', 0.15, 0.60, 0.075),
  ('simulated', 'sim-large', '2024-01-01', 3.00, 15.00, 0.30),
  ('simulated', 'sim-embed', '2024-01-01', 0.02, 0, 0.02);

create table tenant_model_prices (
  tenant_id uuid not null references tenants (id),
  provider text not null,
  model text not null,
  effective_from timestamptz not null,
  input_usd_per_mtok numeric(14, 6) not null check (input_usd_per_mtok >= 0),
  output_usd_per_mtok numeric(14, 6) not null check (output_usd_per_mtok >= 0),
  cached_input_usd_per_mtok numeric(14, 6) not null check (cached_input_usd_per_mtok >= 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, provider, model, effective_from),
  foreign key (provider, model) references llm_models (provider, model) on delete cascade
);
alter table tenant_model_prices enable row level security;
alter table tenant_model_prices force row level security;
create policy tenant_isolation on tenant_model_prices to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on tenant_model_prices to shoal_system using (true) with check (true);
grant select, insert, delete on tenant_model_prices to shoal_app;
grant select on tenant_model_prices to shoal_system;

-- Sealed tenant secrets: the plaintext never reaches a row, only its fingerprint does.
create table tenant_secrets (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$'),
  kind text not null check (kind in ('provider_key', 'generic')),
  provider text references llm_providers (name) on delete cascade,
  sealed text not null,
  fingerprint text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((kind = 'provider_key') = (provider is not null))
);
create unique index tenant_secrets_name_key on tenant_secrets (tenant_id, name);
create unique index tenant_secrets_provider_key on tenant_secrets (tenant_id, provider)
  where kind = 'provider_key';
alter table tenant_secrets enable row level security;
alter table tenant_secrets force row level security;
create policy tenant_isolation on tenant_secrets to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert, update (sealed, fingerprint, updated_at), delete on tenant_secrets to shoal_app;

-- Master-key rotation re-wraps data keys in place (the data key itself does not change).
alter table tenant_keys add column rewrapped_at timestamptz;
grant update (master_key_id, wrapped_key, rewrapped_at) on tenant_keys to shoal_app;

create table model_aliases (
  tenant_id uuid not null references tenants (id),
  name text not null check (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  spec jsonb not null,
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);
alter table model_aliases enable row level security;
alter table model_aliases force row level security;
create policy tenant_isolation on model_aliases to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
grant select, insert, update (spec, version, updated_at), delete on model_aliases to shoal_app;

-- The gateway's record of every call, the input of metering (issue 6).
create table llm_calls (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  idempotency_key text,
  api_key_id uuid,
  run_id uuid,
  step_id text,
  operation text not null check (operation in ('chat', 'embedding')),
  alias text,
  provider text,
  model text,
  price_id bigint,
  price_source text check (price_source in ('catalog', 'tenant')),
  tokens_in integer not null default 0 check (tokens_in >= 0),
  tokens_out integer not null default 0 check (tokens_out >= 0),
  tokens_cached integer not null default 0 check (tokens_cached >= 0),
  cost_micro_usd bigint not null default 0 check (cost_micro_usd >= 0),
  latency_ms integer not null check (latency_ms >= 0),
  ttft_ms integer check (ttft_ms >= 0),
  cache_hit boolean not null default false,
  simulated boolean not null default false,
  streamed boolean not null default false,
  attempts jsonb not null default '[]'::jsonb,
  outcome text not null check (outcome in ('succeeded', 'failed', 'refused')),
  error_code text,
  -- Kept only for calls with an idempotency key: what a retry of the same key gets back.
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index llm_calls_idempotency_key on llm_calls (tenant_id, idempotency_key)
  where idempotency_key is not null;
create index llm_calls_created_idx on llm_calls (tenant_id, created_at);
alter table llm_calls enable row level security;
alter table llm_calls force row level security;
create policy tenant_isolation on llm_calls to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on llm_calls to shoal_system using (true) with check (true);
grant select, insert on llm_calls to shoal_app;
grant select, insert on llm_calls to shoal_system;

create table llm_cache (
  tenant_id uuid not null references tenants (id),
  key text not null,
  response jsonb not null,
  provider text not null,
  model text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (tenant_id, key)
);
create index llm_cache_expires_idx on llm_cache (tenant_id, expires_at);
alter table llm_cache enable row level security;
alter table llm_cache force row level security;
create policy tenant_isolation on llm_cache to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on llm_cache to shoal_system using (true) with check (true);
grant select, insert, update (response, provider, model, created_at, expires_at), delete on llm_cache to shoal_app;
grant select, insert, update (response, provider, model, created_at, expires_at), delete on llm_cache to shoal_system;

-- Rate-limit allowance handed out to processes, per scope and one-minute window.
create table llm_rate_windows (
  tenant_id uuid not null references tenants (id),
  scope text not null check (scope ~ '^(tenant|key:[0-9a-f-]{36})$'),
  window_start timestamptz not null,
  requests_granted integer not null default 0 check (requests_granted >= 0),
  tokens_granted bigint not null default 0 check (tokens_granted >= 0),
  primary key (tenant_id, scope, window_start)
);
alter table llm_rate_windows enable row level security;
alter table llm_rate_windows force row level security;
create policy tenant_isolation on llm_rate_windows to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on llm_rate_windows to shoal_system using (true) with check (true);
grant select on llm_rate_windows to shoal_app;
grant select, insert, update (requests_granted, tokens_granted), delete on llm_rate_windows to shoal_system;

-- Observed health of each model, shared by every tenant's routing: counts, never content.
create table llm_model_stats (
  provider text not null,
  model text not null,
  bucket timestamptz not null,
  requests integer not null default 0,
  errors integer not null default 0,
  latency_ms_sum bigint not null default 0,
  ttft_ms_sum bigint not null default 0,
  ttft_count integer not null default 0,
  primary key (provider, model, bucket)
);
grant select on llm_model_stats to shoal_app;
grant select, insert, update (requests, errors, latency_ms_sum, ttft_ms_sum, ttft_count), delete
  on llm_model_stats to shoal_system;

-- Requests per minute through the gateway, per plan and override, beside the token limit.
alter table plans add column llm_requests_per_minute integer not null default 60
  check (llm_requests_per_minute >= 0);
update plans set llm_requests_per_minute = 600 where name = 'team';
update plans set llm_requests_per_minute = 6000 where name = 'enterprise';
alter table tenant_limits add column llm_requests_per_minute integer check (llm_requests_per_minute >= 0);
create or replace view tenant_effective_limits with (security_invoker = true) as
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
       coalesce(l.pool, 'shared') as pool,
       coalesce(l.llm_requests_per_minute, p.llm_requests_per_minute) as llm_requests_per_minute
  from tenants t join plans p on p.name = t.plan left join tenant_limits l on l.tenant_id = t.id;

-- Per-key limits (null: only the tenant's apply).
alter table api_keys add column llm_requests_per_minute integer check (llm_requests_per_minute >= 0);
alter table api_keys add column llm_tokens_per_minute integer check (llm_tokens_per_minute >= 0);
