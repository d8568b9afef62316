import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { emptyDatabase } from '../support/empty-database.ts';
import { runShoal } from '../support/run-cli.ts';
import {
  createClockedApp,
  createPlanRow,
  insertBillingTenant,
  pricePlan,
  recordUsage,
} from '../support/statements.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { at, CLOSE_CLOCK, PRICING, scriptedEvents, TENANT } from './fixtures/scripted-month.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('shoal statements (through the API)', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ app } = createClockedApp(t.db, CLOSE_CLOCK));
    await createPlanRow(t.db, TENANT.plan);
    await pricePlan(t.db, TENANT.plan, PRICING, at('2025-12-01T00:00:00.000Z'));
    const key = await insertBillingTenant(t.db, TENANT);
    await recordUsage(t.db, scriptedEvents());
    env = { SHOAL_URL: await app.listen({ port: 0, host: '127.0.0.1' }), SHOAL_API_KEY: key };
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('show --format json and csv print the statement as the API serves it', async () => {
    const json = await runShoal(['statements', 'show', '2026-03', '--format', 'json'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(fixture('statement-scripted-month.json'));

    const csv = await runShoal(['statements', 'show', '2026-03', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    // The last CRLF of the file is the line end the CLI prints.
    expect(csv.stdout).toBe(fixture('statement-scripted-month.csv').replace(/\r\n$/, '\n'));
  });

  it('show prints a summary and list the months', async () => {
    const show = await runShoal(['statements', 'show', '2026-03'], env);
    expect(show.code).toBe(0);
    const lines = show.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      `2026-03 closed (closed ${CLOSE_CLOCK.toISOString()}): Scripted Month Ltd, plan scripted, America/New_York`,
    );
    expect(
      lines
        .at(-1)
        ?.trim()
        .split(/\s{2,}/),
    ).toEqual(['total USD', '81.932522']);

    const list = await runShoal(['statements', 'list'], env);
    expect(list.code).toBe(0);
    const march = list.stdout.split('\n').find((line) => line.startsWith('2026-03'));
    expect(march?.split(/\s{2,}/)).toEqual(['2026-03', 'closed', '81.932522 USD', 'scripted']);
  });

  it('an API error is one line with its code', async () => {
    const result = await runShoal(['statements', 'show', '2025-12'], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Error PLAN_UNPRICED: Plan scripted has no pricing in effect for 2025-12',
    );
    const bad = await runShoal(['statements', 'show', 'March'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MONTH must be YYYY-MM (got "March")');
  });
});

describe('shoal plans pricing (on the local database)', () => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  let dir: string;
  const now = new Date();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);

  beforeAll(async () => {
    database = await emptyDatabase();
    dir = mkdtempSync(join(tmpdir(), 'shoal-pricing-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  const file = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };

  it('sets a version from next month and shows it first', async () => {
    const path = file('team.json', { ...PRICING, effectiveFrom: next });
    const set = await runShoal(['plans', 'pricing', 'set', 'team', '--file', path], database.env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout.trim()).toBe(`team: pricing from ${next} set`);

    const show = await runShoal(['plans', 'pricing', 'show', 'team', '--json'], database.env);
    expect(show.code).toBe(0);
    const { versions } = JSON.parse(show.stdout) as {
      versions: { effectiveFrom: string; basePriceMicroUsd: number }[];
    };
    expect(versions.map((v) => [v.effectiveFrom, v.basePriceMicroUsd])).toEqual([
      [next, PRICING.basePriceMicroUsd],
      ['2000-01', 49_000_000],
    ]);
  });

  it('refuses bad tiers with their code and a malformed file as a usage error', async () => {
    const tiers = [
      { upTo: 10, unitPriceMicroUsd: 1 },
      { upTo: null, unitPriceMicroUsd: 1 },
    ];
    const bad = file('bad.json', {
      ...PRICING,
      effectiveFrom: next,
      meters: { ...PRICING.meters, steps_executed: { included: 1000, per: 1000, tiers } },
    });
    const result = await runShoal(['plans', 'pricing', 'set', 'team', '--file', bad], database.env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Error PRICING_TIERS_NOT_ASCENDING: steps_executed: tier 1 ends at 10, not above the included allowance (1000)',
    );
    const malformed = file('malformed.json', { effectiveFrom: 'soon' });
    const usage = await runShoal(['plans', 'pricing', 'set', 'team', '--file', malformed], database.env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('effectiveFrom must be a month YYYY-MM');
  });
});
