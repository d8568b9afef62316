import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE, SYSTEM_ROLE, type Database, type Queryable } from '../../src/db/index.ts';
import { createTaskFixture, sampleDefinition } from '../support/route-fixtures.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { claimStep, createRun, NO_RETRY } from '../../src/engine/index.ts';
import { seedWorkflowVersion } from '../support/engine.ts';

/**
 * Tenant isolation read from the catalog: every table in `public` with a `tenant_id` column
 * (and `tenants`, keyed by `id`) is found by walking pg_class, so a table added by a later
 * migration is checked without touching this file.
 */

interface TenantTable {
  name: string;
  /** The column holding the tenant: `id` for `tenants`, `tenant_id` everywhere else. */
  key: string;
  rls: boolean;
  force: boolean;
}

const CURRENT_TENANT = 'shoal_current_tenant()';
const ROLES = [APP_ROLE, SYSTEM_ROLE] as const;
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tenantTables(owner: Queryable): Promise<TenantTable[]> {
  const result = await owner.query<{ name: string; rls: boolean; force: boolean }>(
    `select c.relname as "name", c.relrowsecurity as "rls", c.relforcerowsecurity as "force"
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.relname = 'tenants' or exists (
          select 1 from pg_attribute a
           where a.attrelid = c.oid and a.attname = 'tenant_id' and a.attnum > 0 and not a.attisdropped))
      order by c.relname`,
  );
  return result.rows.map((row) => ({ ...row, key: row.name === 'tenants' ? 'id' : 'tenant_id' }));
}

/** Runs `fn` in a transaction of `tenantId` that always rolls back; returns what `fn` returned. */
async function inRolledBackTx<T>(
  db: Database,
  tenantId: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const sentinel = new Error('roll back');
  const seen: T[] = [];
  await expect(
    db.tenantTx(tenantId, async (tx) => {
      seen.push(await fn(tx));
      throw sentinel;
    }),
  ).rejects.toBe(sentinel);
  return seen[0] as T;
}

/** Runs `fn` in a transaction of `tenantId`; returns the error it raised, or null. */
async function errorInTx(
  db: Database,
  tenantId: string,
  fn: (tx: Queryable) => Promise<unknown>,
): Promise<{ code?: string; message: string } | null> {
  try {
    await db.tenantTx(tenantId, fn);
    return null;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}

describe('row-level security catalog', () => {
  let t: TestDatabase;
  let tables: TenantTable[];
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tables = await t.db.ownerTx(tenantTables);
    // Rows in every table we know how to fill, for two tenants, so the visibility checks bite.
    const app = createTestApp(t.db);
    a = await seedTenant(t.db, 'rls-a');
    b = await seedTenant(t.db, 'rls-b');
    for (const tenant of [a, b]) {
      const invite = await app.inject({
        method: 'POST',
        url: '/v1/invites',
        headers: bearer(tenant.keys.owner),
        payload: { email: `inv-${tenant.tenantId}@example.test`, role: 'viewer' },
      });
      expect(invite.statusCode).toBe(201);
      const login = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email: tenant.ownerEmail, password: tenant.password },
      });
      expect(login.statusCode).toBe(201);
      const workflow = await app.inject({
        method: 'POST',
        url: '/v1/workflows',
        headers: bearer(tenant.keys.owner),
        payload: { definition: sampleDefinition(`rls-${tenant === a ? 'a' : 'b'}`) },
      });
      expect(workflow.statusCode).toBe(200);
      // Triggers: a webhook (and the tenant's data key that seals its secret), a schedule, an event.
      const name = `rls-${tenant === a ? 'a' : 'b'}`;
      for (const [url, payload] of [
        [`/v1/workflows/${name}/webhook`, undefined],
        ['/v1/schedules', { workflow: name, cron: '0 * * * *' }],
        ['/v1/events', { name: 'rls.seeded', payload: {} }],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: bearer(tenant.keys.owner),
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    await app.close();
    // Engine rows: a run with two queued steps per tenant, both claimed (attempts, leased queue rows).
    for (const tenant of [a, b]) {
      const workflowId = await seedWorkflowVersion(t.db, tenant.tenantId);
      const steps = ['x', 'y'].map((id) => ({ key: id, id, type: 'transform', needs: [], retry: NO_RETRY }));
      await t.db.tenantTx(tenant.tenantId, (tx) =>
        createRun(tx, tenant.tenantId, { workflowId, workflowVersion: 1, input: {}, steps }),
      );
    }
    for (let i = 0; i < 4; i += 1) {
      await t.db.systemTx((sys) => claimStep(sys, { pool: 'shared', workerId: 'rls', leaseMs: 60_000 }));
    }
    // Tasks: a task step parked with its task, per tenant, on a queue of the same name.
    for (const tenant of [a, b]) await createTaskFixture(t.db, tenant, { queue: 'rls', leased: true });
    // Scheduling: an operator's override per tenant (tenant_sched and tenant_counters come with the tenant).
    for (const tenant of [a, b]) {
      await t.db.systemTx((sys) =>
        sys.query('insert into tenant_limits (tenant_id, weight) values ($1, 3)', [tenant.tenantId]),
      );
    }
    // Gateway: an alias, a price override, a provider key, a call, a cache entry and a rate window per tenant.
    for (const tenant of [a, b]) {
      await t.db.ownerTx(async (tx) => {
        await tx.query(`insert into model_aliases (tenant_id, name, spec) values ($1, 'rls', '{}')`, [
          tenant.tenantId,
        ]);
        await tx.query(
          `insert into tenant_model_prices (tenant_id, provider, model, effective_from, input_usd_per_mtok,
                                            output_usd_per_mtok, cached_input_usd_per_mtok)
           values ($1, 'simulated', 'sim-small', '2025-01-01', 1, 1, 1)`,
          [tenant.tenantId],
        );
        await tx.query(
          `insert into tenant_secrets (tenant_id, id, name, kind, provider, sealed, fingerprint, created_by)
           values ($1, $2, 'provider:openai', 'provider_key', 'openai', 'v1.x.y.z', 'sha256:rls', 'rls')`,
          [tenant.tenantId, crypto.randomUUID()],
        );
        await tx.query(
          `insert into llm_calls (tenant_id, id, operation, latency_ms, outcome) values ($1, $2, 'chat', 1, 'refused')`,
          [tenant.tenantId, crypto.randomUUID()],
        );
        await tx.query(
          `insert into llm_cache (tenant_id, key, response, provider, model, expires_at)
           values ($1, 'rls', '{}', 'simulated', 'sim-small', now())`,
          [tenant.tenantId],
        );
        await tx.query(
          `insert into llm_rate_windows (tenant_id, scope, window_start) values ($1, 'tenant', '2025-01-01')`,
          [tenant.tenantId],
        );
      });
    }
    // Metering: a budget with a period and a lease, and a usage event, per tenant.
    for (const tenant of [a, b]) {
      await t.db.ownerTx(async (tx) => {
        const budget = crypto.randomUUID();
        await tx.query(
          `insert into budgets (tenant_id, id, name, scope, period, limit_micro_usd, kind)
           values ($1, $2, 'rls', 'tenant', 'daily', 1000, 'hard')`,
          [tenant.tenantId, budget],
        );
        await tx.query(
          `insert into budget_periods (tenant_id, budget_id, period_start, period_end, leased_micro_usd)
           values ($1, $2, '2025-01-01', '2025-01-02', 10)`,
          [tenant.tenantId, budget],
        );
        await tx.query(
          `insert into budget_leases (tenant_id, budget_id, period_start, process_id, amount_micro_usd, expires_at)
           values ($1, $2, '2025-01-01', 'rls', 10, now())`,
          [tenant.tenantId, budget],
        );
        await tx.query(
          `insert into usage_events (tenant_id, key, kind, occurred_at) values ($1, 'run:rls', 'run_started', now())`,
          [tenant.tenantId],
        );
        // Alerts: a webhook, then an alert, whose outbox row the alert's trigger writes.
        const webhook = crypto.randomUUID();
        await tx.query(
          `insert into alert_webhooks (tenant_id, id, url, secret_sealed, secret_fingerprint, created_by)
           values ($1, $2, 'https://rls.example.test/', 'x', 'sha256:rls', 'rls')`,
          [tenant.tenantId, webhook],
        );
        await tx.query(
          `insert into budget_alerts (tenant_id, budget_id, budget_name, kind, threshold, period_start, period_end,
                                      limit_micro_usd, spent_micro_usd)
           values ($1, $2, 'rls', 'threshold', 50, '2025-01-01', '2025-01-02', 1000, 500)`,
          [tenant.tenantId, budget],
        );
        await tx.query(
          `insert into statements (tenant_id, month, period_start, period_end, closed_at, plan, pricing_id,
                                   total_micro_usd, sha256, body)
           select $1, '2025-01-01', '2025-01-01', '2025-02-01', '2025-02-02', 'free', id, 0, repeat('0', 64), '{}'
             from plan_prices where plan = 'free' limit 1`,
          [tenant.tenantId],
        );
      });
    }
  });
  afterAll(() => t.drop());

  it('finds the tenant-owned tables by walking the catalog', () => {
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'tenants',
        'memberships',
        'api_keys',
        'sessions',
        'invites',
        'email_outbox',
        'audit_events',
        'workflows',
        'workflow_versions',
        'runs',
        'run_steps',
        'step_attempts',
        'step_queue',
        'tenant_limits',
        'tenant_sched',
        'tenant_counters',
        'tenant_run_ends',
      ]),
    );
  });

  it('every tenant table has row level security enabled and forced', () => {
    const lax = tables
      .filter((table) => !table.rls || !table.force)
      .map((table) => `${table.name} (rls=${table.rls}, force=${table.force})`);
    expect(lax, 'tables without ENABLE + FORCE ROW LEVEL SECURITY').toEqual([]);
  });

  it('every tenant table has a policy for shoal_app whose USING and WITH CHECK are on the current tenant', async () => {
    const policies = await t.db.ownerTx((tx) =>
      tx.query<{
        table: string;
        name: string;
        cmd: string;
        permissive: boolean;
        using: string | null;
        check: string | null;
      }>(
        `select c.relname as "table", p.polname as "name", p.polcmd::text as "cmd", p.polpermissive as "permissive",
                pg_get_expr(p.polqual, p.polrelid) as "using", pg_get_expr(p.polwithcheck, p.polrelid) as "check"
           from pg_policy p join pg_class c on c.oid = p.polrelid
          where p.polroles && array[0::oid, (select oid from pg_roles where rolname = $1)]`,
        [APP_ROLE],
      ),
    );
    const missing = tables
      .filter(
        (table) =>
          !policies.rows.some(
            (p) =>
              p.table === table.name &&
              p.permissive &&
              p.cmd === '*' &&
              p.using?.includes(CURRENT_TENANT) === true &&
              p.using.includes(table.key) &&
              p.check?.includes(CURRENT_TENANT) === true &&
              p.check.includes(table.key),
          ),
      )
      .map((table) => table.name);
    expect(
      missing,
      `tables without a FOR ALL policy to ${APP_ROLE} using and checking ${CURRENT_TENANT}`,
    ).toEqual([]);
  });

  it('no permissive policy lets shoal_app past the current tenant', async () => {
    // Permissive policies are OR-ed: one `using (true)` for shoal_app or PUBLIC undoes the rest.
    const policies = await t.db.ownerTx((tx) =>
      tx.query<{ table: string; name: string; using: string | null; check: string | null }>(
        `select c.relname as "table", p.polname as "name",
                pg_get_expr(p.polqual, p.polrelid) as "using", pg_get_expr(p.polwithcheck, p.polrelid) as "check"
           from pg_policy p join pg_class c on c.oid = p.polrelid
          where p.polpermissive and p.polroles && array[0::oid, (select oid from pg_roles where rolname = $1)]`,
        [APP_ROLE],
      ),
    );
    const names = new Set(tables.map((table) => table.name));
    const open = policies.rows
      .filter((p) => names.has(p.table))
      .filter(
        (p) =>
          !(p.using ?? p.check ?? '').includes(CURRENT_TENANT) ||
          (p.check !== null && !p.check.includes(CURRENT_TENANT)),
      )
      .map((p) => `${p.table}.${p.name}: using ${p.using ?? '-'} check ${p.check ?? '-'}`);
    expect(open).toEqual([]);
  });

  it('the tenant column leads the primary key and every unique index', async () => {
    const indexes = await t.db.ownerTx((tx) =>
      tx.query<{ table: string; index: string; primary: boolean; first: string | null }>(
        `select c.relname as "table", ic.relname as "index", i.indisprimary as "primary",
                (select a.attname from pg_attribute a where a.attrelid = i.indrelid and a.attnum = i.indkey[0]) as "first"
           from pg_index i
           join pg_class c on c.oid = i.indrelid
           join pg_class ic on ic.oid = i.indexrelid
           join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and (i.indisprimary or i.indisunique)`,
      ),
    );
    const problems: string[] = [];
    for (const table of tables) {
      const own = indexes.rows.filter((row) => row.table === table.name);
      if (!own.some((row) => row.primary)) problems.push(`${table.name}: no primary key`);
      for (const row of own) {
        if (row.first !== table.key)
          problems.push(
            `${table.name}: ${row.index} starts with ${row.first ?? 'an expression'}, not ${table.key}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('the app and system roles are not superusers, cannot bypass RLS and belong to no other role', async () => {
    const roles = await t.db.ownerTx((tx) =>
      tx.query<{ name: string; superuser: boolean; bypassrls: boolean; memberOf: number }>(
        `select r.rolname as "name", r.rolsuper as "superuser", r.rolbypassrls as "bypassrls",
                (select count(*)::int from pg_auth_members m where m.member = r.oid) as "memberOf"
           from pg_roles r where r.rolname = any($1) order by r.rolname`,
        [[...ROLES]],
      ),
    );
    expect(roles.rows).toEqual(
      [...ROLES].sort().map((name) => ({ name, superuser: false, bypassrls: false, memberOf: 0 })),
    );
  });

  it('the app and system roles own no table, function, type or schema and cannot create tables', async () => {
    const owned = await t.db.ownerTx((tx) =>
      tx.query<{ kind: string; name: string }>(
        `with r as (select oid from pg_roles where rolname = any($1))
         select 'relation' as "kind", relname::text as "name" from pg_class where relowner in (select oid from r)
         union all select 'function', proname::text from pg_proc where proowner in (select oid from r)
         union all select 'type', typname::text from pg_type where typowner in (select oid from r)
         union all select 'schema', nspname::text from pg_namespace where nspowner in (select oid from r)
         union all select 'create on public', rolname::text from pg_roles
          where rolname = any($1) and has_schema_privilege(rolname, 'public', 'CREATE')`,
        [[...ROLES]],
      ),
    );
    expect(owned.rows).toEqual([]);
  });

  it('shoal_app with row_security off gets an error, not the rows of other tenants', async () => {
    for (const table of tables) {
      const canSelect = await t.db.ownerTx((tx) =>
        tx.query<{ ok: boolean }>(`select has_table_privilege($1::name, $2::text, 'SELECT') as "ok"`, [
          APP_ROLE,
          table.name,
        ]),
      );
      const error = await errorInTx(t.db, a.tenantId, async (tx) => {
        await tx.query('set row_security = off');
        return tx.query(`select * from ${quoteIdent(table.name)}`);
      });
      expect(error, table.name).not.toBeNull();
      expect(error?.code, table.name).toBe('42501');
      expect(error?.message, table.name).toMatch(
        canSelect.rows[0]?.ok ? /query would be affected by row-level security policy/ : /permission denied/,
      );
    }
    // The failed transactions rolled the session setting back with them.
    const setting = await t.db.tenantTx(a.tenantId, (tx) =>
      tx.query<{ v: string }>(`select current_setting('row_security') as "v"`),
    );
    expect(setting.rows[0]?.v).toBe('on');
  });

  it('every tenant table has rows for two tenants, so the visibility checks below are not vacuous', async () => {
    const empty: string[] = [];
    for (const table of tables) {
      const counts = await t.db.ownerTx((tx) =>
        tx.query<{ n: number }>(
          `select count(*)::int as "n" from ${quoteIdent(table.name)} where ${quoteIdent(table.key)} = any($1::uuid[]) group by ${quoteIdent(table.key)}`,
          [[a.tenantId, b.tenantId]],
        ),
      );
      if (counts.rows.length < 2) empty.push(table.name);
    }
    expect(empty, 'tenant tables without seeded rows for both tenants: seed them in beforeAll').toEqual([]);
  });

  it("tenant A sees exactly its own rows in every tenant table and none of tenant B's", async () => {
    for (const table of tables) {
      const col = quoteIdent(table.key);
      const expected = await t.db.ownerTx((tx) =>
        tx.query<{ n: number }>(
          `select count(*)::int as "n" from ${quoteIdent(table.name)} where ${col} = $1`,
          [a.tenantId],
        ),
      );
      const seen = await t.db.tenantTx(a.tenantId, (tx) =>
        tx.query<{ own: number; foreign: number }>(
          `select count(*) filter (where ${col} = $1)::int as "own", count(*) filter (where ${col} <> $1)::int as "foreign"
             from ${quoteIdent(table.name)}`,
          [a.tenantId],
        ),
      );
      expect(seen.rows[0], table.name).toEqual({ own: expected.rows[0]?.n, foreign: 0 });
    }
  });

  it('shoal_app with no tenant bound sees zero rows in every tenant table', async () => {
    for (const table of tables) {
      const seen = await t.db.tenantTx(a.tenantId, async (tx) => {
        await tx.query(`select set_config('shoal.tenant_id', '', true)`);
        return tx.query<{ n: number }>(`select count(*)::int as "n" from ${quoteIdent(table.name)}`);
      });
      expect(seen.rows[0]?.n, table.name).toBe(0);
    }
  });

  it("tenant A cannot insert a row carrying tenant B's id into any tenant table", async () => {
    for (const table of tables) {
      const col = quoteIdent(table.key);
      const insert = `insert into ${quoteIdent(table.name)} (${col}) values ($1)`;
      const canInsert = await t.db.ownerTx((tx) =>
        tx.query<{ ok: boolean }>(
          `select has_column_privilege($1::name, $2::text, $3::text, 'INSERT') as "ok"`,
          [APP_ROLE, table.name, table.key],
        ),
      );
      const foreign = await errorInTx(t.db, a.tenantId, (tx) => tx.query(insert, [b.tenantId]));
      expect(foreign?.code, table.name).toBe('42501');
      if (canInsert.rows[0]?.ok) {
        expect(foreign?.message, table.name).toMatch(/new row violates row-level security policy/);
        // The same insert with the caller's own id gets past the policy (to the NOT NULL checks).
        const own = await inRolledBackTx(t.db, a.tenantId, async (tx) => {
          try {
            await tx.query(insert, [a.tenantId]);
            return null;
          } catch (error) {
            return error as { code?: string };
          }
        });
        expect(own?.code, table.name).not.toBe('42501');
      }
    }
  });

  it('tenant A cannot move its own rows to tenant B', async () => {
    for (const table of tables) {
      const col = quoteIdent(table.key);
      const error = await errorInTx(t.db, a.tenantId, (tx) =>
        tx.query(`update ${quoteIdent(table.name)} set ${col} = $2 where ${col} = $1`, [
          a.tenantId,
          b.tenantId,
        ]),
      );
      // Either no UPDATE grant on the column or the WITH CHECK refuses it; both are 42501.
      expect(error?.code, table.name).toBe('42501');
    }
    const stillThere = await t.db.tenantTx(a.tenantId, (tx) =>
      tx.query<{ n: number }>('select count(*)::int as "n" from api_keys'),
    );
    expect(stillThere.rows[0]?.n).toBeGreaterThan(0);
  });
});
