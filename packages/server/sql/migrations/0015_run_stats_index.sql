-- 0015: the tenant observability API (engine/run-stats.ts) counts a tenant's runs created in a
-- time range; runs_state_idx leads with the state, so without this it reads all the tenant's runs.
create index runs_created_idx on runs (tenant_id, created_at);
