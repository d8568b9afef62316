import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { createUsageLedger, type UsageEvent } from '../../src/metering/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { runShoal } from '../support/run-cli.ts';
import { createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** `shoal usage` reads /v1/usage through the SDK from a server listening on a port. */
describe('shoal usage', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let url: string;

  const shoal = (args: string[], key: string | null = tenant.keys.viewer) =>
    runShoal(['usage', '--url', url, ...args], { SHOAL_API_KEY: key ?? undefined });

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'usage-cli');
    const runId = randomUUID();
    const at = new Date('2026-03-04T10:00:00Z');
    const events: UsageEvent[] = [
      {
        tenantId: tenant.tenantId,
        key: `run:${runId}`,
        kind: 'run_started',
        occurredAt: at,
        runId,
        pool: 'shared',
      },
      {
        tenantId: tenant.tenantId,
        key: `step:${runId}:a:1`,
        kind: 'step_executed',
        occurredAt: at,
        runId,
        pool: 'shared',
      },
      {
        tenantId: tenant.tenantId,
        key: `worker:${runId}:a:1`,
        kind: 'worker_seconds',
        occurredAt: at,
        runId,
        pool: 'shared',
        quantity: 1234,
      },
      {
        tenantId: tenant.tenantId,
        key: `llm:${randomUUID()}`,
        kind: 'llm_call',
        occurredAt: at,
        provider: 'simulated',
        model: 'sim-small',
        tokensIn: 100,
        tokensOut: 50,
        costMicroUsd: 1_250_000,
      },
    ];
    const ledger = createUsageLedger(
      { db: t.db, logger: createLogger({ level: 'silent' }) },
      { flushMs: 5, maxBatch: 10 },
    );
    expect(await ledger.recordNow(events)).toBe(4);
    app = createTestApp(t.db);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const RANGE = ['--from', '2026-03-01', '--to', '2026-03-08'];
  // Each case starts the real executable, a few seconds each on a busy machine.
  const CLI_TIMEOUT_MS = 180_000;

  it(
    'prints a table of the groups and their total',
    async () => {
      const result = await shoal([...RANGE, '--group-by', 'pool']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toBe('Usage 2026-03-01T00:00:00.000Z to 2026-03-08T00:00:00.000Z (UTC), by pool');
      expect(lines[1]?.split(/\s{2,}/)).toEqual([
        'GROUP',
        'CALLS',
        'CACHE HITS',
        'TOKENS IN',
        'TOKENS OUT',
        'COST USD',
        'RUNS',
        'STEPS',
        'WORKER S',
      ]);
      // Groups by cost, the dearest first; '-' is the events of no pool (LLM calls).
      expect(lines[2]?.split(/\s{2,}/)).toEqual(['-', '1', '0', '100', '50', '1.250000', '0', '0', '0.000']);
      expect(lines[3]?.split(/\s{2,}/)).toEqual([
        'shared',
        '0',
        '0',
        '0',
        '0',
        '0.000000',
        '1',
        '1',
        '1.234',
      ]);
      expect(lines[4]?.split(/\s{2,}/)).toEqual([
        'TOTAL',
        '1',
        '0',
        '100',
        '50',
        '1.250000',
        '1',
        '1',
        '1.234',
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    '--json prints the API answer',
    async () => {
      const result = await shoal([...RANGE, '--group-by', 'model', '--json']);
      expect(result.code).toBe(0);
      const body = JSON.parse(result.stdout);
      expect(body.groupBy).toBe('model');
      expect(body.data.map((g: { group: string | null; costUsd: string }) => [g.group, g.costUsd])).toEqual([
        ['simulated/sim-small', '1.250000'],
        [null, '0.000000'],
      ]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'refuses a bad group-by, a bad range and a missing key with their exit codes',
    async () => {
      const badGroup = await shoal(['--group-by', 'hour']);
      expect(badGroup.code).toBe(2);
      expect(badGroup.stderr).toContain('--group-by must be one of day, model, workflow, key, pool');
      const badRange = await shoal(['--from', '2026-03-08', '--to', '2026-03-01']);
      expect(badRange.code).toBe(1);
      expect(badRange.stderr).toContain('Error USAGE_RANGE_INVALID');
      const badDate = await shoal(['--from', 'yesterday']);
      expect(badDate.code).toBe(1);
      expect(badDate.stderr).toContain('Error VALIDATION_FAILED');
      const noKey = await shoal([], null);
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('SHOAL_API_KEY');
    },
    CLI_TIMEOUT_MS,
  );
});
