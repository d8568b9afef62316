import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimStep, claimSteps, completeStep, type Claim } from '../../src/engine/index.ts';
import { measureTenantCosts, STEP_OVERHEAD_MS } from '../../src/engine/tenant-costs.ts';
import { seedWorkflowVersion } from '../support/engine.ts';
import { leasedCount, queueRuns, setSchedulingLimits, type LimitOverrides } from '../support/scheduling.ts';
import { seedTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface FairTenant {
  id: string;
  workflowId: string;
}

/**
 * The fair pick (ADR 0005) claim by claim, without a worker: each test has its own pool, so
 * the order of claims is decided only by the tenants it sets up.
 */
describe('fair claims', () => {
  let t: TestDatabase;
  let pools = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  /** Tenants with the given limits in a pool of their own, each with a workflow to run. */
  async function setup(limits: LimitOverrides[]) {
    const pool = `fair-${++pools}`;
    const tenants: FairTenant[] = [];
    for (const [i, limit] of limits.entries()) {
      const tenant = await seedTenant(t.db, `${pool}-${i}`);
      await setSchedulingLimits(t.db, tenant.tenantId, { ...limit, pool });
      tenants.push({ id: tenant.tenantId, workflowId: await seedWorkflowVersion(t.db, tenant.tenantId) });
    }
    const claim = () =>
      t.db.systemTx((sys) => claimStep(sys, { pool, workerId: `w-${pool}`, leaseMs: 60_000 }));
    const complete = (c: Claim) => t.db.tenantTx(c.tenantId, (tx) => completeStep(tx, c, null, { pool }));
    /** Claims and at once completes `n` steps; returns how many each tenant got. */
    const turns = async (n: number) => {
      const got = new Map<string, number>();
      for (let i = 0; i < n; i += 1) {
        const c = await claim();
        if (!c) throw new Error(`nothing to claim at turn ${i}`);
        got.set(c.tenantId, (got.get(c.tenantId) ?? 0) + 1);
        await complete(c);
      }
      return tenants.map((tenant) => got.get(tenant.id) ?? 0);
    };
    const setPass = (tenantId: string, vpass: number) =>
      t.db.ownerTx((tx) =>
        tx.query('update tenant_sched set vpass = $2 where tenant_id = $1', [tenantId, vpass]),
      );
    const claimBatch = (limit: number) =>
      t.db.systemTx((sys) => claimSteps(sys, { pool, workerId: `w-${pool}`, leaseMs: 60_000, limit }));
    /** How many of `claims` each tenant got, in the order of `tenants`. */
    const shares = (claims: readonly Claim[]) =>
      tenants.map((tenant) => claims.filter((c) => c.tenantId === tenant.id).length);
    return { pool, tenants, claim, claimBatch, shares, complete, turns, setPass };
  }

  it('a tenant below its guarantee is served before a bursting tenant, whatever their passes', async () => {
    const { tenants, claim, setPass } = await setup([
      { guaranteed: 1, ceiling: 10 },
      { guaranteed: 3, ceiling: 10 },
    ]);
    const [a, b] = tenants as [FairTenant, FairTenant];
    await queueRuns(t.db, a.id, a.workflowId, 10);
    for (let i = 0; i < 6; i += 1) expect((await claim())?.tenantId).toBe(a.id);
    await queueRuns(t.db, b.id, b.workflowId, 5);
    // B's pass is far behind A's: only its guarantee can put it first.
    await setPass(b.id, 1e9);
    const next = [];
    for (let i = 0; i < 4; i += 1) next.push((await claim())?.tenantId);
    expect(next).toEqual([b.id, b.id, b.id, a.id]);
  });

  it('a tenant at its burst ceiling is passed over, and served again when one of its steps ends', async () => {
    const { tenants, claim, complete } = await setup([{ guaranteed: 0, ceiling: 2 }, { guaranteed: 0 }]);
    const [a, b] = tenants as [FairTenant, FairTenant];
    await queueRuns(t.db, a.id, a.workflowId, 5);
    await queueRuns(t.db, b.id, b.workflowId, 5);
    const held: Claim[] = [];
    for (let c = await claim(); c; c = await claim()) held.push(c);
    expect(held.filter((c) => c.tenantId === a.id)).toHaveLength(2);
    expect(held.filter((c) => c.tenantId === b.id)).toHaveLength(5);
    await complete(held.find((c) => c.tenantId === a.id) as Claim);
    expect((await claim())?.tenantId).toBe(a.id);
    expect(await claim()).toBeNull();
  });

  it('concurrent claims never lease more steps than the tenant ceiling', async () => {
    const { tenants, claim, complete } = await setup([
      { guaranteed: 1, ceiling: 3 },
      { guaranteed: 0, ceiling: 4 },
    ]);
    const [a, b] = tenants as [FairTenant, FairTenant];
    await queueRuns(t.db, a.id, a.workflowId, 40);
    await queueRuns(t.db, b.id, b.workflowId, 40);
    for (let round = 0; round < 8; round += 1) {
      const claims = (await Promise.all(Array.from({ length: 16 }, () => claim()))).filter(
        (c): c is Claim => c !== null,
      );
      expect(claims.filter((c) => c.tenantId === a.id)).toHaveLength(3);
      expect(claims.filter((c) => c.tenantId === b.id)).toHaveLength(4);
      expect(await leasedCount(t.db, a.id)).toBe(3);
      expect(await leasedCount(t.db, b.id)).toBe(4);
      for (const c of claims) await complete(c);
    }
  });

  it('weights 1:2:4 share the claims 1:2:4 while every tenant has work', async () => {
    const { tenants, turns } = await setup([
      { weight: 1, guaranteed: 0, ceiling: 100 },
      { weight: 2, guaranteed: 0, ceiling: 100 },
      { weight: 4, guaranteed: 0, ceiling: 100 },
    ]);
    for (const [i, tenant] of tenants.entries())
      await queueRuns(t.db, tenant.id, tenant.workflowId, 60 * 2 ** i);
    const got = await turns(210);
    expect(got.reduce((sum, n) => sum + n, 0)).toBe(210);
    for (const [i, n] of got.entries()) expect(Math.abs(n / (30 * 2 ** i) - 1)).toBeLessThanOrEqual(0.05);
  });

  it('a tenant of slow steps gets fewer claims: the share is by worker time, not by count', async () => {
    const { tenants, turns } = await setup([{ guaranteed: 0 }, { guaranteed: 0 }]);
    const [slow, quick] = tenants as [FairTenant, FairTenant];
    await t.db.ownerTx((tx) =>
      tx.query(
        'update tenant_sched set cost_ms = case when tenant_id = $1 then 40 else 10 end where tenant_id = any($2)',
        [slow.id, [slow.id, quick.id]],
      ),
    );
    await queueRuns(t.db, slow.id, slow.workflowId, 60);
    await queueRuns(t.db, quick.id, quick.workflowId, 200);
    const [slowGot, quickGot] = (await turns(150)) as [number, number];
    // Equal worker time: 40 ms × 30 = 10 ms × 120.
    expect(slowGot).toBeGreaterThanOrEqual(29);
    expect(slowGot).toBeLessThanOrEqual(31);
    expect(quickGot).toBe(150 - slowGot);
  });

  it('a tenant back from idle starts level with the busy ones instead of spending its idle time at once', async () => {
    const { tenants, turns } = await setup([{ guaranteed: 0 }, { guaranteed: 0 }]);
    const [busy, back] = tenants as [FairTenant, FairTenant];
    await queueRuns(t.db, busy.id, busy.workflowId, 140);
    expect(await turns(100)).toEqual([100, 0]);
    await queueRuns(t.db, back.id, back.workflowId, 40);
    const [busyGot, backGot] = (await turns(30)) as [number, number];
    expect(backGot).toBeGreaterThanOrEqual(14);
    expect(backGot).toBeLessThanOrEqual(16);
    expect(busyGot).toBe(30 - backGot);
  });

  it('a higher priority goes first, and a lower priority that waited longer than the head start goes ahead of it', async () => {
    const { tenants, claim, complete } = await setup([{ guaranteed: 0, ceiling: 1 }]);
    const [a] = tenants as [FairTenant];
    const low = await queueRuns(t.db, a.id, a.workflowId, 3, { priority: 0 });
    const high = await queueRuns(t.db, a.id, a.workflowId, 3, { priority: 5 });
    const order: string[] = [];
    for (let c = await claim(); c; c = await claim()) {
      order.push(c.runId);
      await complete(c);
    }
    expect(order).toEqual([...high, ...low]);

    // Ageing: a priority-0 step queued 60 s ago goes ahead of a priority-5 one (50 s head start)
    // queued now, but not of a priority-9 one (90 s).
    const [waited] = await queueRuns(t.db, a.id, a.workflowId, 1, { priority: 0 });
    await t.db.ownerTx((tx) =>
      tx.query('update step_queue set vtime = vtime - 60000 where run_id = $1', [waited]),
    );
    const [five] = await queueRuns(t.db, a.id, a.workflowId, 1, { priority: 5 });
    const [nine] = await queueRuns(t.db, a.id, a.workflowId, 1, { priority: 9 });
    const aged: string[] = [];
    for (let c = await claim(); c; c = await claim()) {
      aged.push(c.runId);
      await complete(c);
    }
    expect(aged).toEqual([nine, waited, five]);
  });

  it("a tenant's cost per step follows the time its executors ran; similar tenants are charged alike", async () => {
    const { tenants, claim, pool } = await setup([{ guaranteed: 0 }, { guaranteed: 0 }, { guaranteed: 0 }]);
    const workMs = [10, 11, 40];
    for (const tenant of tenants) await queueRuns(t.db, tenant.id, tenant.workflowId, 3);
    for (let c = await claim(); c; c = await claim()) {
      const work = workMs[tenants.findIndex((tenant) => tenant.id === c.tenantId)];
      await t.db.tenantTx(c.tenantId, (tx) => completeStep(tx, c, null, { pool, workMs: work }));
    }
    await t.db.ownerTx((tx) =>
      tx.query(`update tenant_sched set cost_ms = 10, cost_measured_at = now() - interval '1 minute'`),
    );
    expect(await t.db.systemTx((sys) => measureTenantCosts(sys))).toBeGreaterThanOrEqual(3);
    const costs = await t.db.ownerTx((tx) =>
      tx.query<{ tenant_id: string; cost_ms: number }>(
        'select tenant_id, cost_ms from tenant_sched where tenant_id = any($1::uuid[])',
        [tenants.map((tenant) => tenant.id)],
      ),
    );
    const costOf = (i: number) => costs.rows.find((r) => r.tenant_id === tenants[i]?.id)?.cost_ms;
    // 10 and 11 ms are within 25% of the typical 11 ms: both pay it; 40 ms pays its own.
    expect([costOf(0), costOf(1), costOf(2)]).toEqual([
      11 + STEP_OVERHEAD_MS,
      11 + STEP_OVERHEAD_MS,
      40 + STEP_OVERHEAD_MS,
    ]);
  });

  it('one batch claim takes what as many single claims would have taken', async () => {
    const limits = [
      { weight: 1, guaranteed: 0, ceiling: 100 },
      { weight: 2, guaranteed: 0, ceiling: 100 },
      { weight: 4, guaranteed: 1, ceiling: 100 },
    ];
    const single = await setup(limits);
    const batch = await setup(limits);
    for (const { tenants } of [single, batch])
      for (const tenant of tenants) await queueRuns(t.db, tenant.id, tenant.workflowId, 30);
    const singles: Claim[] = [];
    for (let i = 0; i < 21; i += 1) singles.push((await single.claim()) as Claim);
    const batched = await batch.claimBatch(21);
    expect(batched).toHaveLength(21);
    expect(batch.shares(batched)).toEqual(single.shares(singles));
    // Weights 1:2:4 from level passes, after the weight-4 tenant's guaranteed first step.
    expect(batch.shares(batched)).toEqual([3, 6, 12]);
    expect(new Set(batched.map((c) => `${c.runId}/${c.stepKey}`)).size).toBe(21);
    for (const c of batched) expect(c.attempt).toBe(1);
  });

  it('a batch claim serves guarantees first and never takes a tenant past its ceiling', async () => {
    const { tenants, claimBatch, shares, complete } = await setup([
      { guaranteed: 2, ceiling: 3 },
      { guaranteed: 0, ceiling: 4 },
      { guaranteed: 0, ceiling: 50 },
    ]);
    const [a, b, c] = tenants as [FairTenant, FairTenant, FairTenant];
    await queueRuns(t.db, a.id, a.workflowId, 20);
    await queueRuns(t.db, b.id, b.workflowId, 20);
    await queueRuns(t.db, c.id, c.workflowId, 3);
    // A's pass far ahead: only its guarantee puts its first two steps in the batch.
    await t.db.ownerTx((tx) => tx.query('update tenant_sched set vpass = 1e9 where tenant_id = $1', [a.id]));
    const first = await claimBatch(2);
    expect(shares(first)).toEqual([2, 0, 0]);
    // Four batches at once: A has one slot left, B four, C has three steps queued.
    const rest = (await Promise.all(Array.from({ length: 4 }, () => claimBatch(6)))).flat();
    expect(shares(rest)).toEqual([1, 4, 3]);
    expect(await leasedCount(t.db, a.id)).toBe(3);
    expect(await leasedCount(t.db, b.id)).toBe(4);
    expect(await claimBatch(10)).toEqual([]);
    await complete(rest.find((claim) => claim.tenantId === b.id) as Claim);
    expect(shares(await claimBatch(10))).toEqual([0, 1, 0]);
  });
});
