import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSteps } from '../../src/engine/index.ts';
import { publishDefinition } from '../support/publish.ts';
import { queueRuns, setSchedulingLimits } from '../support/scheduling.ts';
import { seedTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('../support/ceiling-worker.ts', import.meta.url));
const PROCESSES = 3;
const SLOTS = 4;
const POOL = 'ceiling';

/** Counts, per tenant, the steps that hold a request at the same moment: what workers really run. */
function createCountingServer() {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const served = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const tenant = url.searchParams.get('tenant') ?? '';
    const run = url.searchParams.get('run') ?? '';
    const now = (running.get(tenant) ?? 0) + 1;
    running.set(tenant, now);
    peak.set(tenant, Math.max(peak.get(tenant) ?? 0, now));
    served.set(run, (served.get(run) ?? 0) + 1);
    setTimeout(
      () => {
        running.set(tenant, (running.get(tenant) ?? 1) - 1);
        response.end('ok');
      },
      Number(url.searchParams.get('ms') ?? 0),
    );
  });
  return { server, peak, served };
}

describe.runIf(TEST_DRIVER === 'postgres')('tenant ceilings across worker processes', () => {
  let t: TestDatabase;
  let counting: ReturnType<typeof createCountingServer>;
  let workers: ChildProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    counting = createCountingServer();
    const server: Server = counting.server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    workers = Array.from({ length: PROCESSES }, (_, i) =>
      spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: t.url ?? '',
          POOL,
          WORKER_ID: `ceiling-${i}`,
          CONCURRENCY: String(SLOTS),
          REPORT_URL: `http://127.0.0.1:${port}`,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    await Promise.all(workers.map((w) => once(w.stdout as NodeJS.ReadableStream, 'data')));
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    counting.server.close();
    await t.drop();
  });

  it('no tenant ever runs more steps at once than its ceiling, whatever the arrivals (3 processes)', async () => {
    let reachedCeiling = 0;
    let property = 0;
    const arrival = fc.record({
      tenant: fc.integer({ min: 0, max: 2 }),
      atMs: fc.integer({ min: 0, max: 1200 }),
      runs: fc.integer({ min: 1, max: 12 }),
      ms: fc.integer({ min: 5, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        fc.array(arrival, { minLength: 3, maxLength: 10 }),
        async (ceilings, guarantees, arrivals) => {
          property += 1;
          const tenants: {
            id: string;
            ceiling: number;
            published: Awaited<ReturnType<typeof publishDefinition>>;
          }[] = [];
          for (const [i, ceiling] of ceilings.entries()) {
            const tenant = await seedTenant(t.db, `ceiling-${property}-${i}`);
            const guaranteed = Math.min(guarantees[i] ?? 0, ceiling);
            await setSchedulingLimits(t.db, tenant.tenantId, { ceiling, guaranteed, pool: POOL });
            const published = await publishDefinition(t.db, tenant.tenantId, {
              name: 'held',
              steps: [{ id: 'hold', type: 'transform', with: { value: '{{ input.ms }}' } }],
            });
            tenants.push({ id: tenant.tenantId, ceiling, published });
          }
          // The database's own view of leases, sampled while the runs arrive and drain.
          const sampled = new Map<string, number>();
          let sampling = true;
          const sampler = (async () => {
            while (sampling) {
              const rows = await t.db.systemTx((sys) =>
                sys.query<{ tenant_id: string; n: number }>(
                  `select tenant_id, count(*)::int as n from step_queue
                    where pool = $1 and lease_owner is not null group by tenant_id`,
                  [POOL],
                ),
              );
              for (const row of rows.rows)
                sampled.set(row.tenant_id, Math.max(sampled.get(row.tenant_id) ?? 0, row.n));
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })();
          const runIds: string[] = [];
          await Promise.all(
            arrivals.map(async (a) => {
              await new Promise((resolve) => setTimeout(resolve, a.atMs));
              const tenant = tenants[a.tenant];
              if (!tenant) return;
              const ids = await queueRuns(t.db, tenant.id, tenant.published.workflowId, a.runs, {
                workflowVersion: tenant.published.version,
                steps: planSteps(tenant.published.definition),
                input: { ms: a.ms },
              });
              runIds.push(...ids);
            }),
          );
          const deadline = Date.now() + 60_000;
          let open = runIds.length;
          while (open > 0 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            const result = await t.db.ownerTx((tx) =>
              tx.query<{ n: number }>(
                `select count(*)::int as n from runs where id = any($1::uuid[]) and state <> 'succeeded'`,
                [runIds],
              ),
            );
            open = result.rows[0]?.n ?? 0;
          }
          sampling = false;
          await sampler;
          expect(open, 'runs not succeeded').toBe(0);
          for (const tenant of tenants) {
            const peak = Math.max(counting.peak.get(tenant.id) ?? 0, sampled.get(tenant.id) ?? 0);
            expect(peak, `tenant with ceiling ${tenant.ceiling}`).toBeLessThanOrEqual(tenant.ceiling);
            if (peak === tenant.ceiling) reachedCeiling += 1;
          }
          // Nothing crashed, so every step ran exactly once.
          for (const id of runIds) expect(counting.served.get(id), `run ${id}`).toBe(1);
        },
      ),
      { numRuns: 5 },
    );
    // The ceilings were reached, not just never approached.
    expect(reachedCeiling).toBeGreaterThan(0);
  });
});
