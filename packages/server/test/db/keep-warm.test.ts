import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../src/db/index.ts';
import { startWorker } from '../../src/engine/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

/** Sessions of `role` connected to this test's database, other than the counting one. */
async function sessions(t: TestDatabase, role: string): Promise<number> {
  const result = await t.db.ownerTx((tx) =>
    tx.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and usename = $1 and pid <> pg_backend_pid()`,
      [role],
    ),
  );
  return result.rows[0]?.n ?? 0;
}

// PGlite has one in-process connection and no sessions to count: PostgreSQL only.
describe.skipIf(TEST_DRIVER !== 'postgres')('keeping connections warm', () => {
  let t: TestDatabase;
  const opened: Database[] = [];
  const open = (poolSize: number) => {
    const db = openPostgres({ url: t.url as string, poolSize });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close().catch(() => undefined)));
    await t.drop();
  });

  it('opens the connections asked for at once, within the pool size', async () => {
    const before = { app: await sessions(t, 'shoal_app'), system: await sessions(t, 'shoal_system') };
    const db = open(3);
    await db.keepWarm({ tenant: 10, system: 2 });
    expect(await sessions(t, 'shoal_app')).toBe(before.app + 3);
    expect(await sessions(t, 'shoal_system')).toBe(before.system + 2);
    // They went back to the pool: three transactions at once on a full pool of three get them
    // (a connection still checked out would leave one waiting for ever) and open none.
    const tenant = '00000000-0000-0000-0000-000000000000';
    await Promise.all([1, 2, 3].map(() => db.tenantTx(tenant, (tx) => tx.query('select pg_sleep(0.02)'))));
    expect(await sessions(t, 'shoal_app')).toBe(before.app + 3);
  }, 10_000);

  it('keeps them open through an idle spell longer than the pool idle timeout (10 s)', async () => {
    const cold = open(4);
    const warm = open(4);
    const base = await sessions(t, 'shoal_app');
    // The cold pool opens four connections by use, the warm one by keepWarm.
    const hold = () =>
      cold.tenantTx('00000000-0000-0000-0000-000000000000', async (tx) => {
        await tx.query('select pg_sleep(0.05)');
      });
    await Promise.all([hold(), hold(), hold(), hold()]);
    await warm.keepWarm({ tenant: 4, system: 0 });
    expect(await sessions(t, 'shoal_app')).toBe(base + 8);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    // The cold pool closed its idle connections; the warm pool still holds all four.
    expect(await sessions(t, 'shoal_app')).toBe(base + 4);
  }, 30_000);

  it('a worker opens one tenant connection per slot before its first claim', async () => {
    const db = open(6);
    const before = await sessions(t, 'shoal_app');
    const worker = await startWorker(
      { db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      {
        pool: 'shared',
        workerId: 'warm-test',
        concurrency: 5,
        leaseMs: 5_000,
        pollMs: 200,
        maintenanceMs: 60_000,
      },
    );
    try {
      expect(await sessions(t, 'shoal_app')).toBeGreaterThanOrEqual(before + 5);
    } finally {
      await worker.stop();
    }
  });
});
