import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../support/empty-database.ts';
import { runShoal } from '../support/run-cli.ts';

describe('shoal plans, plan and limits commands', () => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    database = await emptyDatabase();
  });
  afterAll(() => database.drop());

  it('change a plan, set, show and clear overrides, each audited in the tenant’s chain', async () => {
    const shoal = async (...args: string[]) => {
      const result = await runShoal(args, { ...database.env, SHOAL_DEMO: 'false' });
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
      return result.stdout;
    };
    const created = JSON.parse(
      await shoal('tenant', 'create', '--name', 'Acme', '--owner-email', 'ops@acme.test', '--json'),
    ) as { tenant: { id: string } };
    const id = created.tenant.id;

    const plans = JSON.parse(await shoal('plans', 'list', '--json')) as { plans: { name: string }[] };
    expect(plans.plans.map((p) => p.name)).toEqual(['free', 'team', 'enterprise']);

    expect(JSON.parse(await shoal('plan', 'set', id, 'team', '--json'))).toMatchObject({ plan: 'team' });
    const set = JSON.parse(
      await shoal('limits', 'set', id, '--weight', '7', '--burst-ceiling', '40', '--pool', 'acme', '--json'),
    );
    expect(set).toMatchObject({
      pool: 'acme',
      overrides: { weight: 7, burstCeiling: 40 },
      effective: { weight: 7, burstCeiling: 40 },
    });
    expect(await shoal('limits', 'show', id)).toMatch(/weight\s+7 {2}\(override\)/);
    const cleared = JSON.parse(
      await shoal('limits', 'clear', id, 'weight', 'burst-ceiling', 'pool', '--json'),
    );
    expect(cleared).toMatchObject({ pool: 'shared', overrides: { weight: null }, effective: { weight: 2 } });

    const verify = await shoal('audit', 'verify', '--tenant', id);
    expect(verify).toContain(`${id} ok (4 events)`);
  }, 300_000);

  it('an unknown limit and a non-number are usage errors (exit 2)', async () => {
    const unknown = await runShoal(
      ['limits', 'clear', '00000000-0000-4000-8000-000000000000', 'colour'],
      database.env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown limit "colour"');
    const nan = await runShoal(
      ['limits', 'set', '00000000-0000-4000-8000-000000000000', '--weight', 'lots'],
      database.env,
    );
    expect(nan.code).toBe(2);
    expect(nan.stderr).toContain('--weight must be a whole number');
  }, 120_000);
});
