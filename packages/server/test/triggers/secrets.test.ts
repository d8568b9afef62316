import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretBox } from '../../src/cli/master-key.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createSecretBox, parseMasterKey } from '../../src/secrets/index.ts';
import { seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const logger = createLogger({ level: 'silent' });

describe('tenant secrets (envelope encryption)', () => {
  let t: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;
  const box = createSecretBox({ masterKey: Buffer.alloc(32, 1) });

  beforeAll(async () => {
    t = await createTestDatabase();
    a = await seedTenant(t.db, 'sec-a');
    b = await seedTenant(t.db, 'sec-b');
  });
  afterAll(() => t.drop());

  it('a sealed secret opens for its tenant and id only, and the stored text holds no plaintext', async () => {
    const sealed = await t.db.tenantTx(a.tenantId, (tx) =>
      box.seal(tx, a.tenantId, 'id-1', 'hunter2-secret'),
    );
    expect(sealed).not.toContain('hunter2');
    expect(await t.db.tenantTx(a.tenantId, (tx) => box.open(tx, a.tenantId, 'id-1', sealed))).toBe(
      'hunter2-secret',
    );
    await expect(
      t.db.tenantTx(a.tenantId, (tx) => box.open(tx, a.tenantId, 'id-2', sealed)),
    ).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
    await t.db.tenantTx(b.tenantId, (tx) => box.seal(tx, b.tenantId, 'x', 'b'));
    await expect(
      t.db.tenantTx(b.tenantId, (tx) => box.open(tx, b.tenantId, 'id-1', sealed)),
    ).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
  });

  it('another master key is told apart from a corrupt secret: SECRETS_MASTER_KEY_MISMATCH', async () => {
    const sealed = await t.db.tenantTx(a.tenantId, (tx) => box.seal(tx, a.tenantId, 'k', 'v'));
    const other = createSecretBox({ masterKey: Buffer.alloc(32, 2) });
    await expect(
      t.db.tenantTx(a.tenantId, (tx) => other.open(tx, a.tenantId, 'k', sealed)),
    ).rejects.toMatchObject({
      code: 'SECRETS_MASTER_KEY_MISMATCH',
      status: 500,
    });
  });

  it('deleting the tenant data key makes every secret of the tenant unreadable', async () => {
    const sealed = await t.db.tenantTx(b.tenantId, (tx) => box.seal(tx, b.tenantId, 'gone', 'v'));
    await t.db.ownerTx((tx) => tx.query('delete from tenant_keys where tenant_id = $1', [b.tenantId]));
    await expect(
      t.db.tenantTx(b.tenantId, (tx) => box.open(tx, b.tenantId, 'gone', sealed)),
    ).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
  });
});

describe('the master key of shoal serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-master-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on embedded PGlite without SHOAL_MASTER_KEY, one is generated once with mode 0600 and reused', () => {
    const config = testConfig({ SHOAL_DATA_DIR: dir });
    expect(openSecretBox(config, 'pglite', logger)).not.toBeNull();
    const file = join(dir, 'master.key');
    const first = readFileSync(file, 'utf8');
    expect(parseMasterKey(first)).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    openSecretBox(config, 'pglite', logger);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('on PostgreSQL without SHOAL_MASTER_KEY there is none; a malformed key fails config', () => {
    expect(openSecretBox(testConfig({ SHOAL_DATA_DIR: dir }), 'postgres', logger)).toBeNull();
    expect(() => testConfig({ SHOAL_MASTER_KEY: 'too-short' })).toThrow(/SHOAL_MASTER_KEY/);
    const key = Buffer.alloc(32, 9).toString('base64');
    expect(openSecretBox(testConfig({ SHOAL_MASTER_KEY: key }), 'postgres', logger)).not.toBeNull();
  });
});
