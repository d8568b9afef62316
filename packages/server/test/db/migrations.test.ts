import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('a second run applies nothing', async () => {
    const result = await migrate(t.db);
    expect(result.applied).toEqual([]);
    expect(result.current).toBe(loadMigrations().length);
  });

  it('refuses to run when an applied migration file changed', async () => {
    const changed = loadMigrations().map((m) => (m.version === 1 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(t.db, { migrations: changed })).rejects.toMatchObject({
      code: 'MIGRATION_CHECKSUM_MISMATCH',
    });
  });

  it('refuses to run when the database is newer than the code', async () => {
    await expect(migrate(t.db, { migrations: [] })).rejects.toMatchObject({
      code: 'MIGRATION_UNKNOWN',
      message: expect.stringContaining('Database has migration 1'),
    });
  });
});
