import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import {
  costMicroUsd,
  effectivePrices,
  GATEWAY_ERRORS,
  type GatewayErrorCode,
} from '../../src/gateway/index.ts';
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

interface Listed {
  provider: string;
  model: string;
  kind: string;
  priced: boolean;
  price: null | {
    source: string;
    priceId: number | null;
    effectiveFrom: string;
    inputUsdPerMtok: string;
    outputUsdPerMtok: string;
    cachedInputUsdPerMtok: string;
    inputMicroUsdPerMtok: number;
    outputMicroUsdPerMtok: number;
    cachedInputMicroUsdPerMtok: number;
  };
}

function expectGatewayError(res: LightMyRequestResponse, code: GatewayErrorCode, message: string): void {
  const body = res.json<ErrorJson>();
  expect({ status: res.statusCode, code: body.error.code, message: body.error.message }).toEqual({
    status: GATEWAY_ERRORS[code].status,
    code,
    message,
  });
}

const PRICE_MESSAGE = 'must be a non-negative decimal with at most 8 integer and 6 fraction digits';
const operator = bearer(TEST_OPERATOR_TOKEN);

describe('model prices API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    a = await seedTenant(t.db, 'prices-a');
    b = await seedTenant(t.db, 'prices-b');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const list = async (tenant: TestTenant, query = ''): Promise<Listed[]> => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/model-prices${query}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ data: Listed[] }>().data;
  };
  const priceOf = async (tenant: TestTenant, ref: string, query = '') =>
    (await list(tenant, query)).find((m) => `${m.provider}/${m.model}` === ref);
  const putPrice = (
    tenant: TestTenant,
    ref: string,
    payload: Record<string, unknown>,
    role: keyof TestTenant['keys'] = 'billing',
  ) =>
    app.inject({
      method: 'PUT',
      url: `/v1/model-prices/${ref}`,
      headers: bearer(tenant.keys[role]),
      payload,
    });
  const deletePrice = (tenant: TestTenant, ref: string) =>
    app.inject({ method: 'DELETE', url: `/v1/model-prices/${ref}`, headers: bearer(tenant.keys.owner) });
  const putModel = (ref: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'PUT', url: `/v1/operator/models/${ref}`, headers: operator, payload });
  const addCatalogPrice = (ref: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/v1/operator/models/${ref}/prices`, headers: operator, payload });

  it('lists every catalog model with its catalog price, numerics exactly as stored', async () => {
    const models = await list(a);
    expect(models.length).toBeGreaterThanOrEqual(20);
    const mini = models.find((m) => m.model === 'gpt-4o-mini');
    expect(mini).toMatchObject({
      provider: 'openai',
      kind: 'chat',
      priced: true,
      price: {
        source: 'catalog',
        effectiveFrom: '2024-07-18T00:00:00.000Z',
        inputUsdPerMtok: '0.150000',
        outputUsdPerMtok: '0.600000',
        cachedInputUsdPerMtok: '0.075000',
        inputMicroUsdPerMtok: 150_000,
        outputMicroUsdPerMtok: 600_000,
        cachedInputMicroUsdPerMtok: 75_000,
      },
    });
    expect(mini?.price?.priceId).toEqual(expect.any(Number));
    expect(models.find((m) => m.model === 'text-embedding-3-small')).toMatchObject({ kind: 'embedding' });
  });

  it('lists a model without a price as priced: false', async () => {
    expect((await putModel('simulated/sim-bare', { kind: 'chat', contextTokens: 4096 })).statusCode).toBe(
      201,
    );
    expect(await priceOf(a, 'simulated/sim-bare')).toMatchObject({ priced: false, price: null });
  });

  it("the tenant's price wins over the catalog, only for that tenant", async () => {
    const res = await putPrice(a, 'openai/gpt-4.1-mini', {
      inputUsdPerMtok: '0.3',
      outputUsdPerMtok: 1.2,
      effectiveFrom: '2025-01-01T00:00:00Z',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      replaced: false,
      price: {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        effectiveFrom: '2025-01-01T00:00:00.000Z',
        inputUsdPerMtok: '0.300000',
        outputUsdPerMtok: '1.200000',
        cachedInputUsdPerMtok: '0.300000',
        createdAt: expect.any(String),
      },
    });
    expect(await priceOf(a, 'openai/gpt-4.1-mini')).toMatchObject({
      priced: true,
      price: { source: 'tenant', priceId: null, inputUsdPerMtok: '0.300000', inputMicroUsdPerMtok: 300_000 },
    });
    // A newer catalog row does not beat the tenant's own price either.
    expect(
      (await addCatalogPrice('openai/gpt-4.1-mini', { inputUsdPerMtok: '0.35', outputUsdPerMtok: '1.4' }))
        .statusCode,
    ).toBe(201);
    expect(await priceOf(a, 'openai/gpt-4.1-mini')).toMatchObject({ price: { source: 'tenant' } });
    expect(await priceOf(b, 'openai/gpt-4.1-mini')).toMatchObject({
      price: { source: 'catalog', inputUsdPerMtok: '0.350000' },
    });
  });

  it('a price from the future is not in effect yet; ?at= reads the prices of any moment', async () => {
    expect((await putModel('simulated/sim-dated', { kind: 'chat', contextTokens: 8192 })).statusCode).toBe(
      201,
    );
    for (const [from, input] of [
      ['2024-01-01T00:00:00Z', '1'],
      ['2025-01-01T00:00:00Z', '2'],
      ['2999-01-01T00:00:00Z', '9'],
    ] as const)
      expect(
        (
          await addCatalogPrice('simulated/sim-dated', {
            inputUsdPerMtok: input,
            outputUsdPerMtok: input,
            effectiveFrom: from,
          })
        ).statusCode,
      ).toBe(201);
    expect(await priceOf(a, 'simulated/sim-dated')).toMatchObject({
      price: { inputUsdPerMtok: '2.000000', effectiveFrom: '2025-01-01T00:00:00.000Z' },
    });
    expect(await priceOf(a, 'simulated/sim-dated', '?at=2024-06-30T12:00:00Z')).toMatchObject({
      price: { inputUsdPerMtok: '1.000000', effectiveFrom: '2024-01-01T00:00:00.000Z' },
    });
    expect(await priceOf(a, 'simulated/sim-dated', '?at=2023-12-31T23:59:59Z')).toMatchObject({
      priced: false,
    });
    expect(await priceOf(a, 'simulated/sim-dated', '?at=2999-01-01T00:00:00%2B00:00')).toMatchObject({
      price: { inputUsdPerMtok: '9.000000' },
    });
    // A tenant's future price waits for its moment too, then wins.
    await putPrice(a, 'simulated/sim-dated', {
      inputUsdPerMtok: '0.5',
      outputUsdPerMtok: '0.5',
      effectiveFrom: '2998-01-01T00:00:00Z',
    });
    expect(await priceOf(a, 'simulated/sim-dated')).toMatchObject({
      price: { source: 'catalog', inputUsdPerMtok: '2.000000' },
    });
    expect(await priceOf(a, 'simulated/sim-dated', '?at=3000-01-01T00:00:00Z')).toMatchObject({
      price: { source: 'tenant', inputUsdPerMtok: '0.500000' },
    });
    const bad = await app.inject({
      method: 'GET',
      url: '/v1/model-prices?at=yesterday',
      headers: bearer(a.keys.viewer),
    });
    expect(bad.json<ErrorJson>().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json<ErrorJson>().error.message).toMatch(/^Invalid query: query\.at: /);
  });

  it('effectivePrices gives the prices costMicroUsd charges by, in one read', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const prices = await t.db.tenantTx(a.tenantId, (tx) => effectivePrices(tx, a.tenantId, at));
    const opus = prices.find((p) => p.model === 'claude-opus-4-1');
    expect(opus).toMatchObject({
      provider: 'anthropic',
      kind: 'chat',
      source: 'catalog',
      inputUsdPerMtok: '15.000000',
    });
    expect(costMicroUsd(opus!, { tokensIn: 1000, tokensOut: 100, tokensCached: 0 })).toBe(22_500);
    expect(prices.find((p) => p.model === 'sim-bare')).toBeUndefined();
    const mini = prices.find((p) => p.model === 'gpt-4.1-mini');
    expect(mini).toMatchObject({ source: 'tenant', priceId: null });
    // B's prices are read through B's transaction: A's own price is not among them.
    const other = await t.db.tenantTx(b.tenantId, (tx) => effectivePrices(tx, b.tenantId, at));
    expect(other.find((p) => p.model === 'gpt-4.1-mini')).toMatchObject({ source: 'catalog' });
  });

  it('takes a model name with dots and colons in the path', async () => {
    expect(
      (await putModel('simulated/llama3.1:8b-q4', { kind: 'chat', contextTokens: 131072 })).statusCode,
    ).toBe(201);
    const res = await putPrice(a, 'simulated/llama3.1:8b-q4', {
      inputUsdPerMtok: '0.01',
      outputUsdPerMtok: '0.02',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await priceOf(a, 'simulated/llama3.1:8b-q4')).toMatchObject({
      price: { source: 'tenant', outputUsdPerMtok: '0.020000' },
    });
    expect(await priceOf(a, 'anthropic/claude-3-5-haiku-latest')).toMatchObject({ priced: true });
  });

  it('validates prices strictly', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ inputUsdPerMtok: '-1', outputUsdPerMtok: '1' }, `body.inputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: -0.5, outputUsdPerMtok: '1' }, `body.inputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: '1', outputUsdPerMtok: '0.1234567' }, `body.outputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: '1', outputUsdPerMtok: 0.1234567 }, `body.outputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: 'NaN', outputUsdPerMtok: '1' }, `body.inputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: '1e3', outputUsdPerMtok: '1' }, `body.inputUsdPerMtok: ${PRICE_MESSAGE}`],
      [{ inputUsdPerMtok: '123456789', outputUsdPerMtok: '1' }, `body.inputUsdPerMtok: ${PRICE_MESSAGE}`],
      [
        { inputUsdPerMtok: '1', outputUsdPerMtok: '1', cachedInputUsdPerMtok: '' },
        `body.cachedInputUsdPerMtok: ${PRICE_MESSAGE}`,
      ],
    ];
    for (const [payload, issue] of cases) {
      const res = await putPrice(a, 'openai/gpt-4o', payload);
      expect(
        { status: res.statusCode, ...res.json<ErrorJson>().error },
        JSON.stringify(payload),
      ).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: `Invalid body: ${issue}`,
      });
    }
    const missing = await putPrice(a, 'openai/gpt-4o', { inputUsdPerMtok: '1' });
    expect(missing.json<ErrorJson>().error.message).toMatch(/^Invalid body: body\.outputUsdPerMtok: /);
    const extra = await putPrice(a, 'openai/gpt-4o', {
      inputUsdPerMtok: '1',
      outputUsdPerMtok: '1',
      currency: 'EUR',
    });
    expect(extra.json<ErrorJson>().error).toMatchObject({
      code: 'UNKNOWN_FIELD',
      message: 'The body has fields this endpoint does not accept: currency',
    });
    const max = await putPrice(a, 'openai/gpt-4o', {
      inputUsdPerMtok: '99999999.999999',
      outputUsdPerMtok: 0,
    });
    expect(max.statusCode, max.body).toBe(200);
    expect(max.json()).toMatchObject({
      price: { inputUsdPerMtok: '99999999.999999', outputUsdPerMtok: '0.000000' },
    });
  });

  it('a price of an unknown model is MODEL_NOT_FOUND', async () => {
    expectGatewayError(
      await putPrice(a, 'openai/gpt-9', { inputUsdPerMtok: '1', outputUsdPerMtok: '1' }),
      'MODEL_NOT_FOUND',
      'No model openai/gpt-9 in the catalog',
    );
  });

  it('a price at the same moment replaces the earlier one', async () => {
    const at = '2025-06-01T00:00:00Z';
    await putPrice(a, 'openai/o3', { inputUsdPerMtok: '1', outputUsdPerMtok: '4', effectiveFrom: at });
    const again = await putPrice(a, 'openai/o3', {
      inputUsdPerMtok: '1.5',
      outputUsdPerMtok: '4',
      effectiveFrom: at,
    });
    expect(again.json()).toMatchObject({ replaced: true, price: { inputUsdPerMtok: '1.500000' } });
    expect(await priceOf(a, 'openai/o3')).toMatchObject({
      price: { source: 'tenant', inputUsdPerMtok: '1.500000' },
    });
  });

  it("delete removes the tenant's prices of the model: the catalog's applies again", async () => {
    await putPrice(a, 'openai/gpt-5', {
      inputUsdPerMtok: '1',
      outputUsdPerMtok: '8',
      effectiveFrom: '2025-09-01T00:00:00Z',
    });
    await putPrice(a, 'openai/gpt-5', {
      inputUsdPerMtok: '0.9',
      outputUsdPerMtok: '7',
      effectiveFrom: '2025-10-01T00:00:00Z',
    });
    // B cannot remove A's prices: to B there are none.
    expectGatewayError(
      await deletePrice(b, 'openai/gpt-5'),
      'PRICE_OVERRIDE_NOT_FOUND',
      'The tenant has no price of its own for openai/gpt-5',
    );
    expect(await priceOf(a, 'openai/gpt-5')).toMatchObject({ price: { source: 'tenant' } });
    const res = await deletePrice(a, 'openai/gpt-5');
    expect(res.statusCode).toBe(204);
    expect(await priceOf(a, 'openai/gpt-5')).toMatchObject({
      price: { source: 'catalog', inputUsdPerMtok: '1.250000' },
    });
    expectGatewayError(
      await deletePrice(a, 'openai/gpt-5'),
      'PRICE_OVERRIDE_NOT_FOUND',
      'The tenant has no price of its own for openai/gpt-5',
    );
  });

  it("tenant B's own price changes nothing for A", async () => {
    await putPrice(b, 'openai/o4-mini', { inputUsdPerMtok: '0.01', outputUsdPerMtok: '0.01' });
    expect(await priceOf(b, 'openai/o4-mini')).toMatchObject({ price: { source: 'tenant' } });
    expect(await priceOf(a, 'openai/o4-mini')).toMatchObject({
      price: { source: 'catalog', inputUsdPerMtok: '1.100000' },
    });
  });

  it('roles: every role reads prices, only owner, admin and billing set them', async () => {
    for (const role of ['owner', 'admin', 'developer', 'operator', 'viewer', 'billing'] as const) {
      const read = await app.inject({
        method: 'GET',
        url: '/v1/model-prices',
        headers: bearer(a.keys[role]),
      });
      expect(read.statusCode, role).toBe(200);
      const write = await putPrice(a, 'openai/gpt-4o', { inputUsdPerMtok: '2', outputUsdPerMtok: '8' }, role);
      const allowed = role === 'owner' || role === 'admin' || role === 'billing';
      expect(write.statusCode, role).toBe(allowed ? 200 : 403);
      if (!allowed)
        expect(write.json<ErrorJson>().error.message).toBe(`Role ${role} may not perform model_prices.write`);
    }
  });

  describe('operator catalog', () => {
    it('lists every model with its catalog prices, newest first', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/operator/models', headers: operator });
      expect(res.statusCode).toBe(200);
      const dated = res
        .json<{ data: { provider: string; model: string; prices: { effectiveFrom: string }[] }[] }>()
        .data.find((m) => m.model === 'sim-dated');
      expect(dated?.prices.map((p) => p.effectiveFrom)).toEqual([
        '2999-01-01T00:00:00.000Z',
        '2025-01-01T00:00:00.000Z',
        '2024-01-01T00:00:00.000Z',
      ]);
    });

    it('changes a model: 200 with created false', async () => {
      const res = await putModel('simulated/sim-bare', { kind: 'chat', contextTokens: 2048 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ created: false, model: { contextTokens: 2048, kind: 'chat' } });
    });

    it('refuses unknown providers and models, a second price at one moment, and a missing token', async () => {
      expectGatewayError(
        await putModel('nobody/model-x', { kind: 'chat', contextTokens: 10 }),
        'PROVIDER_NOT_FOUND',
        'No LLM provider named nobody',
      );
      expectGatewayError(
        await addCatalogPrice('openai/gpt-9', { inputUsdPerMtok: '1', outputUsdPerMtok: '1' }),
        'MODEL_NOT_FOUND',
        'No model openai/gpt-9 in the catalog',
      );
      expectGatewayError(
        await addCatalogPrice('simulated/sim-dated', {
          inputUsdPerMtok: '1',
          outputUsdPerMtok: '1',
          effectiveFrom: '2025-01-01T00:00:00Z',
        }),
        'PRICE_ALREADY_EXISTS',
        'simulated/sim-dated already has a catalog price from 2025-01-01T00:00:00.000Z',
      );
      const bad = await putModel('simulated/sim-bare', { kind: 'vision', contextTokens: 10 });
      expect(bad.json<ErrorJson>().error.code).toBe('VALIDATION_FAILED');
      const anonymous = await app.inject({ method: 'GET', url: '/v1/operator/models' });
      expect(anonymous.statusCode).toBe(401);
      const tenantKey = await app.inject({
        method: 'GET',
        url: '/v1/operator/models',
        headers: bearer(a.keys.owner),
      });
      expect(tenantKey.statusCode).toBe(401);
    });
  });
});
