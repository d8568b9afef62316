import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/index.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

// A frozen process cannot be simulated on PGlite (one process, no idle sessions): PostgreSQL only.
describe.skipIf(TEST_DRIVER !== 'postgres')('idle transactions', () => {
  let t: TestDatabase;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'idle-tx');
  });
  afterAll(() => t.drop());

  it('a transaction left idle past the timeout is ended by the server: its lock is freed and its write rolled back', async () => {
    const db = openPostgres({ url: t.url as string, poolSize: 2, idleTransactionTimeoutMs: 300 });
    const name = `idle-${randomUUID().slice(0, 8)}`;
    try {
      const frozen = db.tenantTx(tenant.tenantId, async (tx) => {
        await tx.query('update tenants set name = $1 where id = $2', [name, tenant.tenantId]);
        // Like a worker stopped between two statements of its transaction, holding the row lock.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await tx.query('select 1');
      });
      await expect(frozen).rejects.toThrow();
      // The lock is gone: another transaction writes the row at once, and the frozen write is not there.
      const other = await t.db.tenantTx(tenant.tenantId, async (tx) => {
        await tx.query("set local lock_timeout = '200ms'");
        return tx.query<{ name: string }>('update tenants set name = name where id = $1 returning name', [
          tenant.tenantId,
        ]);
      });
      expect(other.rows[0]?.name).not.toBe(name);
    } finally {
      await db.close().catch(() => undefined);
    }
  });
});
