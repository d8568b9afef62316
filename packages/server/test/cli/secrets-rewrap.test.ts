import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import {
  createSecretBox,
  masterKeyId,
  putProviderKey,
  readPlatformProviderKey,
  readProviderKey,
  secretFingerprint,
  type SecretBox,
} from '../../src/secrets/index.ts';
import { emptyDatabase } from '../support/empty-database.ts';
import { runShoal } from '../support/run-cli.ts';
import { seedTenant } from '../support/test-app.ts';

const KEY_A = Buffer.alloc(32, 0x1a);
const KEY_B = Buffer.alloc(32, 0x2b);
const KEY_C = Buffer.alloc(32, 0x3c);
const b64 = (key: Buffer) => key.toString('base64');
const PLATFORM_KEY = 'sk-platform-cli-Zx8Yw7Vu6Ts5';

interface RewrapJson {
  masterKeyId: string;
  tenantKeys: { rewrapped: number; current: number };
  platformKeys: { rewrapped: number; current: number };
  failures: { tenantId?: string; provider?: string; code: string }[];
}

describe('shoal secrets rewrap and shoal providers', () => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  const tenants: string[] = [];

  const shoal = (args: string[], env: Record<string, string> = {}) =>
    runShoal(args, { ...database.env, SHOAL_DEMO: 'false', ...env });
  /** The database opened from the test between CLI runs (PGlite has one process at a time). */
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const db = await openDatabase(loadConfig({ ...database.env, SHOAL_LOG_LEVEL: 'silent' }));
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const storeKey = (db: Database, box: SecretBox, tenantId: string, apiKey: string) =>
    db.tenantTx(tenantId, (tx) =>
      putProviderKey(tx, box, tenantId, { provider: 'openai', apiKey, createdBy: 'test' }),
    );

  beforeAll(async () => {
    database = await emptyDatabase();
    const migrated = await shoal(['migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    await withDb(async (db) => {
      const boxA = createSecretBox({ masterKey: KEY_A });
      for (const name of ['cli-one', 'cli-two', 'cli-empty'])
        tenants.push((await seedTenant(db, name)).tenantId);
      await storeKey(db, boxA, tenants[0] ?? '', 'sk-tenant-one');
      await storeKey(db, boxA, tenants[1] ?? '', 'sk-tenant-two');
    });
  }, 120_000);
  afterAll(() => database.drop());

  it('providers set reads the platform key from the named variable, list shows only its fingerprint', async () => {
    const set = await shoal(
      [
        'providers',
        'set',
        'openai',
        '--kind',
        'openai',
        '--base-url',
        'https://api.openai.com/v1',
        '--api-key-env',
        'OPENAI_PLATFORM_KEY',
        '--json',
      ],
      { SHOAL_MASTER_KEY: b64(KEY_A), OPENAI_PLATFORM_KEY: PLATFORM_KEY },
    );
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      name: 'openai',
      hasPlatformKey: true,
      platformKeyFingerprint: secretFingerprint(PLATFORM_KEY),
    });
    const listed = await shoal(['providers', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `openai (openai) https://api.openai.com/v1 platform key: ${secretFingerprint(PLATFORM_KEY)}`,
    );
    expect(listed.stdout).toContain('simulated (simulated) - platform key: none');
    for (const out of [set.stdout, listed.stdout]) expect(out).not.toContain(PLATFORM_KEY);

    const missing = await shoal([
      'providers',
      'set',
      'openai',
      '--kind',
      'openai',
      '--api-key-env',
      'NOT_SET',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('The environment variable NOT_SET is not set');
    const noUrl = await shoal(['providers', 'set', 'local', '--kind', 'openai']);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain('Error PROVIDER_INVALID: A openai provider needs an http(s) baseUrl');
    const badKind = await shoal(['providers', 'set', 'local', '--kind', 'cohere']);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--kind must be one of openai, anthropic, simulated (got "cohere")');
  }, 120_000);

  it('rewrap moves every key from A to B once; a second run finds everything current', async () => {
    const env = { SHOAL_MASTER_KEY: b64(KEY_B), SHOAL_MASTER_KEY_PREVIOUS: b64(KEY_A) };
    const first = await shoal(['secrets', 'rewrap', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual<RewrapJson>({
      masterKeyId: masterKeyId(KEY_B),
      tenantKeys: { rewrapped: 2, current: 1 },
      platformKeys: { rewrapped: 1, current: 0 },
      failures: [],
    });
    const second = await shoal(['secrets', 'rewrap'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('tenant keys: 0 rewrapped, 3 already current');
    expect(second.stdout).toContain('platform keys: 0 rewrapped, 1 already current');

    // B alone now reads everything; A alone reads nothing.
    await withDb(async (db) => {
      const onlyB = createSecretBox({ masterKey: KEY_B });
      const onlyA = createSecretBox({ masterKey: KEY_A });
      const one = tenants[0] ?? '';
      expect(await db.tenantTx(one, (tx) => readProviderKey(tx, onlyB, one, 'openai'))).toBe('sk-tenant-one');
      expect(await db.systemTx((sys) => readPlatformProviderKey(sys, onlyB, 'openai'))).toBe(PLATFORM_KEY);
      await expect(db.tenantTx(one, (tx) => readProviderKey(tx, onlyA, one, 'openai'))).rejects.toMatchObject(
        {
          code: 'SECRETS_MASTER_KEY_MISMATCH',
        },
      );
      await expect(db.systemTx((sys) => readPlatformProviderKey(sys, onlyA, 'openai'))).rejects.toMatchObject(
        {
          code: 'SECRETS_MASTER_KEY_MISMATCH',
        },
      );
      const ids = await db.ownerTx((tx) =>
        tx.query<{ master_key_id: string }>('select distinct master_key_id from tenant_keys'),
      );
      expect(ids.rows).toEqual([{ master_key_id: masterKeyId(KEY_B) }]);
    });
  }, 120_000);

  it('a tenant key wrapped by a master key that is not configured fails the run (exit 1), naming the tenant', async () => {
    const lost = await withDb(async (db) => {
      const tenantId = (await seedTenant(db, 'cli-lost')).tenantId;
      await storeKey(db, createSecretBox({ masterKey: KEY_C }), tenantId, 'sk-lost');
      return tenantId;
    });
    const run = await shoal(['secrets', 'rewrap', '--json'], { SHOAL_MASTER_KEY: b64(KEY_B) });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      tenantKeys: { rewrapped: 0, current: 3 },
      failures: [{ tenantId: lost, code: 'SECRETS_MASTER_KEY_MISMATCH' }],
    });
    expect(run.stderr).toContain(
      `tenant ${lost}: SECRETS_MASTER_KEY_MISMATCH: The data key of tenant ${lost} was wrapped by master key ${masterKeyId(KEY_C)}`,
    );
  }, 120_000);
});
