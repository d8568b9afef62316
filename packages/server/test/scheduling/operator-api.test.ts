import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { createPlanFixture } from '../support/route-fixtures.ts';
import {
  bearer,
  createTestApp,
  seedTenant,
  TEST_OPERATOR_TOKEN,
  type TestTenant,
} from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const operator = bearer(TEST_OPERATOR_TOKEN);

interface AuditRow {
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  [column: string]: unknown;
}

describe('operator API: plans and tenant limits', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'operated');
    other = await seedTenant(t.db, 'bystander');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const auditOf = (tenantId: string) =>
    t.db.ownerTx(
      async (tx) =>
        (
          await tx.query<AuditRow>(
            `select action, actor_type, actor_id, target_type, target_id, request_id, details
               from audit_events where tenant_id = $1 order by seq`,
            [tenantId],
          )
        ).rows,
    );

  describe('authentication', () => {
    it('an operator route without a token is refused with 401 OPERATOR_UNAUTHENTICATED', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/operator/plans' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('OPERATOR_UNAUTHENTICATED');
    });

    it('a wrong token, and a tenant API key, are refused with 401 OPERATOR_UNAUTHENTICATED', async () => {
      for (const headers of [
        bearer(`${TEST_OPERATOR_TOKEN}x`),
        bearer('short'),
        bearer(tenant.keys.owner),
        { authorization: TEST_OPERATOR_TOKEN },
      ]) {
        const res = await app.inject({ method: 'GET', url: '/v1/operator/usage/live', headers });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('OPERATOR_UNAUTHENTICATED');
      }
    });

    it('without SHOAL_OPERATOR_TOKEN the operator API answers 404 OPERATOR_API_DISABLED', async () => {
      const disabled = createTestApp(t.db, { SHOAL_OPERATOR_TOKEN: '' });
      try {
        const res = await disabled.inject({ method: 'GET', url: '/v1/operator/plans', headers: operator });
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('OPERATOR_API_DISABLED');
      } finally {
        await disabled.close();
      }
    });

    it('the right token is accepted', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/operator/plans', headers: operator });
      expect(res.statusCode).toBe(200);
      const names = res.json<{ plans: { name: string; builtin: boolean }[] }>().plans.map((p) => p.name);
      expect(names.slice(0, 3)).toEqual(['free', 'team', 'enterprise']);
    });
  });

  describe('plan catalogue', () => {
    const limits = {
      weight: 3,
      guaranteedConcurrency: 4,
      burstCeiling: 20,
      runStartsPerMinute: 100,
      queuedRunsMax: 500,
      maxPayloadBytes: 65536,
      maxStepsPerRun: 50,
      logRetentionDays: 7,
      historyRetentionDays: 30,
      llmTokensPerMinute: 10000,
      llmRequestsPerMinute: 100,
    };

    it('built-in plans carry the values of migrations 0008 and 0009', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/operator/plans/team', headers: operator });
      expect(res.json()).toMatchObject({
        name: 'team',
        builtin: true,
        weight: 2,
        guaranteedConcurrency: 10,
        burstCeiling: 100,
        runStartsPerMinute: 1200,
        queuedRunsMax: 100000,
        maxPayloadBytes: 1048576,
        maxStepsPerRun: 1000,
        logRetentionDays: 14,
        historyRetentionDays: 30,
        llmTokensPerMinute: 200000,
        llmRequestsPerMinute: 600,
      });
    });

    it('a custom plan is created, updated and deleted', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/operator/plans',
        headers: operator,
        payload: { name: 'startup', ...limits },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ name: 'startup', builtin: false, tenants: 0, ...limits });

      const again = await app.inject({
        method: 'POST',
        url: '/v1/operator/plans',
        headers: operator,
        payload: { name: 'startup', ...limits },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('PLAN_EXISTS');

      const updated = await app.inject({
        method: 'PATCH',
        url: '/v1/operator/plans/startup',
        headers: operator,
        payload: { weight: 6, burstCeiling: 30 },
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({ weight: 6, burstCeiling: 30, guaranteedConcurrency: 4 });

      const deleted = await app.inject({
        method: 'DELETE',
        url: '/v1/operator/plans/startup',
        headers: operator,
      });
      expect(deleted.statusCode).toBe(204);
      const gone = await app.inject({ method: 'GET', url: '/v1/operator/plans/startup', headers: operator });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('PLAN_NOT_FOUND');
    });

    it('a plan name outside ^[a-z][a-z0-9-]{0,39}$ and unknown fields are refused', async () => {
      for (const [payload, code] of [
        [{ name: 'Startup', ...limits }, 'VALIDATION_FAILED'],
        [{ name: 'a'.repeat(41), ...limits }, 'VALIDATION_FAILED'],
        [{ name: 'ok', ...limits, colour: 'red' }, 'UNKNOWN_FIELD'],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/operator/plans',
          headers: operator,
          payload,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe(code);
      }
    });

    it('a burst ceiling below the guarantee is refused, on create and on update', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/operator/plans',
        headers: operator,
        payload: { name: 'lopsided', ...limits, guaranteedConcurrency: 30, burstCeiling: 20 },
      });
      expect(created.statusCode).toBe(400);
      const updated = await app.inject({
        method: 'PATCH',
        url: '/v1/operator/plans/free',
        headers: operator,
        payload: { burstCeiling: 1 },
      });
      expect(updated.statusCode).toBe(422);
      expect(updated.json().error.code).toBe('LIMITS_INVALID');
    });

    it('a built-in plan can be edited but not deleted', async () => {
      const res = await app.inject({ method: 'DELETE', url: '/v1/operator/plans/free', headers: operator });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('PLAN_BUILTIN');
    });

    it('deleting a plan in use is refused with PLAN_IN_USE and keeps the plan', async () => {
      const name = await createPlanFixture(t.db);
      const moved = await app.inject({
        method: 'PUT',
        url: `/v1/operator/tenants/${other.tenantId}/plan`,
        headers: operator,
        payload: { plan: name },
      });
      expect(moved.statusCode).toBe(200);
      const res = await app.inject({
        method: 'DELETE',
        url: `/v1/operator/plans/${name}`,
        headers: operator,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'PLAN_IN_USE', details: { tenants: 1 } });
      const still = await app.inject({ method: 'GET', url: `/v1/operator/plans/${name}`, headers: operator });
      expect(still.json()).toMatchObject({ name, tenants: 1 });
    });

    it("updating a plan is audited in every tenant on it, and in no other tenant's log", async () => {
      const name = await createPlanFixture(t.db);
      await app.inject({
        method: 'PUT',
        url: `/v1/operator/tenants/${other.tenantId}/plan`,
        headers: operator,
        payload: { plan: name },
      });
      const before = (await auditOf(tenant.tenantId)).length;
      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/operator/plans/${name}`,
        headers: { ...operator, 'x-request-id': 'plan-update-1' },
        payload: { runStartsPerMinute: 7 },
      });
      expect(res.statusCode).toBe(200);
      expect((await auditOf(other.tenantId)).at(-1)).toMatchObject({
        action: 'plan.update',
        actor_type: 'system',
        actor_id: 'operator',
        target_type: 'plan',
        target_id: name,
        request_id: 'plan-update-1',
        details: { changes: { runStartsPerMinute: { from: 60, to: 7 } } },
      });
      expect(await auditOf(tenant.tenantId)).toHaveLength(before);
    });
  });

  describe("a tenant's plan and overrides", () => {
    it('a plan change is audited in the tenant’s log with from and to', async () => {
      const res = await app.inject({
        method: 'PUT',
        url: `/v1/operator/tenants/${tenant.tenantId}/plan`,
        headers: { ...operator, 'x-request-id': 'plan-change-1' },
        payload: { plan: 'team' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ plan: 'team', pool: 'shared', effective: { weight: 2 } });
      expect((await auditOf(tenant.tenantId)).at(-1)).toMatchObject({
        action: 'tenant.plan.change',
        actor_type: 'system',
        actor_id: 'operator',
        target_type: 'tenant',
        target_id: tenant.tenantId,
        request_id: 'plan-change-1',
        details: { from: 'free', to: 'team' },
      });
      const tenantView = await app.inject({
        method: 'GET',
        url: '/v1/tenant',
        headers: bearer(tenant.keys.viewer),
      });
      expect(tenantView.json().plan).toBe('team');
    });

    it('an unknown plan or tenant is refused with PLAN_NOT_FOUND or TENANT_NOT_FOUND', async () => {
      const noPlan = await app.inject({
        method: 'PUT',
        url: `/v1/operator/tenants/${tenant.tenantId}/plan`,
        headers: operator,
        payload: { plan: 'nosuch' },
      });
      expect(noPlan.statusCode).toBe(404);
      expect(noPlan.json().error.code).toBe('PLAN_NOT_FOUND');
      const noTenant = await app.inject({
        method: 'GET',
        url: '/v1/operator/tenants/00000000-0000-4000-8000-000000000000/limits',
        headers: operator,
      });
      expect(noTenant.statusCode).toBe(404);
      expect(noTenant.json().error.code).toBe('TENANT_NOT_FOUND');
    });

    it('an override applies, is audited, and clearing it (null) goes back to the plan', async () => {
      await app.inject({
        method: 'PUT',
        url: `/v1/operator/tenants/${tenant.tenantId}/plan`,
        headers: operator,
        payload: { plan: 'team' },
      });
      const set = await app.inject({
        method: 'PATCH',
        url: `/v1/operator/tenants/${tenant.tenantId}/limits`,
        headers: { ...operator, 'x-request-id': 'override-1' },
        payload: { weight: 9, runStartsPerMinute: 5, pool: 'acme' },
      });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({
        plan: 'team',
        pool: 'acme',
        overrides: { weight: 9, runStartsPerMinute: 5, burstCeiling: null },
        effective: { weight: 9, runStartsPerMinute: 5, burstCeiling: 100 },
      });
      expect((await auditOf(tenant.tenantId)).at(-1)).toMatchObject({
        action: 'tenant.limits.update',
        actor_id: 'operator',
        request_id: 'override-1',
        details: {
          changes: {
            weight: { from: null, to: 9 },
            runStartsPerMinute: { from: null, to: 5 },
            pool: { from: 'shared', to: 'acme' },
          },
        },
      });

      const cleared = await app.inject({
        method: 'PATCH',
        url: `/v1/operator/tenants/${tenant.tenantId}/limits`,
        headers: { ...operator, 'x-request-id': 'override-2' },
        payload: { weight: null, runStartsPerMinute: null, pool: null },
      });
      expect(cleared.json()).toMatchObject({
        pool: 'shared',
        overrides: { weight: null, runStartsPerMinute: null },
        effective: { weight: 2, runStartsPerMinute: 1200 },
      });
      expect((await auditOf(tenant.tenantId)).at(-1)).toMatchObject({
        action: 'tenant.limits.update',
        request_id: 'override-2',
        details: { changes: { weight: { from: 9, to: null }, pool: { from: 'acme', to: 'shared' } } },
      });
      const read = await app.inject({
        method: 'GET',
        url: `/v1/operator/tenants/${tenant.tenantId}/limits`,
        headers: operator,
      });
      expect(read.json()).toEqual(cleared.json());
    });

    it('an out-of-range override, a bad pool name and an empty patch are refused', async () => {
      for (const payload of [{ weight: 0 }, { maxPayloadBytes: 10 }, { pool: 'Bad Pool' }, {}]) {
        const res = await app.inject({
          method: 'PATCH',
          url: `/v1/operator/tenants/${tenant.tenantId}/limits`,
          headers: operator,
          payload,
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    });

    it('no tenant route changes a plan or limits: a tenant owner is refused on operator routes', async () => {
      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/operator/tenants/${tenant.tenantId}/limits`,
        headers: bearer(tenant.keys.owner),
        payload: { runStartsPerMinute: 1_000_000 },
      });
      expect(res.statusCode).toBe(401);
      const patch = await app.inject({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: bearer(tenant.keys.owner),
        payload: { name: 'still here', plan: 'enterprise' },
      });
      expect(patch.statusCode).toBe(400);
      expect(patch.json().error.code).toBe('UNKNOWN_FIELD');
    });
  });
});
