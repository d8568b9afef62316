-- 0011: billing: effective-dated pricing of plans, and the closed monthly statements of tenants.
-- Design: docs/adr/0008-billing.md.

-- Global like plans: every role reads it, only the system role (operators) writes it. A version
-- applies from its month (first day) until the plan's next one; meters is validated by metering/.
create table plan_prices (
  id bigint generated always as identity primary key,
  plan text not null references plans (name) on delete cascade,
  effective_from date not null check (extract(day from effective_from) = 1),
  base_micro_usd bigint not null check (base_micro_usd >= 0),
  meters jsonb not null check (jsonb_typeof(meters) = 'object'),
  created_at timestamptz not null default now()
);
create unique index plan_prices_plan_month_key on plan_prices (plan, effective_from);
grant select on plan_prices to shoal_app;
grant select, insert, delete on plan_prices to shoal_system;

-- Seeded prices. Tiers count the month's total quantity; unit prices are micro-USD per `per` units.
insert into plan_prices (plan, effective_from, base_micro_usd, meters) values
  ('free', '2000-01-01', 0, '{
    "llm_tokens": {"included": 1000000, "per": 1000000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 2000000}]},
    "llm_cost": {"includedMicroUsd": 0, "markupBps": 0},
    "runs_started": {"included": 1000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 1000000}]},
    "steps_executed": {"included": 10000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 100000}]},
    "worker_seconds": {"included": 3600, "per": 3600, "tiers": [{"upTo": null, "unitPriceMicroUsd": 100000}]}
  }'),
  ('team', '2000-01-01', 49000000, '{
    "llm_tokens": {"included": 10000000, "per": 1000000,
                   "tiers": [{"upTo": 110000000, "unitPriceMicroUsd": 1500000}, {"upTo": null, "unitPriceMicroUsd": 1000000}]},
    "llm_cost": {"includedMicroUsd": 0, "markupBps": 500},
    "runs_started": {"included": 50000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 500000}]},
    "steps_executed": {"included": 500000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 50000}]},
    "worker_seconds": {"included": 360000, "per": 3600, "tiers": [{"upTo": null, "unitPriceMicroUsd": 60000}]}
  }'),
  ('enterprise', '2000-01-01', 2000000000, '{
    "llm_tokens": {"included": 500000000, "per": 1000000,
                   "tiers": [{"upTo": 5500000000, "unitPriceMicroUsd": 1000000}, {"upTo": null, "unitPriceMicroUsd": 600000}]},
    "llm_cost": {"includedMicroUsd": 0, "markupBps": 200},
    "runs_started": {"included": 5000000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 200000}]},
    "steps_executed": {"included": 50000000, "per": 1000, "tiers": [{"upTo": null, "unitPriceMicroUsd": 20000}]},
    "worker_seconds": {"included": 36000000, "per": 3600, "tiers": [{"upTo": null, "unitPriceMicroUsd": 40000}]}
  }');

-- Closed statements: written once by the first generation after the month closed, then only
-- read, so a regeneration returns these bytes (body is text: jsonb would reorder the keys).
create table statements (
  tenant_id uuid not null references tenants (id),
  month date not null check (extract(day from month) = 1),
  -- The month in the tenant's time zone when it closed (the zone may change later).
  period_start timestamptz not null,
  period_end timestamptz not null,
  closed_at timestamptz not null,
  plan text not null,
  pricing_id bigint not null references plan_prices (id),
  total_micro_usd bigint not null check (total_micro_usd >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  body text not null,
  primary key (tenant_id, month),
  check (period_end > period_start)
);
alter table statements enable row level security;
alter table statements force row level security;
create policy tenant_isolation on statements to shoal_app
  using (tenant_id = shoal_current_tenant()) with check (tenant_id = shoal_current_tenant());
create policy system_access on statements to shoal_system using (true) with check (true);
grant select, insert on statements to shoal_app;
grant select, insert on statements to shoal_system;
