import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo, EXAMPLES_DIR } from '../../src/cli/demo.ts';
import { startRun, startWorker } from '../../src/engine/index.ts';
import { openGateway } from '../../src/gateway/index.ts';
import { createBuiltinExecutors, type LlmChatOutput } from '../../src/steps/index.ts';
import { waitForRun } from '../support/engine.ts';
import { listWorkflows } from '../../src/workflows/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { testConfig } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** `name v1` of every examples/*.yaml, by name. */
const expected = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => `${/^name: (.+)$/m.exec(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))?.[1] ?? file} v1`)
  .sort();

describe('the demo tenant', () => {
  let t: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'shoal-demo-'));

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the sample workflows of examples/, published once', async () => {
    const runtime = {
      config: testConfig({ SHOAL_DATA_DIR: dir }),
      logger: createLogger({ level: 'silent' }),
      db: t.db,
    };
    const first = await ensureDemo(runtime);
    const names = async () =>
      (
        await t.db.tenantTx(first.credentials.tenantId, (tx) =>
          listWorkflows(tx, { archived: 'include', limit: 100 }),
        )
      ).map((w) => `${w.name} v${w.latestVersion}`);
    expect(await names()).toEqual(expected);

    // A restart prints a new key and leaves the workflows as they are.
    const second = await ensureDemo(runtime);
    expect(second.credentials.tenantId).toBe(first.credentials.tenantId);
    expect(await names()).toEqual(expected);
    const events = await t.db.ownerTx((tx) =>
      tx.query<{ n: number }>(
        `select count(*)::int as n from audit_events where tenant_id = $1 and action = 'workflows.write'`,
        [first.credentials.tenantId],
      ),
    );
    expect(events.rows[0]?.n).toBe(expected.length);
    expect(expected.length).toBeGreaterThanOrEqual(2);
  });

  it('the greet-everyone sample runs offline: a child run of greet per name, then the branch picks the closing', async () => {
    const runtime = {
      config: testConfig({ SHOAL_DATA_DIR: dir }),
      logger: createLogger({ level: 'silent' }),
      db: t.db,
    };
    const { tenantId } = (await ensureDemo(runtime)).credentials;
    const worker = await startWorker(
      { db: t.db, logger: runtime.logger, executors: createBuiltinExecutors() },
      { pool: 'shared', workerId: 'demo', concurrency: 8, leaseMs: 5_000, pollMs: 100, maintenanceMs: 50 },
    );
    try {
      const { runId } = await t.db.tenantTx(tenantId, (tx) =>
        startRun(tx, tenantId, {
          workflowName: 'greet-everyone',
          input: { names: ['Ada', 'Grace', 'Edsger', 'Barbara'] },
          idempotencyKey: null,
        }),
      );
      let run: { state: string; output: unknown } | undefined;
      for (let i = 0; i < 600; i += 1) {
        run = (
          await t.db.tenantTx(tenantId, (tx) =>
            tx.query<{ state: string; output: unknown }>('select state, output from runs where id = $1', [
              runId,
            ]),
          )
        ).rows[0];
        if (run && ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(run.state)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(run).toEqual({
        state: 'succeeded',
        output: {
          greetings: ['Ada', 'Grace', 'Edsger', 'Barbara'].map((name) => ({
            greeting: `Hello, ${name}!`,
            loud: `HELLO, ${name.toUpperCase()}!`,
          })),
          closing: 'What a crowd!',
        },
      });
    } finally {
      await worker.stop();
    }
  });

  it('the summarize sample runs offline: llm.chat on the simulated provider answers JSON that matches its schema', async () => {
    const runtime = {
      config: testConfig({ SHOAL_DATA_DIR: dir }),
      logger: createLogger({ level: 'silent' }),
      db: t.db,
    };
    const { tenantId } = (await ensureDemo(runtime)).credentials;
    // As `shoal serve` builds it: no master key is needed for the keyless simulated provider.
    const gateway = openGateway({ db: t.db, logger: runtime.logger, config: runtime.config, secrets: null });
    const worker = await startWorker(
      { db: t.db, logger: runtime.logger, executors: createBuiltinExecutors([], { gateway }) },
      { pool: 'shared', workerId: 'demo', concurrency: 8, leaseMs: 5_000, pollMs: 100, maintenanceMs: 50 },
    );
    try {
      const { runId } = await t.db.tenantTx(tenantId, (tx) =>
        startRun(tx, tenantId, {
          workflowName: 'summarize',
          input: { text: 'Tides rise and fall twice a day, pulled by the moon.', audience: 'children' },
          idempotencyKey: null,
        }),
      );
      const run = await waitForRun(t.db, tenantId, runId);
      expect(run.error_message).toBeNull();
      expect(run.state).toBe('succeeded');
      const output = run.output as Record<string, unknown>;
      expect(output).toMatchObject({ model: 'simulated/sim-small', simulated: true });
      expect(typeof output.title).toBe('string');
      expect(typeof output.summary).toBe('string');
      expect(Array.isArray(output.keywords)).toBe(true);
      expect(output.costMicroUsd).toBeGreaterThan(0);
      const step = await t.db.tenantTx(tenantId, (tx) =>
        tx.query<{ output: LlmChatOutput }>(
          `select output from run_steps where run_id = $1 and step_key = 'summarize'`,
          [runId],
        ),
      );
      const summary = step.rows[0]?.output;
      expect(summary?.json).toEqual({
        title: output.title,
        summary: output.summary,
        keywords: output.keywords,
      });
      await gateway.flush();
      const calls = await t.db.tenantTx(tenantId, (tx) =>
        tx.query<{ id: string; cost_micro_usd: string }>(
          `select id, cost_micro_usd from llm_calls where run_id = $1 and outcome = 'succeeded'`,
          [runId],
        ),
      );
      expect(calls.rows.map((c) => c.id)).toContain(summary?.callId);
      expect(calls.rows.reduce((sum, c) => sum + Number(c.cost_micro_usd), 0)).toBe(output.costMicroUsd);
    } finally {
      await worker.stop();
      await gateway.close();
    }
  });
});
