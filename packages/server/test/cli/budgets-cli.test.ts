import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { insertCalls } from '../support/alerts.ts';
import { runShoal } from '../support/run-cli.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * `shoal budgets …`, `shoal alerts …` and `shoal forecast` through the SDK against a listening
 * server. Each run of the CLI is a process that takes seconds on a busy machine: independent
 * runs go at once.
 */
describe('shoal budgets, alerts and forecast', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let url: string;

  const shoal = (args: string[], key: string = tenant.keys.billing) =>
    runShoal([...args, '--url', url], { SHOAL_API_KEY: key });

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'budgets-cli');
    app = createTestApp(t.db);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('creates, lists, changes and deletes a budget; its alerts are listed and acknowledged; it is forecast', async () => {
    const [created, summary] = await Promise.all([
      shoal([
        'budgets',
        'create',
        '--name',
        'team',
        '--limit',
        '0.01',
        '--kind',
        'soft',
        '--thresholds',
        '40,90',
        '--json',
      ]),
      shoal(['budgets', 'create', '--name', 'hard cap', '--limit', '12.5', '--kind', 'hard']),
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const budget = JSON.parse(created.stdout) as {
      id: string;
      alertThresholds: number[];
      limitMicroUsd: number;
    };
    expect(budget).toMatchObject({ alertThresholds: [40, 90], limitMicroUsd: 10_000 });
    expect(summary.stdout).toMatch(
      /^Created budget [0-9a-f-]{36} hard cap: hard monthly, 12\.50 USD, alerts at 50, 80, 100 %\n$/,
    );

    // 5,000 µ$ recorded: 50 % of the soft budget (its 40 % threshold), nothing much of the hard one.
    await insertCalls(t.db, tenant.tenantId, [{ costMicroUsd: 5_000 }]);
    const listed = await shoal(['budgets', 'list'], tenant.keys.viewer);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${budget.id}  team  soft monthly tenant  0.005 of 0.01 USD (50%)`);
    expect(listed.stdout).toMatch(/hard cap {2}hard monthly tenant {2}0\.005 of 12\.50 USD \(0%\)/);

    const updated = await shoal([
      'budgets',
      'update',
      budget.id,
      '--limit',
      '0.005',
      '--thresholds',
      '40,90,100',
    ]);
    expect(updated.stdout).toBe(
      `Updated budget ${budget.id} team: soft monthly, 0.005 USD, alerts at 40, 90, 100 %\n`,
    );

    // The lower limit fired 90 and 100 at once: three alerts, newest first.
    const [alerts, paged] = await Promise.all([
      shoal(['alerts', 'list', '--budget', budget.id], tenant.keys.viewer),
      shoal(['alerts', 'list', '--budget', budget.id, '--json', '--limit', '1']),
    ]);
    expect(alerts.code).toBe(0);
    expect(
      alerts.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/^\S+ {2}\S+ {2}/, '')),
    ).toEqual([
      'team  reached 100%: 0.005 of 0.005 USD',
      'team  reached 90%: 0.005 of 0.005 USD',
      'team  reached 40%: 0.005 of 0.01 USD',
    ]);
    const page = JSON.parse(paged.stdout) as { data: { id: string }[]; nextCursor: string | null };
    expect(page.data).toHaveLength(1);
    const first = page.data[0]?.id as string;
    expect(page.nextCursor).toBe(first);
    const acked = await shoal(['alerts', 'ack', first]);
    expect(acked.stdout).toMatch(
      new RegExp(`^Acknowledged alert ${first} \\(team\\) at \\S+ by api_key:${tenant.keyIds.billing}\\n$`),
    );

    const open = await shoal(['alerts', 'list', '--budget', budget.id, '--unacknowledged']);
    expect(open.stdout.trim().split('\n')).toHaveLength(2);
    // A forecast may fire the budget's forecast alert (its spend is past the limit): after the list.
    const [forecast, forecastJson] = await Promise.all([
      shoal(['forecast', '--budget', budget.id], tenant.keys.viewer),
      shoal(['forecast', '--json']),
    ]);
    expect(forecast.code).toBe(0);
    expect(forecast.stdout).toMatch(
      /^team {2}spent 0\.005 USD, [\d.]+ USD\/day, projected [\d.]+ of 0\.005 USD by \S+: (OVER|within) the limit/,
    );
    const all = JSON.parse(forecastJson.stdout) as { data: { budgetId: string }[] };
    expect(all.data.map((f) => f.budgetId)).toContain(budget.id);

    expect((await shoal(['budgets', 'delete', budget.id])).stdout).toBe(`Deleted budget ${budget.id}\n`);
    const gone = await app.inject({
      method: 'GET',
      url: `/v1/budgets/${budget.id}`,
      headers: bearer(tenant.keys.viewer),
    });
    expect(gone.statusCode).toBe(404);
  }, 300_000);

  it('an API error is one line with its code and exit code 1; bad arguments exit 2 with the usage', async () => {
    const id = randomUUID();
    const [missing, ack, denied, kind, thresholds, nothing, noKey] = await Promise.all([
      shoal(['budgets', 'delete', id]),
      shoal(['alerts', 'ack', id]),
      shoal(['budgets', 'create', '--name', 'x', '--limit', '1', '--kind', 'soft'], tenant.keys.viewer),
      shoal(['budgets', 'create', '--name', 'x', '--limit', '1', '--kind', 'firm']),
      shoal(['budgets', 'update', id, '--thresholds', '50;80']),
      shoal(['budgets', 'update', id]),
      runShoal(['forecast', '--url', url], {}),
    ]);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 1,
      stderr: `Error BUDGET_NOT_FOUND: No budget ${id}\n`,
    });
    expect({ code: ack.code, stderr: ack.stderr }).toEqual({
      code: 1,
      stderr: `Error ALERT_NOT_FOUND: No alert ${id}\n`,
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^Error FORBIDDEN: /);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('--kind must be one of hard, soft (got "firm")');
    expect(kind.stderr).toContain('Usage: shoal budgets create');
    expect(thresholds.code).toBe(2);
    expect(thresholds.stderr).toContain('--thresholds must be comma-separated percentages');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Name at least one of --name, --limit, --kind, --thresholds');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('Set SHOAL_API_KEY to a tenant API key');
  }, 300_000);

  it('adds, lists and deletes an alert webhook; its secret is printed at creation only', async () => {
    const created = await shoal(
      ['alert-webhooks', 'create', '--endpoint', 'https://hooks.example.test/cli'],
      tenant.keys.owner,
    );
    expect(created.stderr).toBe('');
    const [, id, secret] =
      /^Created alert webhook (\S+) to https:\/\/hooks\.example\.test\/cli\nSigning secret \(shown once, store it now\): (whsec_\S+)\n$/.exec(
        created.stdout,
      ) ?? [];
    expect(secret).toBeDefined();
    const [listed, refused] = await Promise.all([
      shoal(['alert-webhooks', 'list'], tenant.keys.admin),
      shoal(['alert-webhooks', 'create', '--endpoint', 'http://hooks.example.test/'], tenant.keys.owner),
    ]);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^${id}  https://hooks\\.example\\.test/cli  sha256:[0-9a-f]{12}  0 delivered, 0 pending, 0 dead\\n$`,
      ),
    );
    expect(listed.stdout).not.toContain(secret);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error VALIDATION_FAILED: /);
    expect((await shoal(['alert-webhooks', 'delete', id ?? ''], tenant.keys.owner)).stdout).toBe(
      `Deleted alert webhook ${id}\n`,
    );
  }, 300_000);
});
