import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { APP_ROLE, SYSTEM_ROLE, sqlState, type Database, type Queryable } from '../../src/db/index.ts';
import { ROLES, type Role } from '../../src/identity/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';

/**
 * The tenant is bound per transaction, never per connection. Thousands of concurrent
 * transactions on a pool of two connections (PGlite: its one connection), some failing in
 * every way a transaction can, must each see only their own tenant; system transactions
 * in between must see none. Rerun a failure with SHOAL_TEST_SEED=<seed>.
 */

const TENANT_COUNT = 10;
const DB_OPERATIONS = 3000;
const HTTP_REQUESTS = 2500;
const SEED = TEST_SEED;

class InjectedFailure extends Error {
  constructor(readonly n: number) {
    super(`injected failure #${n}`);
  }
}

const DB_KINDS = [
  'read',
  'read',
  'read',
  'throw',
  'throw',
  'invalid',
  'invalid',
  'sleep',
  'sleep',
  'system',
] as const;
type DbKind = (typeof DB_KINDS)[number];

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

describe('tenant context under concurrency', () => {
  let t: TestDatabase;
  /** A pool of two on PostgreSQL, so transactions of different tenants take turns on each connection. */
  let db: Database;
  let tenants: TestTenant[];
  let keyIdsOf: Map<string, string[]>;

  beforeAll(async () => {
    t = await createTestDatabase();
    db = t.driver === 'postgres' ? t.reopen({ poolSize: 2 }) : t.db;
    tenants = [];
    for (let i = 0; i < TENANT_COUNT; i += 1) tenants.push(await seedTenant(t.db, `leak-${i}`));
    keyIdsOf = new Map(tenants.map((tenant) => [tenant.tenantId, Object.values(tenant.keyIds)]));
  });
  afterAll(async () => {
    if (db && db !== t.db) await db.close();
    await t?.drop();
  });

  /** What a tenant transaction sees of its context and rows; an empty list when it is all its own. */
  async function observe(tx: Queryable, tenantId: string): Promise<string[]> {
    const problems: string[] = [];
    const context = await tx.query<{ tenant: string | null; role: string }>(
      `select current_setting('shoal.tenant_id', true) as tenant, current_user as role`,
    );
    if (context.rows[0]?.tenant !== tenantId)
      problems.push(`context is ${context.rows[0]?.tenant ?? 'unset'}`);
    if (context.rows[0]?.role !== APP_ROLE) problems.push(`runs as ${context.rows[0]?.role ?? '?'}`);
    const keys = await tx.query<{ tenant_id: string; id: string }>('select tenant_id, id from api_keys');
    const foreign = keys.rows.filter((row) => row.tenant_id !== tenantId);
    if (foreign.length > 0)
      problems.push(`sees ${foreign.length} api keys of ${foreign[0]?.tenant_id ?? '?'}`);
    if (
      !sameIds(
        keys.rows.map((row) => row.id),
        keyIdsOf.get(tenantId) ?? [],
      )
    )
      problems.push('sees a different set of api keys');
    const visible = await tx.query<{ id: string }>('select id from tenants');
    if (
      !sameIds(
        visible.rows.map((row) => row.id),
        [tenantId],
      )
    ) {
      problems.push(`sees tenants ${visible.rows.map((row) => row.id).join(', ')}`);
    }
    return problems;
  }

  /** Runs one operation; resolves to what went wrong with it (an empty list when nothing did). */
  async function runDbOperation(n: number, kind: DbKind, tenantId: string): Promise<string[]> {
    if (kind === 'system') {
      const seen = await db.systemTx((tx) =>
        tx.query<{ tenant: string | null; role: string }>(
          `select current_setting('shoal.tenant_id', true) as tenant, current_user as role`,
        ),
      );
      const row = seen.rows[0];
      const problems: string[] = [];
      if (row?.tenant) problems.push(`system transaction sees tenant ${row.tenant}`);
      if (row?.role !== SYSTEM_ROLE) problems.push(`system transaction runs as ${row?.role ?? '?'}`);
      return problems;
    }
    const problems: string[] = [];
    try {
      await db.tenantTx(tenantId, async (tx) => {
        // A third of the invalid statements come first, a third after reading, and a third
        // fail after reading with their error swallowed, so the transaction body returns.
        if (kind === 'invalid' && n % 3 === 0) await tx.query('select 1 / 0');
        problems.push(...(await observe(tx, tenantId)));
        if (kind === 'sleep') {
          await tx.query('select pg_sleep(0.001)');
          problems.push(...(await observe(tx, tenantId)).map((p) => `after sleep: ${p}`));
        }
        if (kind === 'throw') throw new InjectedFailure(n);
        if (kind === 'invalid' && n % 3 === 1) await tx.query('select * from no_such_table_for_leak_test');
        if (kind === 'invalid' && n % 3 === 2)
          await tx.query('select * from no_such_table_for_leak_test').catch(() => undefined);
      });
      if (kind === 'throw' || kind === 'invalid') problems.push('reported as committed although it failed');
    } catch (error) {
      // 25P02: the body returned, but a statement had failed, so COMMIT rolled back.
      const expectedState = ['22012', '42P01', '25P02'][n % 3];
      const expected =
        (kind === 'throw' && error instanceof InjectedFailure && error.n === n) ||
        (kind === 'invalid' && sqlState(error) === expectedState);
      if (!expected) problems.push(`failed unexpectedly: ${String(error)}`);
    }
    return problems;
  }

  it(
    'thousands of concurrent tenant transactions, failing or not, each see only their own tenant',
    { timeout: 180_000 },
    async () => {
      onTestFailed(() => {
        console.error(`tenant-context seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
      });
      const random = createRandom(SEED);
      const plan = Array.from({ length: DB_OPERATIONS }, (_, n) => ({
        n,
        kind: random.pick(DB_KINDS),
        tenantId: random.pick(tenants).tenantId,
      }));
      const results = await Promise.all(
        plan.map(async ({ n, kind, tenantId }) =>
          (await runDbOperation(n, kind, tenantId)).map(
            (problem) => `#${n} ${kind}${kind === 'system' ? '' : ` for ${tenantId}`}: ${problem}`,
          ),
        ),
      );
      const problems = results.flat();
      expect(problems.slice(0, 20), `seed ${SEED}: ${problems.length} problems`).toEqual([]);
      const kinds = new Set(plan.map((op) => op.kind));
      expect([...kinds].sort()).toEqual(['invalid', 'read', 'sleep', 'system', 'throw']);

      // The connections are still healthy and unbound once the storm is over.
      for (const tenant of tenants)
        expect(await db.tenantTx(tenant.tenantId, (tx) => observe(tx, tenant.tenantId))).toEqual([]);
      const after = await db.systemTx((tx) =>
        tx.query<{ tenant: string | null }>(`select current_setting('shoal.tenant_id', true) as tenant`),
      );
      expect(after.rows[0]?.tenant ?? '').toBe('');
    },
  );

  describe('through the HTTP API', () => {
    let app: ApiServer;
    beforeAll(() => {
      app = createTestApp(db);
    });
    afterAll(() => app.close());

    type RequestKind =
      | 'tenant'
      | 'keys'
      | 'keysForbidden'
      | 'tenantForbidden'
      | 'badJson'
      | 'badId'
      | 'unknownKey'
      | 'unknownField'
      | 'badKey';
    const REQUEST_KINDS: readonly RequestKind[] = [
      'tenant',
      'tenant',
      'tenant',
      'keys',
      'keys',
      'keys',
      'keysForbidden',
      'tenantForbidden',
      'badJson',
      'badId',
      'unknownKey',
      'unknownField',
      'badKey',
    ];
    const EXPECTED: Record<RequestKind, { status: number; code?: string }> = {
      tenant: { status: 200 },
      keys: { status: 200 },
      keysForbidden: { status: 403, code: 'FORBIDDEN' },
      tenantForbidden: { status: 403, code: 'FORBIDDEN' },
      badJson: { status: 400, code: 'MALFORMED_JSON' },
      badId: { status: 400, code: 'VALIDATION_FAILED' },
      unknownKey: { status: 404, code: 'NOT_FOUND' },
      unknownField: { status: 400, code: 'UNKNOWN_FIELD' },
      badKey: { status: 401, code: 'API_KEY_MALFORMED' },
    };
    const READERS: readonly Role[] = ['owner', 'admin', 'developer'];
    const NOT_READERS: readonly Role[] = ['operator', 'viewer', 'billing'];
    const NOT_WRITERS: readonly Role[] = ['developer', 'operator', 'viewer', 'billing'];

    function request(kind: RequestKind, tenant: TestTenant, role: Role) {
      const as = bearer(tenant.keys[role]);
      const json = { ...as, 'content-type': 'application/json' };
      switch (kind) {
        case 'tenant':
          return app.inject({ method: 'GET', url: '/v1/tenant', headers: as });
        case 'keys':
        case 'keysForbidden':
          return app.inject({ method: 'GET', url: '/v1/api-keys', headers: as });
        case 'tenantForbidden':
          return app.inject({
            method: 'PATCH',
            url: '/v1/tenant',
            headers: as,
            payload: { name: 'taken over' },
          });
        case 'badJson':
          return app.inject({
            method: 'POST',
            url: '/v1/api-keys',
            headers: json,
            payload: '{"name": "half',
          });
        case 'badId':
          return app.inject({ method: 'GET', url: '/v1/api-keys/not-a-uuid', headers: as });
        case 'unknownKey':
          return app.inject({ method: 'DELETE', url: `/v1/api-keys/${randomUUID()}`, headers: as });
        case 'unknownField':
          return app.inject({
            method: 'POST',
            url: '/v1/api-keys',
            headers: as,
            payload: { name: 'x', role: 'viewer', tenantId: tenant.tenantId },
          });
        case 'badKey':
          return app.inject({ method: 'GET', url: '/v1/tenant', headers: bearer('shoal_not_a_real_key') });
      }
    }

    it(
      'concurrent requests mixed with failing ones only ever answer with the caller’s tenant',
      { timeout: 180_000 },
      async () => {
        onTestFailed(() => {
          console.error(`tenant-context seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
        });
        const random = createRandom(SEED ^ 0x5bd1e995);
        const plan = Array.from({ length: HTTP_REQUESTS }, (_, n) => {
          const kind = random.pick(REQUEST_KINDS);
          const tenant = random.pick(tenants);
          const role =
            kind === 'keys' ||
            kind === 'badJson' ||
            kind === 'badId' ||
            kind === 'unknownKey' ||
            kind === 'unknownField'
              ? random.pick(READERS)
              : kind === 'keysForbidden'
                ? random.pick(NOT_READERS)
                : kind === 'tenantForbidden'
                  ? random.pick(NOT_WRITERS)
                  : random.pick(ROLES);
          return { n, kind, tenant, role };
        });
        const results = await Promise.all(
          plan.map(async ({ n, kind, tenant, role }) => {
            const res = await request(kind, tenant, role);
            const problems: string[] = [];
            const expected = EXPECTED[kind];
            const body = res.json<{ id?: string; data?: { id: string }[]; error?: { code: string } }>();
            if (res.statusCode !== expected.status || body.error?.code !== expected.code) {
              problems.push(
                `answered ${res.statusCode} ${body.error?.code ?? ''}, expected ${expected.status} ${expected.code ?? ''}`,
              );
            }
            if (res.statusCode === 200 && kind === 'tenant' && body.id !== tenant.tenantId)
              problems.push(`got tenant ${body.id ?? '?'}`);
            if (
              res.statusCode === 200 &&
              kind === 'keys' &&
              !sameIds(
                (body.data ?? []).map((k) => k.id),
                keyIdsOf.get(tenant.tenantId) ?? [],
              )
            ) {
              problems.push(`got api keys ${(body.data ?? []).map((k) => k.id).join(', ')}`);
            }
            // Nothing a tenant is shown may name another tenant.
            for (const other of tenants) {
              if (other !== tenant && res.body.includes(other.tenantId))
                problems.push(`mentions tenant ${other.tenantId}`);
            }
            return problems.map((problem) => `#${n} ${kind} as ${role} of ${tenant.tenantId}: ${problem}`);
          }),
        );
        const problems = results.flat();
        expect(problems.slice(0, 20), `seed ${SEED}: ${problems.length} problems`).toEqual([]);

        // The refused renames were audited in the caller's tenant and nowhere else.
        const refused = new Map<string, number>();
        for (const { kind, tenant } of plan) {
          if (kind === 'tenantForbidden')
            refused.set(tenant.tenantId, (refused.get(tenant.tenantId) ?? 0) + 1);
        }
        const audited = await t.db.ownerTx((tx) =>
          tx.query<{ tenant_id: string; n: number }>(
            `select tenant_id, count(*)::int as n from audit_events
            where action = 'tenant.update' and result = 'failure' group by tenant_id`,
          ),
        );
        expect(new Map(audited.rows.map((row) => [row.tenant_id, row.n]))).toEqual(refused);
        for (const tenant of tenants) {
          const verified = await app.inject({
            method: 'POST',
            url: '/v1/audit-events/verify',
            headers: bearer(tenant.keys.owner),
          });
          expect(verified.json(), tenant.tenantId).toMatchObject({ ok: true, firstBroken: null });
        }
      },
    );
  });
});
