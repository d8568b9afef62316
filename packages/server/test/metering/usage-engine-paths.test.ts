import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimStep, completeStep, reapExpiredLeases, startRun, type Claim } from '../../src/engine/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * Whoever ends an attempt records it in the ledger once, in its own transaction: a lease lost to
 * the reaper (no worker time), the next attempt's completion (its worker time), and a stale
 * write that is fenced out (nothing).
 */
describe('usage events from the engine paths', () => {
  let t: TestDatabase;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'usage-paths');
    await publishDefinition(t.db, tenant.tenantId, {
      name: 'one',
      steps: [{ id: 'x', type: 'transform', with: { value: 1 }, retry: { maxAttempts: 3 } }],
    });
  });
  afterAll(() => t.drop());

  const ledgerOf = (runId: string) =>
    t.db.ownerTx(async (tx) => {
      const r = await tx.query<{ key: string; kind: string; quantity: string; pool: string | null }>(
        `select key, kind, quantity, pool from usage_events where tenant_id = $1 and run_id = $2 order by key`,
        [tenant.tenantId, runId],
      );
      return r.rows.map((row) => [row.key, row.kind, Number(row.quantity), row.pool]);
    });

  const claim = async (leaseMs: number): Promise<Claim> => {
    const claimed = await t.db.systemTx((sys) =>
      claimStep(sys, { pool: 'shared', workerId: 'paths-worker', leaseMs }),
    );
    if (!claimed) throw new Error('nothing to claim');
    return claimed;
  };

  it('a lost lease, the next attempt and a stale completion give one event per attempt', async () => {
    const { runId } = await t.db.tenantTx(tenant.tenantId, (tx) =>
      startRun(tx, tenant.tenantId, { workflowName: 'one', input: {}, idempotencyKey: null }),
    );
    expect(await ledgerOf(runId)).toEqual([[`run:${runId}`, 'run_started', 1, 'shared']]);

    const first = await claim(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await t.db.systemTx((sys) => reapExpiredLeases(sys))).toEqual({ requeued: 1, failed: 0 });
    const second = await claim(60_000);
    expect(second.attempt).toBe(2);
    await t.db.tenantTx(tenant.tenantId, (tx) =>
      completeStep(tx, second, { ok: true }, { pool: 'shared', workMs: 12.6 }),
    );
    await expect(
      t.db.tenantTx(tenant.tenantId, (tx) =>
        completeStep(tx, first, { late: true }, { pool: 'shared', workMs: 99 }),
      ),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });

    expect(await ledgerOf(runId)).toEqual([
      [`run:${runId}`, 'run_started', 1, 'shared'],
      [`step:${runId}:x:1`, 'step_executed', 1, 'shared'],
      [`step:${runId}:x:2`, 'step_executed', 1, 'shared'],
      [`worker:${runId}:x:2`, 'worker_seconds', 13, 'shared'],
    ]);
  });
});
