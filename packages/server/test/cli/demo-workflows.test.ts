import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo, EXAMPLES_DIR } from '../../src/cli/demo.ts';
import { listWorkflows } from '../../src/workflows/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { testConfig } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** `name v1` of every examples/*.yaml, by name. */
const expected = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => `${/^name: (.+)$/m.exec(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))?.[1] ?? file} v1`)
  .sort();

describe('the demo tenant', () => {
  let t: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'shoal-demo-'));

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the sample workflows of examples/, published once', async () => {
    const runtime = {
      config: testConfig({ SHOAL_DATA_DIR: dir }),
      logger: createLogger({ level: 'silent' }),
      db: t.db,
    };
    const first = await ensureDemo(runtime);
    const names = async () =>
      (
        await t.db.tenantTx(first.credentials.tenantId, (tx) =>
          listWorkflows(tx, { archived: 'include', limit: 100 }),
        )
      ).map((w) => `${w.name} v${w.latestVersion}`);
    expect(await names()).toEqual(expected);

    // A restart prints a new key and leaves the workflows as they are.
    const second = await ensureDemo(runtime);
    expect(second.credentials.tenantId).toBe(first.credentials.tenantId);
    expect(await names()).toEqual(expected);
    const events = await t.db.ownerTx((tx) =>
      tx.query<{ n: number }>(
        `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'workflows.write'`,
        [first.credentials.tenantId],
      ),
    );
    expect(events.rows[0]?.n).toBe(expected.length);
    expect(expected.length).toBeGreaterThanOrEqual(2);
  });
});
