import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERRORS, type ApiServer } from '../../src/api/index.ts';
import { IDENTITY_ERRORS } from '../../src/identity/index.ts';
import { METERING_ERRORS, type MeteringErrorCode } from '../../src/metering/index.ts';
import { createWorkflowFixture } from '../support/route-fixtures.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface BudgetJson {
  id: string;
  name: string;
  scope: string;
  scopeId: string | null;
  period: string;
  startsAt: string | null;
  endsAt: string | null;
  limitUsd: string;
  limitMicroUsd: number;
  kind: string;
  alertThresholds: number[];
  current: {
    periodStart: string;
    periodEnd: string;
    timeZone: string;
    spentMicroUsd: number;
    leasedMicroUsd: number;
    remainingMicroUsd: number;
  } | null;
}

function expectMeteringError(res: LightMyRequestResponse, code: MeteringErrorCode, message: string) {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code, message: body.error.message }).toEqual({
    status: METERING_ERRORS[code].status,
    code,
    message,
  });
  return body.error;
}

/** A 400 VALIDATION_FAILED naming the fields at fault. */
function expectInvalid(res: LightMyRequestResponse, paths: string[]) {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code }).toEqual({
    status: API_ERRORS.VALIDATION_FAILED.status,
    code: 'VALIDATION_FAILED',
  });
  expect(body.error.message).toMatch(/^Invalid body: /);
  const issues = (body.error.details?.issues ?? []) as { path: string; message: string }[];
  expect(issues.map((issue) => issue.path).sort()).toEqual(
    paths.map((path) => `body${path && '.'}${path}`).sort(),
  );
  return issues;
}

describe('budgets API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'budgets-a');
    b = await seedTenant(t.db, 'budgets-b');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  type RoleName = keyof TestTenant['keys'];
  const create = (tenant: TestTenant, payload: Record<string, unknown>, role: RoleName = 'billing') =>
    app.inject({ method: 'POST', url: '/v1/budgets', headers: bearer(tenant.keys[role]), payload });
  const get = (tenant: TestTenant, url: string, role: RoleName = 'viewer') =>
    app.inject({ method: 'GET', url, headers: bearer(tenant.keys[role]) });
  const patch = (
    tenant: TestTenant,
    id: string,
    payload: Record<string, unknown>,
    role: RoleName = 'admin',
  ) => app.inject({ method: 'PATCH', url: `/v1/budgets/${id}`, headers: bearer(tenant.keys[role]), payload });
  const remove = (tenant: TestTenant, id: string, role: RoleName = 'owner') =>
    app.inject({ method: 'DELETE', url: `/v1/budgets/${id}`, headers: bearer(tenant.keys[role]) });
  const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
  const monthly = (name = unique('m')) => ({
    name,
    scope: 'tenant',
    period: 'monthly',
    limitUsd: '25.5',
    kind: 'soft',
  });
  const auditOf = (tenant: TestTenant, id: string) =>
    t.db.ownerTx(async (tx) => {
      const result = await tx.query<{ action: string; details: Record<string, unknown> }>(
        `select action, details from audit_events
          where tenant_id = $1 and target_type = 'budget' and target_id = $2 order by seq`,
        [tenant.tenantId, id],
      );
      return result.rows;
    });

  it('creates a budget with its defaults and its current period, then lists, reads, changes and deletes it', async () => {
    const created = await create(a, monthly('team spend'));
    expect(created.statusCode, created.body).toBe(201);
    const budget = created.json<BudgetJson>();
    expect(budget).toMatchObject({
      name: 'team spend',
      scope: 'tenant',
      scopeId: null,
      period: 'monthly',
      startsAt: null,
      endsAt: null,
      limitUsd: '25.500000',
      limitMicroUsd: 25_500_000,
      kind: 'soft',
      alertThresholds: [50, 80, 100],
      current: { timeZone: 'UTC', spentMicroUsd: 0, leasedMicroUsd: 0, remainingMicroUsd: 25_500_000 },
    });
    const now = new Date();
    expect(budget.current?.periodStart).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
    );
    expect(budget.current?.periodEnd).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    );

    const listed = await get(a, '/v1/budgets');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ data: BudgetJson[] }>().data.map((x) => x.id)).toContain(budget.id);
    const read = await get(a, `/v1/budgets/${budget.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(budget);

    const changed = await patch(a, budget.id, {
      name: 'team spend (hard)',
      limitUsd: 40,
      kind: 'hard',
      alertThresholds: [75, 90],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<BudgetJson>()).toMatchObject({
      id: budget.id,
      name: 'team spend (hard)',
      limitUsd: '40.000000',
      limitMicroUsd: 40_000_000,
      kind: 'hard',
      alertThresholds: [75, 90],
      scope: 'tenant',
      period: 'monthly',
    });

    const deleted = await remove(a, budget.id);
    expect(deleted.statusCode).toBe(204);
    expectMeteringError(
      await get(a, `/v1/budgets/${budget.id}`),
      'BUDGET_NOT_FOUND',
      `No budget ${budget.id}`,
    );
    expect(await auditOf(a, budget.id)).toEqual([
      {
        action: 'budgets.write',
        details: expect.objectContaining({ name: 'team spend', kind: 'soft', limitMicroUsd: 25_500_000 }),
      },
      {
        action: 'budgets.write',
        details: expect.objectContaining({
          changed: ['name', 'limitMicroUsd', 'kind', 'alertThresholds'],
          before: {
            name: 'team spend',
            limitMicroUsd: 25_500_000,
            kind: 'soft',
            alertThresholds: [50, 80, 100],
          },
        }),
      },
      { action: 'budgets.write', details: expect.objectContaining({ name: 'team spend (hard)' }) },
    ]);
  });

  it('computes daily periods in the tenant time zone and a fixed window as given', async () => {
    const tenant = await seedTenant(t.db, 'budgets-tz');
    await t.db.ownerTx((tx) =>
      tx.query(`update tenants set time_zone = 'Asia/Tokyo' where id = $1`, [tenant.tenantId]),
    );
    const daily = (await create(tenant, { ...monthly(), period: 'daily' })).json<BudgetJson>();
    expect(daily.current?.timeZone).toBe('Asia/Tokyo');
    // Tokyo is UTC+9 all year: its days start at 15:00 UTC and last 24 hours.
    expect(daily.current?.periodStart).toMatch(/T15:00:00\.000Z$/);
    expect(Date.parse(daily.current?.periodEnd ?? '') - Date.parse(daily.current?.periodStart ?? '')).toBe(
      86_400_000,
    );

    const startsAt = new Date(Date.now() - 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const fixed = await create(tenant, { ...monthly(), period: 'fixed', startsAt, endsAt });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json<BudgetJson>()).toMatchObject({
      startsAt,
      endsAt,
      current: { periodStart: startsAt, periodEnd: endsAt },
    });
    const later = await create(tenant, {
      ...monthly(),
      period: 'fixed',
      startsAt: '2200-01-01T00:00:00Z',
      endsAt: '2200-02-01T00:00:00+01:00',
    });
    expect(later.json<BudgetJson>()).toMatchObject({
      startsAt: '2200-01-01T00:00:00.000Z',
      endsAt: '2200-01-31T23:00:00.000Z',
      current: null,
    });
  });

  it('scopes a budget to a workflow or an API key of the tenant, and refuses one that is not', async () => {
    const workflow = await createWorkflowFixture(t.db, a, { versions: 1 });
    const byWorkflow = await create(a, { ...monthly(), scope: 'workflow', scopeId: workflow.id });
    expect(byWorkflow.statusCode, byWorkflow.body).toBe(201);
    expect(byWorkflow.json<BudgetJson>()).toMatchObject({ scope: 'workflow', scopeId: workflow.id });
    const byKey = await create(a, { ...monthly(), scope: 'api_key', scopeId: a.keyIds.developer });
    expect(byKey.statusCode, byKey.body).toBe(201);

    const missing = randomUUID();
    const error = expectMeteringError(
      await create(a, { ...monthly(), scope: 'workflow', scopeId: missing }),
      'BUDGET_SCOPE_NOT_FOUND',
      `No workflow ${missing} in this tenant`,
    );
    expect(error.details).toEqual({ scope: 'workflow', scopeId: missing });
    // Tenant B cannot scope a budget to A's workflow or key: RLS hides them.
    expectMeteringError(
      await create(b, { ...monthly(), scope: 'workflow', scopeId: workflow.id }),
      'BUDGET_SCOPE_NOT_FOUND',
      `No workflow ${workflow.id} in this tenant`,
    );
    expectMeteringError(
      await create(b, { ...monthly(), scope: 'api_key', scopeId: a.keyIds.developer }),
      'BUDGET_SCOPE_NOT_FOUND',
      `No API key ${a.keyIds.developer} in this tenant`,
    );
  });

  it('refuses a second budget of the same name, on create and on rename, with 409 BUDGET_NAME_TAKEN', async () => {
    const name = unique('dup');
    expect((await create(a, monthly(name))).statusCode).toBe(201);
    expectMeteringError(
      await create(a, monthly(name)),
      'BUDGET_NAME_TAKEN',
      `A budget named "${name}" exists`,
    );
    const other = (await create(a, monthly())).json<BudgetJson>();
    expectMeteringError(
      await patch(a, other.id, { name }),
      'BUDGET_NAME_TAKEN',
      `A budget named "${name}" exists`,
    );
    // Names are the tenant's own: B may use it.
    expect((await create(b, monthly(name))).statusCode).toBe(201);
  });

  it.each([
    ['a limit with 7 decimals', { limitUsd: '0.0000001' }, ['limitUsd']],
    ['a limit of 0', { limitUsd: 0 }, ['limitUsd']],
    ['a negative limit', { limitUsd: '-1' }, ['limitUsd']],
    ['a limit that is not a number', { limitUsd: 'ten' }, ['limitUsd']],
    ['thresholds not ascending', { alertThresholds: [80, 50] }, ['alertThresholds']],
    ['a threshold over 100', { alertThresholds: [50, 101] }, ['alertThresholds.1']],
    ['a threshold that is not an integer', { alertThresholds: [50.5] }, ['alertThresholds.0']],
    ['an unknown scope', { scope: 'team' }, ['scope']],
    ['an unknown kind', { kind: 'strict' }, ['kind']],
    ['scope workflow without scopeId', { scope: 'workflow' }, ['scopeId']],
    ['scope tenant with a scopeId', { scopeId: randomUUID() }, ['scopeId']],
    ['a scopeId that is not a uuid', { scope: 'api_key', scopeId: 'key-1' }, ['scopeId']],
    ['a fixed period without its window', { period: 'fixed' }, ['startsAt', 'endsAt']],
    [
      'a fixed window ending before it starts',
      { period: 'fixed', startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
      ['endsAt'],
    ],
    ['a window on a monthly budget', { startsAt: '2030-01-01T00:00:00Z' }, ['startsAt']],
    ['an empty name', { name: '' }, ['name']],
  ] as const)('POST refuses %s with 400 VALIDATION_FAILED', async (_what, change, paths) => {
    expectInvalid(await create(a, { ...monthly(), ...change }), [...paths]);
  });

  it('POST refuses fields it does not accept with 400 UNKNOWN_FIELD', async () => {
    const res = await create(a, { ...monthly(), limitMicroUsd: 5 });
    expect({ status: res.statusCode, code: res.json<ErrorJson>().error.code }).toEqual({
      status: 400,
      code: 'UNKNOWN_FIELD',
    });
  });

  it('PATCH refuses an empty change, a bad limit and a change of scope', async () => {
    const budget = (await create(a, monthly())).json<BudgetJson>();
    const empty = expectInvalid(await patch(a, budget.id, {}), ['']);
    expect(empty[0]?.message).toBe('Name at least one of name, limitUsd, kind, alertThresholds');
    expectInvalid(await patch(a, budget.id, { limitUsd: '1.1234567' }), ['limitUsd']);
    const scope = await patch(a, budget.id, { scope: 'workflow', kind: 'hard' });
    expect(scope.json<ErrorJson>().error.code).toBe('UNKNOWN_FIELD');
    const missing = randomUUID();
    expectMeteringError(
      await patch(a, missing, { kind: 'hard' }),
      'BUDGET_NOT_FOUND',
      `No budget ${missing}`,
    );
  });

  it('tenant B cannot see, change or delete A’s budget: 404 BUDGET_NOT_FOUND', async () => {
    const budget = (await create(a, monthly())).json<BudgetJson>();
    const message = `No budget ${budget.id}`;
    expectMeteringError(await get(b, `/v1/budgets/${budget.id}`), 'BUDGET_NOT_FOUND', message);
    expectMeteringError(await patch(b, budget.id, { limitUsd: 1 }, 'owner'), 'BUDGET_NOT_FOUND', message);
    expectMeteringError(await remove(b, budget.id), 'BUDGET_NOT_FOUND', message);
    const listed = (await get(b, '/v1/budgets')).json<{ data: BudgetJson[] }>().data;
    expect(listed.map((x) => x.id)).not.toContain(budget.id);
    expect((await get(a, `/v1/budgets/${budget.id}`)).json<BudgetJson>().limitMicroUsd).toBe(25_500_000);
  });

  it('every role reads budgets; only owner, admin and billing change them', async () => {
    const budget = (await create(a, monthly())).json<BudgetJson>();
    for (const role of ['viewer', 'developer', 'operator', 'billing'] as const)
      expect((await get(a, `/v1/budgets/${budget.id}`, role)).statusCode).toBe(200);
    for (const role of ['viewer', 'developer', 'operator'] as const) {
      for (const res of [
        await create(a, monthly(), role),
        await patch(a, budget.id, { limitUsd: 1 }, role),
        await remove(a, budget.id, role),
      ]) {
        const body = res.json<ErrorJson>();
        expect({ status: res.statusCode, code: body.error.code }).toEqual({
          status: IDENTITY_ERRORS.FORBIDDEN.status,
          code: 'FORBIDDEN',
        });
      }
    }
    expect((await get(a, `/v1/budgets/${budget.id}`)).json<BudgetJson>().limitMicroUsd).toBe(25_500_000);
    for (const role of ['owner', 'admin', 'billing'] as const)
      expect((await patch(a, budget.id, { limitUsd: 2 }, role)).statusCode).toBe(200);
  });

  describe('through the gateway', () => {
    let tenant: TestTenant;
    const chat = (maxTokens: number) =>
      app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(tenant.keys.developer),
        payload: {
          model: 'simulated/sim-small',
          messages: [{ role: 'user', content: 'Tell me about queues.' }],
          max_tokens: maxTokens,
        },
      });

    beforeAll(async () => {
      tenant = await seedTenant(t.db, 'budgets-gateway');
      // Room for the worst case of the large call, so the budget, not the token rate, refuses it.
      await t.db.ownerTx((tx) =>
        tx.query(`insert into tenant_limits (tenant_id, llm_tokens_per_minute) values ($1, 10000000)`, [
          tenant.tenantId,
        ]),
      );
    });

    it('a hard budget created through the API refuses a call it cannot cover, and counts one that fits', async () => {
      // A call before the budget exists: the escrow has read the tenant's budgets (none) by then.
      expect((await chat(20)).statusCode).toBe(200);
      // sim-small costs $0.60 per million output tokens: 20,000 of them could cost $0.012.
      const created = await create(tenant, {
        name: 'tight',
        scope: 'tenant',
        period: 'daily',
        limitUsd: '0.01',
        kind: 'hard',
      });
      expect(created.statusCode, created.body).toBe(201);
      const budget = created.json<BudgetJson>();

      const refused = await chat(20_000);
      const error = expectMeteringError(refused, 'BUDGET_EXCEEDED', refused.json<ErrorJson>().error.message);
      expect(error.message).toMatch(
        new RegExp(
          `^The tenant budget ${budget.id} has \\d+ µUSD unreserved, less than the \\d+ µUSD this call`,
        ),
      );
      expect(error.details).toMatchObject({ budgetId: budget.id, scope: 'tenant', limitMicroUsd: 10_000 });

      const fits = await chat(50);
      expect(fits.statusCode, fits.body).toBe(200);
      // Spend is counted when the gateway's call record is written (within its flush interval).
      let current = budget.current;
      for (let i = 0; i < 100 && !current?.spentMicroUsd; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        current = (await get(tenant, `/v1/budgets/${budget.id}`)).json<BudgetJson>().current;
      }
      expect(current?.spentMicroUsd).toBeGreaterThan(0);
      expect(current?.spentMicroUsd).toBeLessThan(10_000);
      expect(current?.remainingMicroUsd).toBe(
        10_000 - (current?.spentMicroUsd ?? 0) - (current?.leasedMicroUsd ?? 0),
      );

      // Deleting it lifts the cap for this process at once.
      expect((await remove(tenant, budget.id)).statusCode).toBe(204);
      expect((await chat(20_000)).statusCode).toBe(200);
    });
  });
});
