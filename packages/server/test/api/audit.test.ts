import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAudited, ROUTES, type AnyRoute, type ApiServer } from '../../src/api/index.ts';
import { hashAuditEvent, verifyAuditChain, type AuditEvent } from '../../src/audit/index.ts';
import type { Database } from '../../src/db/index.ts';
import { isAllowed, ROLES, type Action, type Role } from '../../src/identity/index.ts';
import {
  fixtureFor,
  routesWithoutFixture,
  type FixtureContext,
  type PreparedCall,
} from '../support/route-fixtures.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Task polls and heartbeats change state but are lease traffic, not audited (route.unaudited).
const MUTATING_ROUTES = ROUTES.filter(isAudited);
const named = (routes: readonly AnyRoute[]) =>
  routes.map((route) => [`${route.method} ${route.url}`, route] as const);

interface AuditRow {
  tenant_id: string;
  seq: number;
  id: string;
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  result: string;
  details: Record<string, unknown>;
  [column: string]: unknown;
}

const eventsWithRequestId = (db: Database, requestId: string) =>
  db.ownerTx(
    async (tx) =>
      (await tx.query<AuditRow>('select * from audit_events where request_id = $1', [requestId])).rows,
  );

const eventsOf = (db: Database, tenantId: string) =>
  db.ownerTx(
    async (tx) =>
      (await tx.query<AuditRow>('select * from audit_events where tenant_id = $1 order by seq', [tenantId]))
        .rows,
  );

/** Every row of every table the API can change, for "nothing else changed" comparisons. */
async function snapshot(db: Database, options: { withAudit: boolean }): Promise<Record<string, string[]>> {
  const tables = [
    'tenants',
    'users',
    'memberships',
    'api_keys',
    'sessions',
    'invites',
    'email_outbox',
    'workflows',
    'workflow_versions',
  ];
  if (options.withAudit) tables.push('audit_events');
  return db.ownerTx(async (tx) => {
    const out: Record<string, string[]> = {};
    for (const table of tables) {
      // last_used_at is written outside the request's transaction, by authentication.
      const rows = await tx.query<{ row: string }>(
        `select (to_jsonb(t) - 'last_used_at')::text as row from ${table} t`,
      );
      out[table] = rows.rows.map((r) => r.row).sort();
    }
    return out;
  });
}

describe('audit log', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let ctx: FixtureContext;
  let requestCounter = 0;
  const nextRequestId = (label: string) => `${label}-${++requestCounter}`;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'audited');
    ctx = { app, db: t.db, tenant };
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const send = (route: AnyRoute, prepared: PreparedCall, requestId: string) =>
    app.inject({
      method: route.method,
      url: prepared.url,
      headers: { ...prepared.caller?.headers, 'x-request-id': requestId },
      ...(prepared.payload ? { payload: prepared.payload } : {}),
    });

  const allowedRoles = (route: AnyRoute): Role[] =>
    route.auth === 'public' ? ['owner'] : ROLES.filter((role) => isAllowed(role, route.auth as Action));

  describe('every mutating route', () => {
    it('has a request fixture', () => {
      expect(routesWithoutFixture(MUTATING_ROUTES)).toEqual([]);
    });

    it.each(named(MUTATING_ROUTES))(
      '%s, when it succeeds, writes exactly one audit event naming the action, actor, target and request',
      async (_name, route) => {
        const fixture = fixtureFor(route);
        for (const role of allowedRoles(route)) {
          const prepared = await fixture(ctx, role);
          if (!prepared.expectedAudit)
            throw new Error(`fixture ${route.operationId} must say which audit event it expects`);
          const before = await eventsOf(t.db, tenant.tenantId);
          const requestId = nextRequestId(`audit-${route.operationId}-${role}`);

          const res = await send(route, prepared, requestId);
          expect(res.statusCode, res.body).toBe(route.success.status);
          expect(res.headers['x-request-id']).toBe(requestId);

          const expected = await prepared.expectedAudit(res.body ? res.json() : undefined);
          if (route.auth !== 'public') expect(expected.action).toBe(route.auth);
          const written = await eventsWithRequestId(t.db, requestId);
          expect(written).toHaveLength(1);
          expect(written[0]).toMatchObject({
            tenant_id: expected.tenantId,
            action: expected.action,
            actor_type: expected.actor.type,
            actor_id: expected.actor.id,
            target_type: expected.target?.type ?? null,
            target_id: expected.target?.id ?? null,
            request_id: requestId,
            ip: '127.0.0.1',
            result: 'success',
          });
          // ...and nothing else: the event is the only one the call appended to the tenant's chain.
          const after = await eventsOf(t.db, expected.tenantId);
          const added = expected.tenantId === tenant.tenantId ? after.slice(before.length) : after;
          expect(added.map((e) => e.id)).toEqual([written[0]?.id]);
        }
      },
    );

    describe('when its audit event cannot be written', () => {
      beforeAll(async () => {
        // Stands in for any failure of the append, e.g. a full disk: keyed on the request id.
        await t.db.ownerTx(async (tx) => {
          await tx.query(`create function test_refuse_audit() returns trigger language plpgsql as $$
            begin
              if new.request_id like 'refuse-audit-%' then raise exception 'audit append refused by the test'; end if;
              return new;
            end $$`);
          await tx.query(
            'create trigger test_refuse_audit before insert on audit_events for each row execute function test_refuse_audit()',
          );
        });
      });

      it.each(named(MUTATING_ROUTES))(
        '%s changes nothing: the event and the change share one transaction',
        async (_name, route) => {
          const prepared = await fixtureFor(route)(ctx, 'owner');
          const before = await snapshot(t.db, { withAudit: true });
          const res = await send(route, prepared, nextRequestId(`refuse-audit-${route.operationId}`));
          expect(res.statusCode).toBe(500);
          expect(res.json()).toMatchObject({ error: { code: 'INTERNAL', message: 'Internal error' } });
          expect(await snapshot(t.db, { withAudit: true })).toEqual(before);
        },
      );
    });

    it.each(
      named(
        MUTATING_ROUTES.filter(
          (route) => route.auth !== 'public' && allowedRoles(route).length < ROLES.length,
        ),
      ),
    )(
      '%s, when the role is denied, writes one failure event and changes nothing else',
      async (_name, route) => {
        const action = route.auth as Action;
        const role = ROLES.find((r) => !isAllowed(r, action)) as Role;
        const prepared = await fixtureFor(route)(ctx, role);
        const before = await snapshot(t.db, { withAudit: false });
        const requestId = nextRequestId(`denied-${route.operationId}`);

        const res = await send(route, prepared, requestId);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN', requestId } });

        const written = await eventsWithRequestId(t.db, requestId);
        expect(written).toEqual([
          expect.objectContaining({
            tenant_id: tenant.tenantId,
            action,
            actor_type: prepared.caller?.actor.type,
            actor_id: prepared.caller?.actor.id,
            target_type: null,
            target_id: null,
            result: 'failure',
            details: { reason: 'FORBIDDEN', role },
          }),
        ]);
        expect(await snapshot(t.db, { withAudit: false })).toEqual(before);
      },
    );

    it('a failed login, sign-up or invite acceptance writes no event', async () => {
      const before = await snapshot(t.db, { withAudit: true });
      const badLogin = await app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email: tenant.ownerEmail, password: 'wrong password here' },
      });
      expect(badLogin.statusCode).toBe(401);
      const badAccept = await app.inject({
        method: 'POST',
        url: '/v1/invites/accept',
        payload: { token: 'no-such-token', password: 'a long enough password' },
      });
      expect(badAccept.statusCode).toBe(400);
      const takenEmail = await app.inject({
        method: 'POST',
        url: '/v1/signup',
        payload: {
          tenantName: 'dup',
          name: 'Dup',
          email: tenant.ownerEmail,
          password: 'a long enough password',
        },
      });
      expect(takenEmail.json()).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
      expect(await snapshot(t.db, { withAudit: true })).toEqual(before);
    });

    it("after walking every route the tenant's chain still verifies", async () => {
      const events = await eventsOf(t.db, tenant.tenantId);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/audit-events/verify',
        headers: bearer(tenant.keys.operator),
      });
      expect(res.json()).toMatchObject({ ok: true, checked: events.length, firstBroken: null });
    });
  });

  describe('tamper evidence', () => {
    /** A tenant whose chain holds exactly 30 events: sign-up, then 29 renames. */
    async function tenantWith30Events(): Promise<TestTenant> {
      const seeded = await seedTenant(t.db, 'tamper');
      for (let i = 1; i <= 29; i += 1) {
        const res = await app.inject({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: bearer(seeded.keys.admin),
          payload: { name: `name ${i}` },
        });
        expect(res.statusCode).toBe(200);
      }
      expect(await eventsOf(t.db, seeded.tenantId)).toHaveLength(30);
      return seeded;
    }

    const verify = async (of: TestTenant) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/audit-events/verify',
        headers: bearer(of.keys.owner),
      });
      expect(res.statusCode).toBe(200);
      return res.json<{
        ok: boolean;
        checked: number;
        headSeq: number;
        headHash: string;
        firstBroken: { seq: number; id: string; reason: string } | null;
      }>();
    };

    const tamper = (sql: string, params: (tenantId: string) => unknown[]) => ({ sql, params });
    const CASES = [
      {
        what: 'the details of one event are edited',
        change: tamper(
          `update audit_events set details = '{"to": "forged"}' where tenant_id = $1 and seq = 17`,
          (id) => [id],
        ),
        broken: { seq: 17, reason: 'hash_mismatch' },
      },
      {
        what: 'the action of one event is changed',
        change: tamper(
          `update audit_events set action = 'tenant.read' where tenant_id = $1 and seq = 9`,
          (id) => [id],
        ),
        broken: { seq: 9, reason: 'hash_mismatch' },
      },
      {
        what: 'the actor of one event is changed',
        change: tamper(
          `update audit_events set actor_id = 'someone-else' where tenant_id = $1 and seq = 25`,
          (id) => [id],
        ),
        broken: { seq: 25, reason: 'hash_mismatch' },
      },
      {
        what: 'a failure is rewritten as a success (or back)',
        change: tamper(
          `update audit_events set result = 'failure' where tenant_id = $1 and seq = 4`,
          (id) => [id],
        ),
        broken: { seq: 4, reason: 'hash_mismatch' },
      },
      {
        what: 'the very first event is edited',
        change: tamper(
          `update audit_events set target_id = 'elsewhere' where tenant_id = $1 and seq = 1`,
          (id) => [id],
        ),
        broken: { seq: 1, reason: 'hash_mismatch' },
      },
      {
        what: 'the stored hash of one event is replaced',
        change: tamper(
          `update audit_events set hash = repeat('a', 64) where tenant_id = $1 and seq = 20`,
          (id) => [id],
        ),
        broken: { seq: 20, reason: 'hash_mismatch' },
      },
      {
        what: 'the prev_hash of one event is altered',
        change: tamper(
          `update audit_events set prev_hash = repeat('0', 64) where tenant_id = $1 and seq = 22`,
          (id) => [id],
        ),
        broken: { seq: 22, reason: 'prev_hash_mismatch' },
      },
      {
        // The gap is where the chain breaks: the event after the deleted one.
        what: 'an event in the middle is deleted',
        change: tamper('delete from audit_events where tenant_id = $1 and seq = 15', (id) => [id]),
        broken: { seq: 16, reason: 'sequence_gap' },
      },
    ] as const;

    it.each(CASES)('verify finds the exact broken event when $what', async ({ change, broken }) => {
      const victim = await tenantWith30Events();
      const bystander = await seedTenant(t.db, 'bystander');
      await t.db.ownerTx((tx) => tx.query(change.sql, change.params(victim.tenantId)));
      const rows = await eventsOf(t.db, victim.tenantId);
      const brokenRow = rows.find((row) => row.seq === broken.seq);
      const lastGood = rows.filter((row) => row.seq < broken.seq).at(-1) as
        (AuditRow & { hash: string }) | undefined;

      expect(await verify(victim)).toEqual({
        ok: false,
        checked: lastGood?.seq ?? 0,
        headSeq: lastGood?.seq ?? 0,
        headHash: lastGood?.hash ?? '0'.repeat(64),
        firstBroken: { seq: broken.seq, id: brokenRow?.id, reason: broken.reason },
      });
      expect(await verify(bystander)).toMatchObject({ ok: true, checked: 1, headSeq: 1, firstBroken: null });
    });

    it('an edited event whose hash was recomputed breaks the link to the next event', async () => {
      const victim = await tenantWith30Events();
      await t.db.ownerTx(async (tx) => {
        const row = (
          await tx.query<Record<string, unknown> & { occurred_at: Date; seq: number }>(
            'select * from audit_events where tenant_id = $1 and seq = 12',
            [victim.tenantId],
          )
        ).rows[0];
        if (!row) throw new Error('no event 12');
        const forged: Omit<AuditEvent, 'hash'> = {
          tenantId: row.tenant_id as string,
          seq: row.seq,
          id: row.id as string,
          occurredAt: row.occurred_at.toISOString(),
          actorType: row.actor_type as AuditEvent['actorType'],
          actorId: row.actor_id as string | null,
          action: row.action as string,
          targetType: row.target_type as string | null,
          targetId: row.target_id as string | null,
          requestId: row.request_id as string | null,
          ip: row.ip as string | null,
          result: row.result as AuditEvent['result'],
          details: { from: 'x', to: 'forged' },
          prevHash: row.prev_hash as string,
        };
        await tx.query('update audit_events set details = $2, hash = $3 where tenant_id = $1 and seq = 12', [
          victim.tenantId,
          JSON.stringify(forged.details),
          hashAuditEvent(forged),
        ]);
      });
      const thirteen = (await eventsOf(t.db, victim.tenantId)).find((row) => row.seq === 13);
      expect(await verify(victim)).toMatchObject({
        ok: false,
        checked: 12,
        firstBroken: { seq: 13, id: thirteen?.id, reason: 'prev_hash_mismatch' },
      });
    });

    it('verification reads long chains in pages and finds the same break whatever the page size', async () => {
      const victim = await tenantWith30Events();
      const clean = await tenantWith30Events();
      await t.db.ownerTx((tx) =>
        tx.query(`update audit_events set details = '{}' where tenant_id = $1 and seq = 14`, [
          victim.tenantId,
        ]),
      );
      for (const pageSize of [1, 7, 13, 14, 30, 1000]) {
        const broken = await t.db.tenantTx(victim.tenantId, (tx) =>
          verifyAuditChain(tx, victim.tenantId, pageSize),
        );
        expect(broken, `page size ${pageSize}`).toMatchObject({
          ok: false,
          checked: 13,
          firstBroken: { seq: 14, reason: 'hash_mismatch' },
        });
        const ok = await t.db.tenantTx(clean.tenantId, (tx) =>
          verifyAuditChain(tx, clean.tenantId, pageSize),
        );
        expect(ok, `page size ${pageSize}`).toMatchObject({ ok: true, checked: 30, headSeq: 30 });
      }
    });

    it('an untampered chain of 30 events verifies, and verifying is itself audited', async () => {
      const clean = await tenantWith30Events();
      const rows = (await eventsOf(t.db, clean.tenantId)) as (AuditRow & { hash: string })[];
      expect(await verify(clean)).toEqual({
        ok: true,
        checked: 30,
        headSeq: 30,
        headHash: rows.at(-1)?.hash,
        firstBroken: null,
      });
      const after = await eventsOf(t.db, clean.tenantId);
      expect(after.at(-1)).toMatchObject({
        seq: 31,
        action: 'audit.verify',
        actor_id: clean.keyIds.owner,
        details: { ok: true, checked: 30 },
      });
      expect(await verify(clean)).toMatchObject({ ok: true, checked: 31 });
    });
  });

  describe('append-only storage', () => {
    const withRole = (db: Database, role: 'app' | 'system', tenantId: string, sql: string) =>
      role === 'app'
        ? db.tenantTx(tenantId, (tx) => tx.query(sql, [tenantId]))
        : db.systemTx((tx) => tx.query(sql, [tenantId]));

    it.each([
      ['app', 'update audit_events set details = \'{"forged": true}\' where tenant_id = $1'],
      ['app', 'delete from audit_events where tenant_id = $1'],
      ['app', 'update audit_events set hash = prev_hash where tenant_id = $1 and seq = 1'],
      ['system', "update audit_events set action = 'forged' where tenant_id = $1"],
      ['system', 'delete from audit_events where tenant_id = $1'],
    ] as const)('the %s role is refused (42501): %s', async (role, sql) => {
      const before = await eventsOf(t.db, tenant.tenantId);
      await expect(withRole(t.db, role, tenant.tenantId, sql)).rejects.toMatchObject({ code: '42501' });
      expect(await eventsOf(t.db, tenant.tenantId)).toEqual(before);
    });

    it('the app role cannot truncate the log', async () => {
      await expect(
        t.db.tenantTx(tenant.tenantId, (tx) => tx.query('truncate audit_events')),
      ).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('listing', () => {
    let listed: TestTenant;
    let all: AuditRow[];
    let revokedKeyId: string;

    beforeAll(async () => {
      listed = await seedTenant(t.db, 'listed');
      await seedTenant(t.db, 'neighbour');
      const owner = bearer(listed.keys.owner);
      const keyIds: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: owner,
          payload: { name: `k${i}`, role: 'viewer' },
        });
        keyIds.push(res.json<{ apiKey: { id: string } }>().apiKey.id);
      }
      revokedKeyId = keyIds[2] as string;
      for (const id of [keyIds[2], keyIds[4]]) {
        await app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: owner });
      }
      for (let i = 0; i < 3; i += 1) {
        await app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: bearer(listed.keys.viewer),
          payload: { name: 'no', role: 'viewer' },
        });
        await app.inject({
          method: 'PATCH',
          url: '/v1/tenant',
          headers: bearer(listed.keys.admin),
          payload: { name: `listed ${i}` },
        });
      }
      await app.inject({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: bearer(listed.keys.billing),
        payload: { name: 'no' },
      });
      all = (await eventsOf(t.db, listed.tenantId)).reverse();
      expect(all).toHaveLength(1 + 6 + 2 + 3 + 3 + 1);
    });

    /** Follows nextCursor to the end; returns every seq seen, in order, and how many pages it took. */
    async function pageThrough(filter: Record<string, string>, limit: number) {
      const seqs: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: URLSearchParams = new URLSearchParams({
          ...filter,
          limit: String(limit),
          ...(cursor ? { cursor } : {}),
        });
        const res: LightMyRequestResponse = await app.inject({
          method: 'GET',
          url: `/v1/audit-events?${query}`,
          headers: bearer(listed.keys.operator),
        });
        expect(res.statusCode, res.body).toBe(200);
        const page: { data: { seq: number; tenantId: string }[]; nextCursor: string | null } = res.json<{
          data: { seq: number; tenantId: string }[];
          nextCursor: string | null;
        }>();
        expect(page.data.length).toBeLessThanOrEqual(limit);
        expect(page.data.every((event) => event.tenantId === listed.tenantId)).toBe(true);
        seqs.push(...page.data.map((event) => event.seq));
        cursor = page.nextCursor;
        pages += 1;
        expect(pages).toBeLessThan(100);
      } while (cursor);
      return { seqs, pages };
    }

    it.each([1, 4, 16, 500])(
      'cursor pagination with limit %i returns every event exactly once, newest first',
      async (limit) => {
        const { seqs } = await pageThrough({}, limit);
        expect(seqs).toEqual(all.map((event) => event.seq));
      },
    );

    type Case = [
      string,
      (of: TestTenant) => Record<string, string>,
      (e: AuditRow, of: TestTenant) => boolean,
    ];
    it.each<Case>([
      ['action', () => ({ action: 'api_keys.create' }), (e) => e.action === 'api_keys.create'],
      ['result', () => ({ result: 'failure' }), (e) => e.result === 'failure'],
      [
        'action and result',
        () => ({ action: 'api_keys.create', result: 'success' }),
        (e) => e.action === 'api_keys.create' && e.result === 'success',
      ],
      ['actorId', (of) => ({ actorId: of.keyIds.viewer }), (e, of) => e.actor_id === of.keyIds.viewer],
      ['targetType', () => ({ targetType: 'tenant' }), (e) => e.target_type === 'tenant'],
    ])('filtering by %s returns exactly the matching events across pages', async (_what, filter, matches) => {
      const expected = all.filter((e) => matches(e, listed)).map((e) => e.seq);
      expect(expected.length).toBeGreaterThan(1);
      const { seqs } = await pageThrough(filter(listed), 2);
      expect(seqs).toEqual(expected);
    });

    it('filtering by targetId returns the life of one object: its revocation and its creation', async () => {
      const { seqs } = await pageThrough({ targetId: revokedKeyId }, 1);
      const events = seqs.map((seq) => all.find((e) => e.seq === seq));
      expect(events.map((e) => e?.action)).toEqual(['api_keys.revoke', 'api_keys.create']);
    });

    it('a filter that matches nothing returns an empty page and no cursor', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/audit-events?action=no.such.action',
        headers: bearer(listed.keys.admin),
      });
      expect(res.json()).toEqual({ data: [], nextCursor: null });
    });
  });
});
