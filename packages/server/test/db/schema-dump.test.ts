import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpSchema } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const SCHEMA_FILE = fileURLToPath(new URL('../../sql/schema.sql', import.meta.url));

describe('schema dump', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('the committed sql/schema.sql is what the migrations produce (run `npm run schema:dump`)', async () => {
    const live = await t.db.ownerTx(dumpSchema);
    expect(live).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
