import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  deleteTenantSecret,
  listTenantSecrets,
  putProviderKey,
  putTenantSecret,
  readProviderKey,
  readTenantSecret,
  secretFingerprint,
} from '../../src/secrets/index.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const box = createSecretBox({ masterKey: Buffer.alloc(32, 0x5e) });

describe('the tenant secrets store', () => {
  let t: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    a = await seedTenant(t.db, 'store-a');
    b = await seedTenant(t.db, 'store-b');
  });
  afterAll(() => t.drop());

  const inA = <T>(fn: (tx: Parameters<Parameters<typeof t.db.tenantTx>[1]>[0]) => Promise<T>) =>
    t.db.tenantTx(a.tenantId, fn);

  it('fingerprints are sha256: and 12 hex digits of a prefixed hash, never the end of the key', () => {
    expect(secretFingerprint('sk-abc')).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(secretFingerprint('sk-abc')).toBe(secretFingerprint('sk-abc'));
    expect(secretFingerprint('sk-abc')).not.toBe(secretFingerprint('sk-abd'));
    expect(secretFingerprint('sk-abc')).not.toContain('abc');
  });

  it('put creates, put again replaces in the same row, read and list never show sealed text', async () => {
    const first = await inA((tx) =>
      putTenantSecret(tx, box, a.tenantId, {
        name: 'slack-token',
        kind: 'generic',
        plaintext: 'xoxb-first',
        createdBy: 'user:u1',
      }),
    );
    expect(first.created).toBe(true);
    const second = await inA((tx) =>
      putTenantSecret(tx, box, a.tenantId, {
        name: 'slack-token',
        kind: 'generic',
        plaintext: 'xoxb-second',
        createdBy: 'user:u2',
      }),
    );
    expect(second).toMatchObject({ created: false, secret: { id: first.secret.id, createdBy: 'user:u1' } });
    expect(second.secret.fingerprint).toBe(secretFingerprint('xoxb-second'));
    expect(await inA((tx) => readTenantSecret(tx, box, a.tenantId, 'slack-token'))).toBe('xoxb-second');
    const listed = await inA((tx) => listTenantSecrets(tx));
    expect(listed).toEqual([second.secret]);
    expect(JSON.stringify(listed)).not.toContain('xoxb');
    const stored = await t.db.ownerTx((tx) =>
      tx.query<{ sealed: string }>('select sealed from tenant_secrets where id = $1', [first.secret.id]),
    );
    expect(stored.rows[0]?.sealed).not.toContain('xoxb');
  });

  it('a sealed value copied onto another secret row does not open there', async () => {
    const one = await inA((tx) =>
      putTenantSecret(tx, box, a.tenantId, { name: 'one', kind: 'generic', plaintext: 'v1', createdBy: 'x' }),
    );
    await inA((tx) =>
      putTenantSecret(tx, box, a.tenantId, { name: 'two', kind: 'generic', plaintext: 'v2', createdBy: 'x' }),
    );
    await t.db.ownerTx((tx) =>
      tx.query(
        `update tenant_secrets set sealed = (select sealed from tenant_secrets where id = $2)
          where tenant_id = $1 and name = 'two'`,
        [a.tenantId, one.secret.id],
      ),
    );
    await expect(inA((tx) => readTenantSecret(tx, box, a.tenantId, 'two'))).rejects.toMatchObject({
      code: 'SECRET_UNREADABLE',
    });
  });

  it('a name used by a secret of another kind is SECRET_NAME_TAKEN', async () => {
    await inA((tx) =>
      putTenantSecret(tx, box, a.tenantId, {
        name: 'provider:openai',
        kind: 'generic',
        plaintext: 'v',
        createdBy: 'x',
      }),
    );
    await expect(
      inA((tx) =>
        putProviderKey(tx, box, a.tenantId, { provider: 'openai', apiKey: 'sk-1', createdBy: 'x' }),
      ),
    ).rejects.toMatchObject({
      code: 'SECRET_NAME_TAKEN',
      status: 409,
      message: 'A generic secret is already named provider:openai; delete it first',
    });
    expect(await inA((tx) => deleteTenantSecret(tx, { name: 'provider:openai' }))).toMatchObject({
      kind: 'generic',
    });
  });

  it('provider keys: by provider, unknown and simulated providers refused, other tenants see nothing', async () => {
    await inA((tx) =>
      putProviderKey(tx, box, a.tenantId, { provider: 'anthropic', apiKey: 'sk-ant-a', createdBy: 'x' }),
    );
    expect(await inA((tx) => readProviderKey(tx, box, a.tenantId, 'anthropic'))).toBe('sk-ant-a');
    expect(await inA((tx) => readProviderKey(tx, box, a.tenantId, 'openai'))).toBeNull();
    expect(
      await t.db.tenantTx(b.tenantId, (tx) => readProviderKey(tx, box, b.tenantId, 'anthropic')),
    ).toBeNull();
    await expect(
      inA((tx) => putProviderKey(tx, box, a.tenantId, { provider: 'nope', apiKey: 'k', createdBy: 'x' })),
    ).rejects.toMatchObject({ code: 'PROVIDER_NOT_FOUND', message: 'No enabled LLM provider named nope' });
    await expect(
      inA((tx) =>
        putProviderKey(tx, box, a.tenantId, { provider: 'simulated', apiKey: 'k', createdBy: 'x' }),
      ),
    ).rejects.toMatchObject({
      code: 'PROVIDER_NEEDS_NO_KEY',
      message: 'simulated is a simulated provider and takes no API key',
    });
  });
});
