import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecretBox } from '../../src/cli/master-key.ts';
import { createLogger } from '../../src/observability/index.ts';
import { seal } from '../../src/secrets/aes-gcm.ts';
import {
  createSecretBox,
  masterKeyId,
  parseMasterKey,
  platformProviderContext,
  putPlatformProvider,
  readPlatformProviderKey,
  rewrapPlatformProviderKeys,
  type SecretBox,
} from '../../src/secrets/index.ts';
import { seedTenant, testConfig, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const onlyA = createSecretBox({ masterKey: KEY_A });
const bWithA = createSecretBox({ masterKey: KEY_B, previousKeys: [KEY_A] });
const onlyB = createSecretBox({ masterKey: KEY_B });

const SEALED_PARTS = { iv: 1, ciphertext: 2, tag: 3 } as const;

/** The sealed value with one bit flipped in one of its parts (`v1.<iv>.<ciphertext>.<tag>`). */
function tamper(sealed: string, part: keyof typeof SEALED_PARTS): string {
  const parts = sealed.split('.');
  const index = SEALED_PARTS[part] + parts.length - 4;
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('platform secrets (sealed by the master key, no database)', () => {
  const context = platformProviderContext('openai');

  it('open what was sealed; the stored text names the master key and holds no plaintext', () => {
    const stored = onlyA.sealPlatform(context, 'sk-platform-123');
    expect(stored.startsWith(`${masterKeyId(KEY_A)}.v1.`)).toBe(true);
    expect(stored).not.toContain('sk-platform');
    expect(onlyA.openPlatform(context, stored)).toBe('sk-platform-123');
  });

  it.each(Object.keys(SEALED_PARTS) as (keyof typeof SEALED_PARTS)[])(
    'a platform secret with a changed %s is SECRET_UNREADABLE',
    (part) => {
      const stored = onlyA.sealPlatform(context, 'sk-platform-123');
      expect(() => onlyA.openPlatform(context, tamper(stored, part))).toThrow(
        expect.objectContaining({
          code: 'SECRET_UNREADABLE',
          message: 'A stored secret could not be decrypted',
        }),
      );
    },
  );

  it('a platform key moved to another provider does not open', () => {
    const stored = onlyA.sealPlatform(context, 'sk-platform-123');
    expect(() => onlyA.openPlatform(platformProviderContext('anthropic'), stored)).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
  });

  it('rotation: sealed under A, read with B current and A previous, re-sealed under B, then A is unknown', () => {
    const underA = onlyA.sealPlatform(context, 'sk-platform-123');
    expect(bWithA.openPlatform(context, underA)).toBe('sk-platform-123');
    expect(() => onlyB.openPlatform(context, underA)).toThrow(
      expect.objectContaining({
        code: 'SECRETS_MASTER_KEY_MISMATCH',
        message: `A platform secret was wrapped by master key ${masterKeyId(KEY_A)}, which is neither SHOAL_MASTER_KEY nor in SHOAL_MASTER_KEY_PREVIOUS`,
      }),
    );
    const underB = bWithA.rewrapPlatform(context, underA);
    expect(underB?.startsWith(`${masterKeyId(KEY_B)}.`)).toBe(true);
    expect(bWithA.rewrapPlatform(context, underB ?? '')).toBeNull();
    expect(onlyB.openPlatform(context, underB ?? '')).toBe('sk-platform-123');
    expect(() => onlyA.openPlatform(context, underB ?? '')).toThrow(
      expect.objectContaining({ code: 'SECRETS_MASTER_KEY_MISMATCH' }),
    );
  });

  it('a stored text without a master key id is SECRET_UNREADABLE', () => {
    expect(() => onlyA.openPlatform(context, 'no-dots-here')).toThrow(
      expect.objectContaining({ code: 'SECRET_UNREADABLE' }),
    );
  });
});

describe('the master keys of a process (openSecretBox)', () => {
  const logger = createLogger({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'shoal-rotation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const context = platformProviderContext('openai');

  it('SHOAL_MASTER_KEY wraps, SHOAL_MASTER_KEY_PREVIOUS (comma-separated) only unwraps', () => {
    const other = Buffer.alloc(32, 0xe5);
    const box = openSecretBox(
      testConfig({
        SHOAL_MASTER_KEY: KEY_B.toString('base64'),
        SHOAL_MASTER_KEY_PREVIOUS: `${other.toString('base64')}, ${KEY_A.toString('base64')}`,
      }),
      'postgres',
      logger,
    );
    expect(box?.currentKeyId).toBe(masterKeyId(KEY_B));
    expect(box?.openPlatform(context, onlyA.sealPlatform(context, 'sk-old'))).toBe('sk-old');
    expect(box?.sealPlatform(context, 'sk-new').startsWith(`${masterKeyId(KEY_B)}.`)).toBe(true);
  });

  it('on PGlite without SHOAL_MASTER_KEY the generated file key stays current; previous keys still unwrap', () => {
    const box = openSecretBox(
      testConfig({ SHOAL_DATA_DIR: dir, SHOAL_MASTER_KEY_PREVIOUS: KEY_A.toString('base64') }),
      'pglite',
      logger,
    );
    const fileKey = parseMasterKey(readFileSync(join(dir, 'master.key'), 'utf8'));
    expect(box?.currentKeyId).toBe(masterKeyId(fileKey ?? Buffer.alloc(0)));
    expect(box?.openPlatform(context, onlyA.sealPlatform(context, 'sk-old'))).toBe('sk-old');
  });
});

// Pure CPU, no database: run on the PGlite project only so it does not run twice.
describe.runIf(TEST_DRIVER === 'pglite')('AES-GCM IVs (PGlite project only)', () => {
  it('1,000,000 encryptions under one data key repeat no IV', () => {
    const dataKey = randomBytes(32);
    const plaintext = Buffer.from('sk-live-0123456789');
    const ivs = new Set<string>();
    const count = 1_000_000;
    for (let i = 0; i < count; i += 1) {
      const sealed = seal(dataKey, plaintext, 'shoal:secret:t:s');
      const start = sealed.indexOf('.') + 1;
      ivs.add(sealed.slice(start, sealed.indexOf('.', start)));
    }
    expect(ivs.size).toBe(count);
  }, 60_000);
});

describe('tenant secrets under rotation (database)', () => {
  let t: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;

  const sealFor = (box: SecretBox, tenantId: string, secretId: string, text: string) =>
    t.db.tenantTx(tenantId, (tx) => box.seal(tx, tenantId, secretId, text));
  const openFor = (box: SecretBox, tenantId: string, secretId: string, sealed: string) =>
    t.db.tenantTx(tenantId, (tx) => box.open(tx, tenantId, secretId, sealed));
  const keyRow = async (tenantId: string) =>
    (
      await t.db.ownerTx((tx) =>
        tx.query<{ master_key_id: string; wrapped_key: string; rewrapped_at: Date | null }>(
          'select master_key_id, wrapped_key, rewrapped_at from tenant_keys where tenant_id = $1',
          [tenantId],
        ),
      )
    ).rows[0];

  beforeAll(async () => {
    t = await createTestDatabase();
    a = await seedTenant(t.db, 'box-a');
    b = await seedTenant(t.db, 'box-b');
  });
  afterAll(() => t.drop());

  it.each(Object.keys(SEALED_PARTS) as (keyof typeof SEALED_PARTS)[])(
    'a sealed secret with a changed %s is SECRET_UNREADABLE',
    async (part) => {
      const sealed = await sealFor(onlyA, a.tenantId, 'tampered', 'sk-tenant-secret');
      expect(await openFor(onlyA, a.tenantId, 'tampered', sealed)).toBe('sk-tenant-secret');
      await expect(openFor(onlyA, a.tenantId, 'tampered', tamper(sealed, part))).rejects.toMatchObject({
        code: 'SECRET_UNREADABLE',
        message: 'A stored secret could not be decrypted',
      });
    },
  );

  it('a secret moved to another secret id or another tenant does not open', async () => {
    const sealed = await sealFor(onlyA, a.tenantId, 'secret-1', 'sk-tenant-secret');
    await expect(openFor(onlyA, a.tenantId, 'secret-2', sealed)).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
    await sealFor(onlyA, b.tenantId, 'warm-up', 'gives b a data key');
    await expect(openFor(onlyA, b.tenantId, 'secret-1', sealed)).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
  });

  it("a tenant's wrapped data key copied to another tenant does not unwrap there", async () => {
    const tenant = await seedTenant(t.db, 'box-copy');
    await sealFor(onlyA, a.tenantId, 'x', 'v');
    const source = await keyRow(a.tenantId);
    await t.db.ownerTx((tx) =>
      tx.query('insert into tenant_keys (tenant_id, master_key_id, wrapped_key) values ($1, $2, $3)', [
        tenant.tenantId,
        source?.master_key_id,
        source?.wrapped_key,
      ]),
    );
    await expect(sealFor(onlyA, tenant.tenantId, 'y', 'v')).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
      message: "The tenant's data key could not be unwrapped",
    });
  });

  it('rotation: readable with B current and A previous, rewrap moves the tenant to B, then A is unknown', async () => {
    const tenant = await seedTenant(t.db, 'box-rotate');
    const id = randomUUID();
    const sealed = await sealFor(onlyA, tenant.tenantId, id, 'sk-rotate-me');
    const before = await keyRow(tenant.tenantId);
    expect(before).toMatchObject({ master_key_id: masterKeyId(KEY_A), rewrapped_at: null });

    expect(await openFor(bWithA, tenant.tenantId, id, sealed)).toBe('sk-rotate-me');
    await expect(openFor(onlyB, tenant.tenantId, id, sealed)).rejects.toMatchObject({
      code: 'SECRETS_MASTER_KEY_MISMATCH',
      message: `The data key of tenant ${tenant.tenantId} was wrapped by master key ${masterKeyId(KEY_A)}, which is neither SHOAL_MASTER_KEY nor in SHOAL_MASTER_KEY_PREVIOUS`,
    });

    expect(await t.db.tenantTx(tenant.tenantId, (tx) => bWithA.rewrap(tx, tenant.tenantId))).toBe(true);
    const after = await keyRow(tenant.tenantId);
    expect(after?.master_key_id).toBe(masterKeyId(KEY_B));
    expect(after?.wrapped_key).not.toBe(before?.wrapped_key);
    expect(after?.rewrapped_at).toBeInstanceOf(Date);
    expect(await t.db.tenantTx(tenant.tenantId, (tx) => bWithA.rewrap(tx, tenant.tenantId))).toBe(false);

    // The data key did not change: the secret sealed before the rotation opens with B alone.
    expect(await openFor(onlyB, tenant.tenantId, id, sealed)).toBe('sk-rotate-me');
    const later = await sealFor(onlyB, tenant.tenantId, 'later', 'sk-after');
    expect(await openFor(bWithA, tenant.tenantId, 'later', later)).toBe('sk-after');
    await expect(openFor(onlyA, tenant.tenantId, id, sealed)).rejects.toMatchObject({
      code: 'SECRETS_MASTER_KEY_MISMATCH',
    });
  });

  it('rewrap of a tenant without a data key, or under an unknown key, changes nothing', async () => {
    const fresh = await seedTenant(t.db, 'box-none');
    expect(await t.db.tenantTx(fresh.tenantId, (tx) => onlyB.rewrap(tx, fresh.tenantId))).toBe(false);
    expect(await keyRow(fresh.tenantId)).toBeUndefined();

    const unknown = createSecretBox({ masterKey: Buffer.alloc(32, 0xc3) });
    await sealFor(unknown, fresh.tenantId, 'x', 'v');
    const before = await keyRow(fresh.tenantId);
    await expect(
      t.db.tenantTx(fresh.tenantId, (tx) => bWithA.rewrap(tx, fresh.tenantId)),
    ).rejects.toMatchObject({ code: 'SECRETS_MASTER_KEY_MISMATCH' });
    expect(await keyRow(fresh.tenantId)).toEqual(before);
  });

  it('a new data key is wrapped by the current key, not a previous one', async () => {
    const fresh = await seedTenant(t.db, 'box-new');
    await sealFor(bWithA, fresh.tenantId, 'x', 'v');
    expect((await keyRow(fresh.tenantId))?.master_key_id).toBe(masterKeyId(KEY_B));
  });

  it('platform provider keys: rewrapped in the table under B, readable with B alone, one bad key reported', async () => {
    await t.db.systemTx((sys) =>
      putPlatformProvider(sys, onlyA, 'rot-one', {
        kind: 'openai',
        baseUrl: 'https://one.test/v1',
        apiKey: 'sk-one',
      }),
    );
    await t.db.systemTx((sys) =>
      putPlatformProvider(sys, createSecretBox({ masterKey: Buffer.alloc(32, 0xd4) }), 'rot-lost', {
        kind: 'openai',
        baseUrl: 'https://lost.test/v1',
        apiKey: 'sk-lost',
      }),
    );
    const first = await t.db.systemTx((sys) => rewrapPlatformProviderKeys(sys, bWithA));
    expect(first.rewrapped).toEqual(['rot-one']);
    expect(first.failed.map((f) => [f.provider, f.error.code])).toEqual([
      ['rot-lost', 'SECRETS_MASTER_KEY_MISMATCH'],
    ]);
    expect(await t.db.systemTx((sys) => readPlatformProviderKey(sys, onlyB, 'rot-one'))).toBe('sk-one');
    await expect(
      t.db.systemTx((sys) => readPlatformProviderKey(sys, onlyA, 'rot-one')),
    ).rejects.toMatchObject({
      code: 'SECRETS_MASTER_KEY_MISMATCH',
    });
    const again = await t.db.systemTx((sys) => rewrapPlatformProviderKeys(sys, bWithA));
    expect(again.rewrapped).toEqual([]);
    expect(again.current).toEqual(['rot-one']);
  });
});
