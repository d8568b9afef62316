import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBudget } from '../support/metering.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * The ledger trigger sums a batch's calls per tenant, key and workflow before it adds them to
 * budget periods (migration 0013): a batch crossing a period's edge is still split exactly.
 */
describe('budget spend of a batch of calls', () => {
  let t: TestDatabase;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'spend-split');
    // +05:30: a daily period starts at 18:30 UTC.
    await t.db.ownerTx((tx) =>
      tx.query(`update tenants set time_zone = 'Asia/Kolkata' where id = $1`, [tenant.tenantId]),
    );
  });
  afterAll(() => t.drop());

  /** One multi-row insert, as the call log writes a flush. */
  const insertCalls = (calls: { at: string; cost: number; apiKeyId?: string | null }[]) =>
    t.db.systemQuery(
      `insert into llm_calls (tenant_id, id, operation, latency_ms, outcome, cost_micro_usd, tokens_in, tokens_out,
                              provider, model, price_id, price_source, api_key_id, created_at)
       select $1, unnest($2::uuid[]), 'chat', 1, 'succeeded', unnest($3::bigint[]), 10, 20, 'simulated', 'sim-small',
              1, 'catalog', unnest($4::uuid[]), unnest($5::timestamptz[])`,
      [
        tenant.tenantId,
        calls.map(() => randomUUID()),
        calls.map((c) => c.cost),
        calls.map((c) => c.apiKeyId ?? null),
        calls.map((c) => c.at),
      ],
    );

  const periodsOf = (budgetId: string) =>
    t.db.ownerTx(async (tx) => {
      const r = await tx.query<{ start: Date; spent: string }>(
        `select period_start as start, spent_micro_usd as spent from budget_periods where budget_id = $1 order by 1`,
        [budgetId],
      );
      return r.rows.map((row) => [new Date(row.start).toISOString(), Number(row.spent)]);
    });

  it('a batch across midnight of the tenant adds each call to its own day, per key and for the tenant', async () => {
    const daily = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 10 ** 12, kind: 'soft' });
    const keyId = tenant.keyIds.developer;
    const byKey = await insertBudget(t.db, tenant.tenantId, {
      limitMicroUsd: 10 ** 12,
      kind: 'soft',
      scope: 'api_key',
      scopeId: keyId,
      period: 'monthly',
    });
    await insertCalls([
      { at: '2026-05-31T18:29:59.999Z', cost: 100, apiKeyId: keyId },
      { at: '2026-05-31T18:30:00.000Z', cost: 20, apiKeyId: keyId },
      { at: '2026-05-31T18:00:00.000Z', cost: 3 },
      { at: '2026-05-31T19:00:00.000Z', cost: 4000 },
      { at: '2026-05-31T10:00:00.000Z', cost: 50000, apiKeyId: keyId },
    ]);
    // 31 May in Kolkata runs 30 May 18:30 UTC to 31 May 18:30 UTC; 1 June starts then.
    expect(await periodsOf(daily)).toEqual([
      ['2026-05-30T18:30:00.000Z', 50103],
      ['2026-05-31T18:30:00.000Z', 4020],
    ]);
    // The same instant is already June for the monthly key budget.
    expect(await periodsOf(byKey)).toEqual([
      ['2026-04-30T18:30:00.000Z', 50100],
      ['2026-05-31T18:30:00.000Z', 20],
    ]);
  });

  it('a fixed window counts only the calls inside it, also when a batch straddles its edges', async () => {
    const id = randomUUID();
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into budgets (tenant_id, id, name, scope, period, starts_at, ends_at, limit_micro_usd, kind)
         values ($1, $2, 'launch week', 'tenant', 'fixed', '2026-07-01T00:00:00Z', '2026-07-08T00:00:00Z', 1000000000, 'soft')`,
        [tenant.tenantId, id],
      ),
    );
    await insertCalls([
      { at: '2026-06-30T23:59:59Z', cost: 1 },
      { at: '2026-07-01T00:00:00Z', cost: 10 },
      { at: '2026-07-07T23:59:59Z', cost: 100 },
      { at: '2026-07-08T00:00:00Z', cost: 1000 },
    ]);
    await insertCalls([
      { at: '2026-06-01T00:00:00Z', cost: 7 },
      { at: '2026-09-01T00:00:00Z', cost: 70 },
    ]);
    await insertCalls([
      { at: '2026-07-02T00:00:00Z', cost: 5000 },
      { at: '2026-07-03T00:00:00Z', cost: 60000 },
    ]);
    expect(await periodsOf(id)).toEqual([['2026-07-01T00:00:00.000Z', 65110]]);
  });
});
