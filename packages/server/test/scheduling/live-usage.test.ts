import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { publishDefinition } from '../support/publish.ts';
import {
  bearer,
  createTestApp,
  seedTenant,
  TEST_OPERATOR_TOKEN,
  type TestTenant,
} from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const ONE_STEP = { name: 'one', steps: [{ id: 'a', type: 'transform', with: { value: 1 } }] };

describe('live usage', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let busy: TestTenant;
  let quiet: TestTenant;
  let dedicated: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    busy = await seedTenant(t.db, 'busy');
    quiet = await seedTenant(t.db, 'quiet');
    dedicated = await seedTenant(t.db, 'dedicated');
    await publishDefinition(t.db, busy.tenantId, ONE_STEP);
    const runIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/workflows/one/runs',
        headers: bearer(busy.keys.developer),
        payload: {},
      });
      runIds.push(res.json().run.id);
    }
    // The script: of 5 queued steps, 2 leased (running), 1 delayed, 2 available; 4 attempts
    // started just now waited 10, 20, 30 and 1000 ms, one 10 minutes ago waited long (ignored).
    await t.db.ownerTx(async (tx) => {
      await tx.query(
        `update step_queue set lease_owner = 'w1', lease_expires_at = now() + interval '1 minute'
                       where tenant_id = $1 and run_id = any($2)`,
        [busy.tenantId, runIds.slice(0, 2)],
      );
      await tx.query(
        `update step_queue set available_at = now() + interval '1 hour'
                       where tenant_id = $1 and run_id = $2`,
        [busy.tenantId, runIds[2]],
      );
      const waits = [10, 20, 30, 1000];
      for (const [i, wait] of waits.entries()) {
        await tx.query(
          `insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id, wait_ms) values ($1, $2, 'a', 1, 'w1', $3)`,
          [busy.tenantId, runIds[i], wait],
        );
      }
      await tx.query(
        `insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id, wait_ms, started_at)
         values ($1, $2, 'a', 2, 'w1', 99999, now() - interval '10 minutes')`,
        [busy.tenantId, runIds[0]],
      );
      await tx.query(`insert into workers (id, pool, concurrency) values ('live-shared', 'shared', 4)`);
      await tx.query(`insert into workers (id, pool, concurrency, last_seen_at)
                      values ('gone-acme', 'acme', 4, now() - interval '1 hour')`);
      await tx.query(`insert into tenant_limits (tenant_id, pool) values ($1, 'acme')`, [dedicated.tenantId]);
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it("a tenant's live usage matches the scripted queue, attempts, counters and limits", async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/tenant/usage/live',
      headers: bearer(busy.keys.viewer),
    });
    expect(res.statusCode).toBe(200);
    const usage = res.json();
    expect(usage).toMatchObject({
      tenantId: busy.tenantId,
      plan: 'free',
      pool: 'shared',
      poolLive: true,
      liveWorkers: 1,
      queue: { available: 2, delayed: 1 },
      running: 2,
      waitMs: { p50: 20, p95: 1000, p99: 1000, samples: 4 },
      openRuns: { used: 5, limit: 1000 },
      runStarts: { limit: 60 },
      limits: { weight: 1, guaranteedConcurrency: 2, burstCeiling: 10, maxStepsPerRun: 100 },
    });
    expect(usage.runStarts.sliding).toBeGreaterThan(4.9);
    expect(usage.runStarts.sliding).toBeLessThanOrEqual(5);
  });

  it("a tenant sees only its own usage, never another tenant's", async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/tenant/usage/live',
      headers: bearer(quiet.keys.owner),
    });
    expect(res.json()).toMatchObject({
      tenantId: quiet.tenantId,
      queue: { available: 0, delayed: 0 },
      running: 0,
      waitMs: { p50: null, samples: 0 },
      openRuns: { used: 0 },
    });
    const operatorRoute = await app.inject({
      method: 'GET',
      url: '/v1/operator/usage/live',
      headers: bearer(quiet.keys.owner),
    });
    expect(operatorRoute.statusCode).toBe(401);
  });

  it('the operator sees every tenant, and a dedicated pool without a live worker as not live', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/operator/usage/live',
      headers: bearer(TEST_OPERATOR_TOKEN),
    });
    const tenants = res.json().tenants as {
      tenantId: string;
      pool: string;
      poolLive: boolean;
      running: number;
    }[];
    const byId = new Map(tenants.map((u) => [u.tenantId, u]));
    expect(byId.get(busy.tenantId)).toMatchObject({ running: 2, poolLive: true });
    expect(byId.get(quiet.tenantId)).toMatchObject({ running: 0, poolLive: true });
    expect(byId.get(dedicated.tenantId)).toMatchObject({ pool: 'acme', poolLive: false });
  });

  it('pools in use are listed with their live workers; an unserved pool is reported, not failed', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/operator/pools',
      headers: bearer(TEST_OPERATOR_TOKEN),
    });
    expect(res.statusCode).toBe(200);
    const pools = res.json().pools as { pool: string }[];
    expect(pools.find((p) => p.pool === 'acme')).toEqual({
      pool: 'acme',
      tenants: 1,
      queued: 0,
      liveWorkers: 0,
      unserved: true,
    });
    expect(pools.find((p) => p.pool === 'shared')).toMatchObject({
      liveWorkers: 1,
      queued: 3,
      unserved: false,
    });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });
});
