import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import type { Gateway } from '../../src/gateway/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createSecretBox, readPlatformProviderKey, secretFingerprint } from '../../src/secrets/index.ts';
import {
  bearer,
  seedTenant,
  TEST_MASTER_KEY,
  TEST_OPERATOR_TOKEN,
  testConfig,
  type TestTenant,
} from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const operator = bearer(TEST_OPERATOR_TOKEN);
const OPENAI_KEY = 'sk-proj-Vh3kTq9ZpL2mW8xR4nB7cY1dF6gJ0sA5';
const OTHER_KEY = 'sk-proj-other-tenant-key-000000000000';
const PLATFORM_KEY = 'sk-platform-Qm7Xc2Lp9Rt4Wn8Kb3Vd6Zf1';

interface ErrorJson {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
}

/** Every `invalidate` the routes call, in order: what the gateway's catalog cache is told. */
function recordingGateway(): { gateway: Gateway; invalidated: (string | null)[] } {
  const invalidated: (string | null)[] = [];
  const refuse = () => Promise.reject(new Error('no LLM calls in these tests'));
  const gateway: Gateway = {
    chat: refuse,
    chatStream: refuse,
    embed: refuse,
    listModels: refuse,
    invalidate: (tenantId) => void invalidated.push(tenantId),
    flush: async () => {},
    close: async () => {},
  };
  return { gateway, invalidated };
}

describe('provider keys (BYOK) and platform providers', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let noSecrets: ApiServer;
  let a: TestTenant;
  let b: TestTenant;
  const log: string[] = [];
  const recorder = recordingGateway();

  beforeAll(async () => {
    t = await createTestDatabase();
    const config = testConfig({ SHOAL_LOG_LEVEL: 'trace' });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(chunk.toString());
        done();
      },
    });
    const deps = {
      config,
      db: t.db,
      logger: createLogger({ level: 'trace', destination: sink }),
      rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    };
    app = createApiServer({
      ...deps,
      secrets: createSecretBox({ masterKey: TEST_MASTER_KEY }),
      gateway: recorder.gateway,
    });
    noSecrets = createApiServer(deps);
    a = await seedTenant(t.db, 'byok-a');
    b = await seedTenant(t.db, 'byok-b');
  });
  afterAll(async () => {
    await app.close();
    await noSecrets.close();
    await t.drop();
  });

  const put = (
    tenant: TestTenant,
    provider: string,
    apiKey: unknown,
    role: keyof TestTenant['keys'] = 'owner',
  ) =>
    app.inject({
      method: 'PUT',
      url: `/v1/provider-keys/${provider}`,
      headers: bearer(tenant.keys[role]),
      payload: { apiKey },
    });
  const list = (tenant: TestTenant) =>
    app.inject({ method: 'GET', url: '/v1/provider-keys', headers: bearer(tenant.keys.developer) });
  const storedRow = async (tenantId: string) =>
    (
      await t.db.ownerTx((tx) =>
        tx.query('select * from tenant_secrets where tenant_id = $1 and provider = $2', [tenantId, 'openai']),
      )
    ).rows[0];
  const responses: string[] = [];
  const keep = <R extends { body: string }>(res: R): R => {
    responses.push(res.body);
    return res;
  };

  it('put creates (201), put again replaces (200) in the same row, list shows provider and fingerprint', async () => {
    const created = keep(await put(a, 'openai', `${OPENAI_KEY}-old`));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      provider: 'openai',
      fingerprint: secretFingerprint(`${OPENAI_KEY}-old`),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const before = await storedRow(a.tenantId);
    const replaced = keep(await put(a, 'openai', OPENAI_KEY));
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().fingerprint).toBe(secretFingerprint(OPENAI_KEY));
    expect(replaced.json().fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    const after = await storedRow(a.tenantId);
    expect(after?.id).toBe(before?.id);
    expect(after?.sealed).not.toBe(before?.sealed);

    const listed = keep(await list(a));
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ providerKeys: [replaced.json()] });
    // The same key stored again has the same fingerprint.
    expect(keep(await put(a, 'openai', OPENAI_KEY)).json().fingerprint).toBe(replaced.json().fingerprint);
    expect(recorder.invalidated.filter((id) => id === a.tenantId).length).toBeGreaterThanOrEqual(3);
  });

  it('the put is audited with the fingerprint; the key is in no answer, audit event or log line', async () => {
    const events = keep(
      await app.inject({ method: 'GET', url: '/v1/audit-events?limit=20', headers: bearer(a.keys.owner) }),
    );
    const puts = events
      .json<{ data: { action: string; details: unknown }[] }>()
      .data.filter((e) => e.action === 'provider_keys.write');
    expect(puts[0]).toMatchObject({
      targetType: 'provider_key',
      targetId: 'openai',
      details: { fingerprint: secretFingerprint(OPENAI_KEY), replaced: true },
    });
    expect(log.length).toBeGreaterThan(0);
    for (const text of [...responses, ...log]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain('Vh3kTq9ZpL2mW8xR');
    }
    const stored = await storedRow(a.tenantId);
    expect(JSON.stringify(stored)).not.toContain('Vh3kTq9ZpL2mW8xR');
  });

  it("tenant B cannot see, replace or delete tenant A's key; A's row is unchanged", async () => {
    const before = await storedRow(a.tenantId);
    expect((await list(b)).json()).toEqual({ providerKeys: [] });
    const del = await app.inject({
      method: 'DELETE',
      url: '/v1/provider-keys/openai',
      headers: bearer(b.keys.owner),
    });
    expect(del.statusCode).toBe(404);
    expect(del.json<ErrorJson>().error).toMatchObject({
      code: 'PROVIDER_KEY_NOT_FOUND',
      message: 'The tenant has no key of provider openai',
    });
    // B's put makes B's own key, a row of B's; A's stays as it was.
    expect((await put(b, 'openai', OTHER_KEY)).statusCode).toBe(201);
    expect(await storedRow(a.tenantId)).toEqual(before);
    expect((await list(a)).json().providerKeys[0].fingerprint).toBe(secretFingerprint(OPENAI_KEY));
  });

  it('developers may list but not write, viewers neither; a bad key or provider name is VALIDATION_FAILED', async () => {
    expect((await list(a)).statusCode).toBe(200);
    for (const role of ['viewer', 'operator', 'billing'] as const) {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/provider-keys',
        headers: bearer(a.keys[role]),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json<ErrorJson>().error.message).toBe(`Role ${role} may not perform provider_keys.read`);
    }
    for (const role of ['viewer', 'developer', 'operator', 'billing'] as const) {
      const res = await put(a, 'openai', OPENAI_KEY, role);
      expect(res.statusCode).toBe(403);
      expect(res.json<ErrorJson>().error).toMatchObject({
        code: 'FORBIDDEN',
        message: `Role ${role} may not perform provider_keys.write`,
      });
    }
    expect((await put(a, 'openai', OPENAI_KEY, 'admin')).statusCode).toBe(200);
    for (const apiKey of ['', 'has space', 'x'.repeat(4097), 42]) {
      const res = await put(a, 'openai', apiKey);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorJson>().error.code).toBe('VALIDATION_FAILED');
      expect(new Set(res.json<ErrorJson>().error.details?.issues?.map((i) => i.path))).toEqual(
        new Set(['body.apiKey']),
      );
    }
    const badName = await put(a, 'Not_A_Provider', OPENAI_KEY);
    expect(badName.statusCode).toBe(400);
    expect(badName.json<ErrorJson>().error.code).toBe('VALIDATION_FAILED');
  });

  it('an unknown or disabled provider is 404 PROVIDER_NOT_FOUND; the simulated one 422 PROVIDER_NEEDS_NO_KEY', async () => {
    const unknown = await put(a, 'nowhere', OPENAI_KEY);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorJson>().error).toEqual({
      code: 'PROVIDER_NOT_FOUND',
      message: 'No enabled LLM provider named nowhere',
      requestId: expect.any(String),
    });
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into llm_providers (name, kind, base_url, enabled) values ('off', 'openai', 'https://off.test', false)`,
      ),
    );
    expect((await put(a, 'off', OPENAI_KEY)).json<ErrorJson>().error.code).toBe('PROVIDER_NOT_FOUND');
    const simulated = await put(a, 'simulated', OPENAI_KEY);
    expect(simulated.statusCode).toBe(422);
    expect(simulated.json<ErrorJson>().error).toMatchObject({
      code: 'PROVIDER_NEEDS_NO_KEY',
      message: 'simulated is a simulated provider and takes no API key',
    });
  });

  it('without a master key a put is 503 SECRETS_UNAVAILABLE; listing and deleting still work', async () => {
    const res = await noSecrets.inject({
      method: 'PUT',
      url: '/v1/provider-keys/anthropic',
      headers: bearer(a.keys.owner),
      payload: { apiKey: OPENAI_KEY },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json<ErrorJson>().error).toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      message: 'This deployment has no master key (SHOAL_MASTER_KEY), so it cannot store secrets',
    });
    const listed = await noSecrets.inject({
      method: 'GET',
      url: '/v1/provider-keys',
      headers: bearer(a.keys.developer),
    });
    expect(listed.json().providerKeys).toHaveLength(1);
  });

  it('delete answers 204, then the key is gone (404 on a second delete), audited with its fingerprint', async () => {
    const del = () =>
      app.inject({ method: 'DELETE', url: '/v1/provider-keys/openai', headers: bearer(a.keys.admin) });
    expect((await del()).statusCode).toBe(204);
    expect((await list(a)).json()).toEqual({ providerKeys: [] });
    expect(await storedRow(a.tenantId)).toBeUndefined();
    expect((await del()).statusCode).toBe(404);
    const events = await app.inject({
      method: 'GET',
      url: '/v1/audit-events?limit=1',
      headers: bearer(a.keys.owner),
    });
    expect(events.json().data[0]).toMatchObject({
      action: 'provider_keys.write',
      targetType: 'provider_key',
      targetId: 'openai',
      details: { fingerprint: secretFingerprint(OPENAI_KEY) },
    });
    // B's key is untouched by A's delete.
    expect((await list(b)).json().providerKeys).toHaveLength(1);
  });

  describe('operator providers', () => {
    const putProvider = (name: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'PUT', url: `/v1/operator/providers/${name}`, headers: operator, payload });
    const providers = async () =>
      (await app.inject({ method: 'GET', url: '/v1/operator/providers', headers: operator })).json<{
        providers: { name: string; hasPlatformKey: boolean; platformKeyFingerprint: string | null }[];
      }>().providers;
    const box = createSecretBox({ masterKey: TEST_MASTER_KEY });

    it('lists the seeded providers without keys', async () => {
      const seeded = await providers();
      expect(seeded.map((p) => p.name)).toEqual(expect.arrayContaining(['anthropic', 'openai', 'simulated']));
      expect(seeded.find((p) => p.name === 'openai')).toMatchObject({
        kind: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        hasPlatformKey: false,
        platformKeyFingerprint: null,
        options: {},
        enabled: true,
      });
    });

    it('create with a platform key (201), change keeping it, remove it with null; the key never shows', async () => {
      recorder.invalidated.length = 0;
      const created = keep(
        await putProvider('vllm-local', {
          kind: 'openai',
          baseUrl: 'http://vllm.internal:8000/v1',
          apiKey: PLATFORM_KEY,
          options: { timeoutMs: 5000 },
        }),
      );
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        name: 'vllm-local',
        hasPlatformKey: true,
        platformKeyFingerprint: secretFingerprint(PLATFORM_KEY),
        options: { timeoutMs: 5000 },
        enabled: true,
      });
      expect(await t.db.systemTx((sys) => readPlatformProviderKey(sys, box, 'vllm-local'))).toBe(
        PLATFORM_KEY,
      );

      const kept = keep(
        await putProvider('vllm-local', {
          kind: 'openai',
          baseUrl: 'http://vllm.internal:9000/v1',
          enabled: false,
        }),
      );
      expect(kept.statusCode).toBe(200);
      expect(kept.json()).toMatchObject({
        baseUrl: 'http://vllm.internal:9000/v1',
        hasPlatformKey: true,
        platformKeyFingerprint: secretFingerprint(PLATFORM_KEY),
        options: { timeoutMs: 5000 },
        enabled: false,
      });
      expect(await t.db.systemTx((sys) => readPlatformProviderKey(sys, box, 'vllm-local'))).toBe(
        PLATFORM_KEY,
      );

      const removed = keep(
        await putProvider('vllm-local', {
          kind: 'openai',
          baseUrl: 'http://vllm.internal:9000/v1',
          apiKey: null,
        }),
      );
      expect(removed.json()).toMatchObject({ hasPlatformKey: false, platformKeyFingerprint: null });
      expect(await t.db.systemTx((sys) => readPlatformProviderKey(sys, box, 'vllm-local'))).toBeNull();
      expect(recorder.invalidated).toEqual([null, null, null]);

      const row = await t.db.ownerTx((tx) =>
        tx.query("select * from llm_providers where name = 'vllm-local'"),
      );
      for (const text of [...responses, ...log, JSON.stringify(row.rows)])
        expect(text).not.toContain(PLATFORM_KEY);
      expect(log.join('')).toContain('operator changed an LLM provider');
    });

    it('validation: kind, name, baseUrl and keys of simulated providers, each with its code', async () => {
      const cases: [string, Record<string, unknown>, number, string, string?][] = [
        ['bad-kind', { kind: 'cohere', baseUrl: 'https://x.test' }, 400, 'VALIDATION_FAILED', 'body.kind'],
        ['bad-url', { kind: 'openai', baseUrl: 'ftp://x.test' }, 400, 'VALIDATION_FAILED', 'body.baseUrl'],
        [
          'bad-key',
          { kind: 'openai', baseUrl: 'https://x.test', apiKey: 'a b' },
          400,
          'VALIDATION_FAILED',
          'body.apiKey',
        ],
        ['no-url', { kind: 'anthropic' }, 422, 'PROVIDER_INVALID'],
        ['sim-key', { kind: 'simulated', apiKey: 'k' }, 422, 'PROVIDER_NEEDS_NO_KEY'],
        ['Bad_Name', { kind: 'simulated' }, 400, 'VALIDATION_FAILED', 'params.name'],
      ];
      for (const [name, payload, status, code, path] of cases) {
        const res = await putProvider(name, payload);
        expect({ name, status: res.statusCode, code: res.json<ErrorJson>().error.code }).toEqual({
          name,
          status,
          code,
        });
        if (path) expect(res.json<ErrorJson>().error.details?.issues?.map((i) => i.path)).toEqual([path]);
      }
      expect((await putProvider('no-url', { kind: 'anthropic' })).json<ErrorJson>().error.message).toBe(
        'A anthropic provider needs an http(s) baseUrl',
      );
      // A provider with a key turned simulated must drop the key explicitly.
      await putProvider('turning', { kind: 'openai', baseUrl: 'https://t.test', apiKey: PLATFORM_KEY });
      const turned = await putProvider('turning', { kind: 'simulated' });
      expect(turned.statusCode).toBe(422);
      expect(turned.json<ErrorJson>().error.message).toBe(
        'turning has a platform key; a simulated provider takes none (send "apiKey": null to remove it)',
      );
      expect((await putProvider('turning', { kind: 'simulated', apiKey: null })).statusCode).toBe(200);
      expect((await providers()).map((p) => p.name)).not.toContain('bad-kind');
    });

    it('a platform key needs a master key: 503 SECRETS_UNAVAILABLE; settings without one still change', async () => {
      const res = await noSecrets.inject({
        method: 'PUT',
        url: '/v1/operator/providers/nokey',
        headers: operator,
        payload: { kind: 'openai', baseUrl: 'https://n.test', apiKey: PLATFORM_KEY },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json<ErrorJson>().error.code).toBe('SECRETS_UNAVAILABLE');
      const plain = await noSecrets.inject({
        method: 'PUT',
        url: '/v1/operator/providers/nokey',
        headers: operator,
        payload: { kind: 'openai', baseUrl: 'https://n.test' },
      });
      expect(plain.statusCode).toBe(201);
    });

    it('delete removes a provider and tenants’ keys of it; the simulated one is PROVIDER_BUILTIN; unknown 404', async () => {
      await putProvider('doomed', { kind: 'openai', baseUrl: 'https://d.test' });
      expect((await put(a, 'doomed', OPENAI_KEY)).statusCode).toBe(201);
      const del = (name: string) =>
        app.inject({ method: 'DELETE', url: `/v1/operator/providers/${name}`, headers: operator });
      expect((await del('doomed')).statusCode).toBe(204);
      expect((await list(a)).json().providerKeys.map((k: { provider: string }) => k.provider)).not.toContain(
        'doomed',
      );
      const again = await del('doomed');
      expect(again.statusCode).toBe(404);
      expect(again.json<ErrorJson>().error).toMatchObject({
        code: 'PROVIDER_NOT_FOUND',
        message: 'No LLM provider named doomed',
      });
      const builtin = await del('simulated');
      expect(builtin.statusCode).toBe(409);
      expect(builtin.json<ErrorJson>().error).toMatchObject({
        code: 'PROVIDER_BUILTIN',
        message: 'simulated is built in; disable it with "enabled": false instead',
      });
      expect(recorder.invalidated.at(-1)).toBeNull();
    });

    it('tenants never see the platform key: the app role cannot select the sealed column', async () => {
      await putProvider('hidden', { kind: 'openai', baseUrl: 'https://h.test', apiKey: PLATFORM_KEY });
      await expect(
        t.db.tenantTx(a.tenantId, (tx) =>
          tx.query("select api_key_sealed from llm_providers where name = 'hidden'"),
        ),
      ).rejects.toThrow(/permission denied/);
    });
  });
});
