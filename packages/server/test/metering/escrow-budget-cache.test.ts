import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import { createTestEscrow, insertBudget } from '../support/metering.ts';
import { seedTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const BUDGET_LIST = 'select id, scope, scope_id from budgets';

/**
 * A process's list of a tenant's hard budgets (budgetCacheMs): read again in the background
 * from half its life so a call never waits for it under steady traffic, and never used past
 * its whole life.
 */
describe('hard budget list cache of the escrow', () => {
  let t: TestDatabase;
  let clock = 0;
  /** Reads of the budget list wait for this while it is set. */
  let gate: Promise<void> | null = null;
  let reads = 0;
  /** The last read of the budget list, settled once the database answered it. */
  let lastRead: Promise<unknown> = Promise.resolve();
  let gated: Database;

  beforeAll(async () => {
    t = await createTestDatabase();
    gated = new Proxy(t.db, {
      get(target, property, receiver) {
        if (property === 'systemQuery')
          return async (text: string, params?: readonly unknown[]) => {
            if (!text.startsWith(BUDGET_LIST)) return target.systemQuery(text, params);
            reads += 1;
            const read = (async () => {
              if (gate) await gate;
              return target.systemQuery(text, params);
            })();
            lastRead = read.catch(() => undefined);
            return read;
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  });
  afterAll(() => t.drop());

  const turns = async (n: number) => {
    for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  /** Whether `promise` settles before the event loop has gone round a few times. */
  const settlesSoon = async (promise: Promise<unknown>) => {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await turns(20);
    return settled;
  };

  it('a call past half the list life does not wait for its re-read; past the whole life it does', async () => {
    const tenant = await seedTenant(t.db, 'budget-cache');
    const first = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 1_000_000 });
    const escrow = createTestEscrow(gated, 'cache-test', { now: () => clock, budgetCacheMs: 1_000 });
    const reserve = () =>
      escrow.reserve({
        tenantId: tenant.tenantId,
        apiKeyId: null,
        runId: null,
        callId: crypto.randomUUID(),
        amountMicroUsd: 10,
      });
    try {
      clock = 0;
      expect(await reserve()).toMatchObject({ amountMicroUsd: 10 });
      expect(reads).toBe(1);

      // Half its life: the re-read starts, held at the gate, and the call goes on without it.
      let open: () => void = () => undefined;
      gate = new Promise((resolve) => (open = resolve));
      clock = 600;
      const second = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: 1_000_000 });
      expect(await settlesSoon(reserve())).toBe(true);
      expect(reads).toBe(2);
      expect(await settlesSoon(reserve())).toBe(true);
      expect(reads).toBe(2);
      open();
      gate = null;
      // The re-read answered, and the escrow has swapped it in (a few turns after the answer).
      await lastRead;
      await turns(5);
      // The re-read is in use: the new budget is reserved against too.
      await reserve();
      const leased = await t.db.ownerTx((tx) =>
        tx.query<{ budget_id: string }>(
          'select distinct budget_id from budget_leases where tenant_id = $1 order by budget_id',
          [tenant.tenantId],
        ),
      );
      expect(leased.rows.map((r) => r.budget_id).sort()).toEqual([first, second].sort());

      // Past the whole life of the list read at 600: the call waits for a fresh read.
      gate = new Promise((resolve) => (open = resolve));
      clock = 1_700;
      const waiting = reserve();
      expect(await settlesSoon(waiting)).toBe(false);
      open();
      gate = null;
      await waiting;
      expect(reads).toBe(3);
    } finally {
      await escrow.close();
    }
  });
});
