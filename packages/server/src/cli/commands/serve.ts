import { createApiServer, createRateLimiter } from '../../api/index.ts';
import { ROUTES } from '../../api/index.ts';
import { oneOf, type Command } from '../command.ts';
import { CliUsageError } from '../cli-error.ts';
import { ensureDemo } from '../demo.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { startScheduler, startWorker } from '../../engine/index.ts';
import { openGateway } from '../../gateway/index.ts';
import { createBudgetEscrow, DEFAULT_ESCROW_OPTIONS } from '../../metering/index.ts';
import { createBuiltinExecutors } from '../../steps/index.ts';
import { startMaintenance } from '../maintenance.ts';
import { openMetrics } from '../metrics.ts';
import { openSecretBox } from '../master-key.ts';
import { openRuntime } from '../runtime.ts';
import { openTracing } from '../tracing.ts';

const SERVE_ROLES = ['all', 'api', 'worker'] as const;
const usage = `Usage: shoal serve [--role all|api|worker] [--port N] [--pool NAME]

Runs the platform. --role api serves HTTP, --role worker runs background work (and serves
/healthz, /readyz and /metrics), --role all (default) does both in one process.
Options:
  --role ROLE   all | api | worker (default all)
  --port N      HTTP port (default $PORT or 8080)
  --pool NAME   the worker pool to serve (default $SHOAL_WORKER_POOL or shared)`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the API and/or the worker',
  usage,
  options: { role: { type: 'string' }, port: { type: 'string' }, pool: { type: 'string' } },
  async run(values, io) {
    const role = oneOf(String(values.role ?? 'all'), SERVE_ROLES, 'role', usage);
    const env = { ...io.env };
    if (values.port !== undefined) {
      if (!/^\d+$/.test(String(values.port))) throw new CliUsageError('--port must be a number', usage);
      env.PORT = String(values.port);
    }
    if (values.pool !== undefined) env.SHOAL_WORKER_POOL = String(values.pool);
    const runtime = await openRuntime(env);
    const { config, logger } = runtime;
    // The database everything gets: its committed transactions count runs and audit events.
    const { metrics, db } = openMetrics({ config, logger, db: runtime.db });
    const secrets = openSecretBox(config, db.driver, logger);
    // Off (a no-op tracer) unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/adr/0011-tracing.md).
    const tracing = openTracing(config, role);
    // Hard budgets of this process's calls, reserved from leased slices (docs/adr/0007-metering.md).
    const budgets = createBudgetEscrow(
      { db, logger },
      { ...DEFAULT_ESCROW_OPTIONS, processId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` },
    );
    metrics.setSources({ reservationsOpen: () => budgets.held().open });
    // Every LLM call of this process, from the API or from a workflow step, goes through it.
    const gateway = openGateway({ db, logger, config, secrets, budgets, metrics, tracing });
    const api = createApiServer(
      {
        config,
        db,
        logger,
        rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
        ...(secrets ? { secrets } : {}),
        gateway,
        budgets,
        metrics,
        tracing,
      },
      role === 'worker' ? ROUTES.filter((r) => r.url === '/healthz' || r.url === '/readyz') : ROUTES,
    );
    const stopMaintenance =
      role === 'api'
        ? async () => undefined
        : startMaintenance(runtime, 60_000, { secrets: secrets ?? undefined, metrics });
    const worker =
      role === 'api'
        ? null
        : await startWorker(
            { db, logger, executors: createBuiltinExecutors([], { gateway }), metrics, tracing },
            {
              pool: config.SHOAL_WORKER_POOL,
              workerId: `${hostname()}:${process.pid}`,
              concurrency: config.SHOAL_WORKER_CONCURRENCY,
              leaseMs: config.SHOAL_LEASE_MS,
              pollMs: 5_000,
              maintenanceMs: 1_000,
            },
          );
    // Every worker process runs the schedule loop; fires are claimed per row (docs/adr/0004-triggers.md).
    const scheduler = role === 'api' ? null : startScheduler({ db, logger, tracing });
    await api.listen({ port: config.PORT, host: config.HOST });
    const address = `http://localhost:${config.PORT}`;
    io.out(
      `Shoal ${role} listening on ${address} (${db.driver === 'pglite' ? `embedded PGlite in ${config.SHOAL_DATA_DIR}` : 'PostgreSQL'})`,
    );
    const demo = config.SHOAL_DEMO === 'true' || (config.SHOAL_DEMO === 'auto' && db.driver === 'pglite');
    if (demo && role !== 'worker') {
      const { credentials, apiKey } = await ensureDemo(runtime);
      io.out(`API docs: ${address}/docs  (OpenAPI: ${address}/openapi.json)`);
      io.out(
        `Log in: POST ${address}/v1/sessions with email ${credentials.email} and password ${credentials.password}`,
      );
      io.out(`Try: curl -H "Authorization: Bearer $SHOAL_API_KEY" ${address}/v1/tenant`);
      io.out(`Demo API key: ${apiKey}`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.out('Shutting down');
    await api.close();
    await scheduler?.stop();
    await worker?.stop();
    await gateway.close();
    // After the gateway wrote its call records: what they cost is confirmed, the rest returned.
    await budgets.close();
    await stopMaintenance();
    // The spans of the last requests and attempts leave before the process does.
    await tracing.shutdown();
    await db.close();
    return 0;
  },
};
