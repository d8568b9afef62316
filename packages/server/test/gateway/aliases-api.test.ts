import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { GATEWAY_ERRORS, type GatewayErrorCode } from '../../src/gateway/index.ts';
import {
  bearer,
  createTestApp,
  seedTenant,
  TEST_OPERATOR_TOKEN,
  type TestTenant,
} from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function expectGatewayError(
  res: LightMyRequestResponse,
  code: GatewayErrorCode,
  message: string,
): ErrorJson['error'] {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code, message: body.error.message }).toEqual({
    status: GATEWAY_ERRORS[code].status,
    code,
    message,
  });
  return body.error;
}

function expectApiError(res: LightMyRequestResponse, status: number, code: string, message: string): void {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code, message: body.error.message }).toEqual({
    status,
    code,
    message,
  });
}

const SPEC = {
  description: 'fast and cheap',
  candidates: [{ model: 'openai/gpt-4.1-mini', tier: 2 }, { model: 'anthropic/claude-3-5-haiku-latest' }],
};

describe('model aliases API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'aliases-a');
    b = await seedTenant(t.db, 'aliases-b');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const put = (
    tenant: TestTenant,
    name: string,
    payload: unknown,
    role: keyof TestTenant['keys'] = 'developer',
  ) =>
    app.inject({
      method: 'PUT',
      url: `/v1/model-aliases/${name}`,
      headers: bearer(tenant.keys[role]),
      payload: payload as Record<string, unknown>,
    });
  const get = (tenant: TestTenant, url: string) =>
    app.inject({ method: 'GET', url, headers: bearer(tenant.keys.viewer) });

  it('creates an alias with its defaults filled in, at version 1', async () => {
    const res = await put(a, 'fast', SPEC);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ created: true, changed: true, warnings: [] });
    expect(body.alias).toMatchObject({ name: 'fast', version: 1 });
    expect(body.alias.spec).toEqual({
      description: 'fast and cheap',
      strategy: 'cheapest',
      candidates: [
        { model: 'openai/gpt-4.1-mini', tier: 2, weight: 1 },
        { model: 'anthropic/claude-3-5-haiku-latest', tier: 1, weight: 1 },
      ],
      minTier: 1,
      defaults: {},
      cache: { enabled: false, ttlSeconds: 3600 },
      budgetRules: [],
    });
    const read = await get(a, '/v1/model-aliases/fast');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body.alias);
  });

  it('the same spec again answers 200 unchanged and keeps the version', async () => {
    await put(a, 'same', SPEC);
    // Defaults spelled out are the same spec as defaults left out.
    const res = await put(a, 'same', { ...SPEC, strategy: 'cheapest', minTier: 1, budgetRules: [] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: false, changed: false, alias: { version: 1 } });
  });

  it('a changed spec answers 200 and adds one to the version each time', async () => {
    await put(a, 'grows', SPEC);
    const second = await put(a, 'grows', { ...SPEC, strategy: 'latency' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: false, changed: true, alias: { version: 2 } });
    const third = await put(a, 'grows', { ...SPEC, strategy: 'weighted' });
    expect(third.json()).toMatchObject({
      changed: true,
      alias: { version: 3, spec: { strategy: 'weighted' } },
    });
    const stored = await get(a, '/v1/model-aliases/grows');
    expect(stored.json()).toMatchObject({ version: 3, spec: { strategy: 'weighted' } });
  });

  it('lists the aliases by name', async () => {
    await put(a, 'zz-last', SPEC);
    const res = await get(a, '/v1/model-aliases');
    expect(res.statusCode).toBe(200);
    const names = res.json<{ data: { name: string }[] }>().data.map((x) => x.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('zz-last');
  });

  it('deletes an alias: 204, then 404 ALIAS_NOT_FOUND', async () => {
    await put(a, 'doomed', SPEC);
    const del = await app.inject({
      method: 'DELETE',
      url: '/v1/model-aliases/doomed',
      headers: bearer(a.keys.developer),
    });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expectGatewayError(
      await get(a, '/v1/model-aliases/doomed'),
      'ALIAS_NOT_FOUND',
      'No model alias named doomed',
    );
    const again = await app.inject({
      method: 'DELETE',
      url: '/v1/model-aliases/doomed',
      headers: bearer(a.keys.developer),
    });
    expectGatewayError(again, 'ALIAS_NOT_FOUND', 'No model alias named doomed');
  });

  it('refuses unknown fields with UNKNOWN_FIELD', async () => {
    expectApiError(
      await put(a, 'bad', { ...SPEC, routing: 'fast' }),
      400,
      'UNKNOWN_FIELD',
      'The body has fields this endpoint does not accept: routing',
    );
    expectApiError(
      await put(a, 'bad', { candidates: [{ model: 'openai/gpt-4o', priority: 1 }] }),
      400,
      'UNKNOWN_FIELD',
      'The body has fields this endpoint does not accept: priority',
    );
  });

  it('refuses a candidate that is not provider/model', async () => {
    expectApiError(
      await put(a, 'bad', { candidates: [{ model: 'gpt-4o' }] }),
      400,
      'VALIDATION_FAILED',
      'Invalid body: body.candidates.0.model: must be provider/model, e.g. openai/gpt-4o-mini',
    );
  });

  it('refuses a candidate listed twice', async () => {
    expectApiError(
      await put(a, 'bad', { candidates: [{ model: 'openai/gpt-4o' }, { model: 'openai/gpt-4o', tier: 3 }] }),
      400,
      'VALIDATION_FAILED',
      'Invalid body: body.candidates.1.model: is listed twice',
    );
  });

  it('refuses a weighted alias whose weights are all zero', async () => {
    expectApiError(
      await put(a, 'bad', {
        strategy: 'weighted',
        candidates: [
          { model: 'openai/gpt-4o', weight: 0 },
          { model: 'openai/gpt-4o-mini', weight: 0 },
        ],
      }),
      400,
      'VALIDATION_FAILED',
      'Invalid body: body.candidates: needs a candidate with weight above 0',
    );
  });

  it('refuses no candidates, a bad tier and a bad alias name', async () => {
    const none = await put(a, 'bad', { candidates: [] });
    expect(none.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect(none.json<ErrorJson>().error.message).toMatch(/^Invalid body: body\.candidates: /);
    const tier = await put(a, 'bad', { candidates: [{ model: 'openai/gpt-4o', tier: 6 }] });
    expect(tier.json<ErrorJson>().error.message).toMatch(/^Invalid body: body\.candidates\.0\.tier: /);
    const name = await put(a, 'Bad_Name', SPEC);
    expectApiError(
      name,
      400,
      'VALIDATION_FAILED',
      'Invalid params: params.name: must match ^[a-z0-9][a-z0-9._-]{0,63}$',
    );
  });

  it('refuses a candidate that is not in the model catalog, naming it', async () => {
    const res = await put(a, 'bad', {
      candidates: [{ model: 'openai/gpt-4o' }, { model: 'openai/gpt-9-turbo' }, { model: 'nobody/x' }],
    });
    const error = expectGatewayError(
      res,
      'ALIAS_UNKNOWN_MODEL',
      'Candidates not in the model catalog: openai/gpt-9-turbo, nobody/x (see GET /v1/model-prices)',
    );
    expect(error.details).toEqual({ models: ['openai/gpt-9-turbo', 'nobody/x'] });
    expectGatewayError(await get(a, '/v1/model-aliases/bad'), 'ALIAS_NOT_FOUND', 'No model alias named bad');
  });

  it('refuses candidates that mix chat and embedding models', async () => {
    const res = await put(a, 'bad', {
      candidates: [{ model: 'openai/gpt-4o' }, { model: 'openai/text-embedding-3-small' }],
    });
    expectGatewayError(
      res,
      'ALIAS_MIXED_KINDS',
      'Candidates mix model kinds (chat, embedding); an alias is either for chat or for embeddings',
    );
  });

  it('accepts an unpriced candidate and warns about it', async () => {
    const model = await app.inject({
      method: 'PUT',
      url: '/v1/operator/models/simulated/sim-unpriced',
      headers: bearer(TEST_OPERATOR_TOKEN),
      payload: { kind: 'chat', contextTokens: 8000 },
    });
    expect(model.statusCode, model.body).toBe(201);
    const res = await put(a, 'with-unpriced', {
      candidates: [{ model: 'simulated/sim-small' }, { model: 'simulated/sim-unpriced' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().warnings).toEqual([
      {
        code: 'CANDIDATE_UNPRICED',
        candidate: 'simulated/sim-unpriced',
        message: 'simulated/sim-unpriced has no price in effect; the alias skips it until it has one',
      },
    ]);
  });

  it('roles: every role reads, only owner, admin and developer write', async () => {
    await put(a, 'roles', SPEC);
    for (const role of ['owner', 'admin', 'developer', 'operator', 'viewer', 'billing'] as const) {
      const read = await app.inject({
        method: 'GET',
        url: '/v1/model-aliases/roles',
        headers: bearer(a.keys[role]),
      });
      expect(read.statusCode, role).toBe(200);
      const write = await put(a, 'roles', { ...SPEC, description: `by ${role}` }, role);
      const allowed = role === 'owner' || role === 'admin' || role === 'developer';
      expect(write.statusCode, role).toBe(allowed ? 200 : 403);
      if (!allowed)
        expect(write.json<ErrorJson>().error).toMatchObject({
          code: 'FORBIDDEN',
          message: `Role ${role} may not perform model_aliases.write`,
        });
    }
  });

  it("tenant B cannot see, change or delete tenant A's aliases", async () => {
    await put(a, 'private', SPEC);
    expectGatewayError(
      await get(b, '/v1/model-aliases/private'),
      'ALIAS_NOT_FOUND',
      'No model alias named private',
    );
    const list = await get(b, '/v1/model-aliases');
    expect(list.json<{ data: { name: string }[] }>().data.map((x) => x.name)).not.toContain('private');
    const del = await app.inject({
      method: 'DELETE',
      url: '/v1/model-aliases/private',
      headers: bearer(b.keys.owner),
    });
    expectGatewayError(del, 'ALIAS_NOT_FOUND', 'No model alias named private');
    // B's alias of the same name is its own: A's stays as it was.
    const own = await put(b, 'private', { candidates: [{ model: 'openai/gpt-4o' }] });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ created: true, alias: { version: 1 } });
    const mine = await get(a, '/v1/model-aliases/private');
    expect(mine.json()).toMatchObject({ version: 1, spec: { description: 'fast and cheap' } });
  });

  it('audits a put and a delete in the tenant chain', async () => {
    await put(a, 'audited', SPEC, 'owner');
    await app.inject({ method: 'DELETE', url: '/v1/model-aliases/audited', headers: bearer(a.keys.owner) });
    const events = await app.inject({
      method: 'GET',
      url: '/v1/audit-events?limit=2',
      headers: bearer(a.keys.owner),
    });
    const data = events.json<{
      data: { action: string; targetType: string; targetId: string; details: Record<string, unknown> }[];
    }>().data;
    expect(data.map((e) => [e.action, e.targetType, e.targetId])).toEqual([
      ['model_aliases.write', 'model_alias', 'audited'],
      ['model_aliases.write', 'model_alias', 'audited'],
    ]);
    expect(data[1]?.details).toMatchObject({ created: true, changed: true, version: 1 });
  });
});
