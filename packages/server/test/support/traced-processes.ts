import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import { startWorker, type Worker } from '../../src/engine/index.ts';
import { openGateway, type Gateway } from '../../src/gateway/index.ts';
import { createLogger, createTracing, type Tracing } from '../../src/observability/index.ts';
import { createBuiltinExecutors, type StepExecutor } from '../../src/steps/index.ts';
import { testSecrets } from './gateway.ts';
import { testConfig } from './test-app.ts';
import type { TestDatabase } from './test-db.ts';

/** What tracing sees of one process: its own provider and in-memory exporter, and its gateway. */
export interface TracedProcess {
  exporter: InMemorySpanExporter;
  tracing: Tracing;
  gateway: Gateway;
}

/** An API server and a worker on one database, each a separate process as far as tracing goes. */
export interface TracedPair {
  api: TracedProcess;
  work: TracedProcess;
  app: ApiServer;
  worker: Worker;
  /** The worker's log lines, parsed. */
  workerLines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A writable that parses each JSON log line into `lines`. */
export function lineSink(lines: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
}

function openProcess(t: TestDatabase, serviceName: string): TracedProcess {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ serviceName, exporter });
  const logger = createLogger({ level: 'silent' });
  const gateway = openGateway({ db: t.db, logger, config: testConfig(), secrets: testSecrets(), tracing });
  return { exporter, tracing, gateway };
}

/** A transform step that writes one log line through the logger the worker gives it. */
const loggingTransform: StepExecutor = {
  type: 'transform',
  async execute(ctx) {
    ctx.logger.info('transform step ran');
    return { kind: 'completed', output: { ok: true } };
  },
};

export async function startTracedPair(t: TestDatabase): Promise<TracedPair> {
  const api = openProcess(t, 'shoal-api');
  const work = openProcess(t, 'shoal-worker');
  const config = testConfig();
  const app = createApiServer({
    config,
    db: t.db,
    logger: createLogger({ level: 'silent' }),
    rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    secrets: testSecrets(),
    gateway: api.gateway,
    tracing: api.tracing,
  });
  const executors = new Map(createBuiltinExecutors([], { gateway: work.gateway }));
  executors.set('transform', loggingTransform);
  const workerLines: Record<string, unknown>[] = [];
  const worker = await startWorker(
    {
      db: t.db,
      logger: createLogger({ level: 'info', destination: lineSink(workerLines) }),
      executors,
      tracing: work.tracing,
    },
    {
      pool: 'shared',
      workerId: 'trace-worker',
      concurrency: 2,
      leaseMs: 5_000,
      pollMs: 50,
      maintenanceMs: 50,
    },
  );
  return {
    api,
    work,
    app,
    worker,
    workerLines,
    async close() {
      await worker.stop();
      await app.close();
      await api.gateway.close();
      await work.gateway.close();
      await api.tracing.shutdown();
      await work.tracing.shutdown();
    },
  };
}

/**
 * The finished spans of `exporter` once `count` of them match: a run's span is emitted by a
 * worker's maintenance sweep after the run finished. Gives up after 10 s (and returns fewer).
 */
export async function spansOnce(
  exporter: InMemorySpanExporter,
  match: (span: ReadableSpan) => boolean,
  count = 1,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = exporter.getFinishedSpans().filter(match);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Everything a span carries besides its ids, as one string to search for leaked content. */
export const spanJson = (span: ReadableSpan): string =>
  JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
  });
