import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AliasSpecSchema,
  deleteAlias,
  findAlias,
  getAlias,
  GatewayError,
  listAliases,
  putAlias,
} from '../../src/gateway/index.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const spec = (input: unknown) => AliasSpecSchema.parse(input);
const AT = new Date('2026-01-01T00:00:00Z');

describe('alias store', () => {
  let t: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    a = await seedTenant(t.db, 'alias-store-a');
    b = await seedTenant(t.db, 'alias-store-b');
  });
  afterAll(() => t.drop());

  const inA = <T>(fn: (tx: Parameters<Parameters<typeof t.db.tenantTx>[1]>[0]) => Promise<T>) =>
    t.db.tenantTx(a.tenantId, fn);

  it('stores the parsed spec, and reads it back equal', async () => {
    const parsed = spec({ candidates: [{ model: 'simulated/sim-small' }], cache: { enabled: true } });
    const put = await inA((tx) => putAlias(tx, a.tenantId, 'cached', parsed, AT));
    expect(put).toMatchObject({ created: true, changed: true, warnings: [] });
    const read = await inA((tx) => getAlias(tx, 'cached'));
    expect(read.spec).toEqual(parsed);
    expect(read.spec.cache).toEqual({ enabled: true, ttlSeconds: 3600 });
  });

  it('versions: unchanged keeps 1 and writes nothing, a change makes 2', async () => {
    const parsed = spec({ candidates: [{ model: 'simulated/sim-small' }] });
    await inA((tx) => putAlias(tx, a.tenantId, 'v', parsed, AT));
    const before = await inA((tx) => getAlias(tx, 'v'));
    const same = await inA((tx) => putAlias(tx, a.tenantId, 'v', parsed, AT));
    expect(same).toMatchObject({ created: false, changed: false });
    expect(same.alias).toEqual(before);
    const changed = await inA((tx) =>
      putAlias(tx, a.tenantId, 'v', spec({ candidates: [{ model: 'simulated/sim-large' }] }), AT),
    );
    expect(changed).toMatchObject({ created: false, changed: true, alias: { version: 2 } });
  });

  it('an unknown candidate throws ALIAS_UNKNOWN_MODEL and stores nothing', async () => {
    const error = await inA((tx) =>
      putAlias(tx, a.tenantId, 'nope', spec({ candidates: [{ model: 'openai/gpt-0' }] }), AT),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      code: 'ALIAS_UNKNOWN_MODEL',
      status: 422,
      details: { models: ['openai/gpt-0'] },
    });
    expect(await inA((tx) => findAlias(tx, 'nope'))).toBeNull();
  });

  it('a candidate priced only in the future is unpriced now', async () => {
    await t.db.systemTx(async (sys) => {
      await sys.query(
        `insert into llm_models (provider, model, kind, context_tokens) values ('simulated', 'sim-later', 'chat', 1000)`,
      );
      await sys.query(
        `insert into model_prices (provider, model, effective_from, input_usd_per_mtok, output_usd_per_mtok,
                                   cached_input_usd_per_mtok) values ('simulated', 'sim-later', '2030-01-01', 1, 1, 1)`,
      );
    });
    const later = spec({ candidates: [{ model: 'simulated/sim-later' }] });
    const now = await inA((tx) => putAlias(tx, a.tenantId, 'later', later, AT));
    expect(now.warnings.map((w) => w.candidate)).toEqual(['simulated/sim-later']);
    const then = await inA((tx) =>
      putAlias(tx, a.tenantId, 'later', later, new Date('2030-01-02T00:00:00Z')),
    );
    expect(then.warnings).toEqual([]);
  });

  it("another tenant's transaction neither sees nor deletes the alias", async () => {
    await inA((tx) =>
      putAlias(tx, a.tenantId, 'mine', spec({ candidates: [{ model: 'simulated/sim-small' }] }), AT),
    );
    const seen = await t.db.tenantTx(b.tenantId, async (tx) => ({
      found: await findAlias(tx, 'mine'),
      all: await listAliases(tx),
      deleted: await deleteAlias(tx, 'mine').catch((e: unknown) => (e as GatewayError).code),
    }));
    expect(seen).toEqual({ found: null, all: [], deleted: 'ALIAS_NOT_FOUND' });
    expect((await inA((tx) => getAlias(tx, 'mine'))).name).toBe('mine');
    const gone = await inA((tx) => deleteAlias(tx, 'mine'));
    expect(gone.name).toBe('mine');
    expect(await inA((tx) => findAlias(tx, 'mine'))).toBeNull();
  });
});
