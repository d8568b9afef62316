import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter } from '../../src/api/index.ts';
import { openTracing } from '../../src/cli/tracing.ts';
import { createLogger, ROOT_CONTEXT, TRACING_OFF } from '../../src/observability/index.ts';
import { testConfig } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** OTLP export as `serve` configures it: on with OTEL_EXPORTER_OTLP_ENDPOINT, off without it. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('OTLP export', () => {
  let t: TestDatabase;
  let collector: Server;
  let endpoint: string;
  const received: Received[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
    await t.drop();
  });

  const appWith = (config: ReturnType<typeof testConfig>, tracing: ReturnType<typeof openTracing>) =>
    createApiServer({
      config,
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
      tracing,
    });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, the spans of a request are POSTed to <endpoint>/v1/traces', async () => {
    const config = testConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: 'shoal-otlp-test',
    });
    const tracing = openTracing(config, 'api');
    expect(tracing.enabled).toBe(true);
    const app = appWith(config, tracing);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await tracing.flush();
    await app.close();
    await tracing.shutdown();
    const posts = received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    // The HTTP exporter sends OTLP as JSON: the service and the span are in it.
    expect(posts[0]?.headers['content-type']).toContain('application/json');
    const body = posts.map((p) => p.body).join('\n');
    expect(body).toContain('shoal-otlp-test');
    expect(body).toContain('GET /readyz');
  });

  it('without it, tracing is off: the no-op tracer, nothing sent, no trace reserved for runs', async () => {
    received.length = 0;
    const config = testConfig();
    const tracing = openTracing(config, 'api');
    expect(tracing).toBe(TRACING_OFF);
    expect(tracing.enabled).toBe(false);
    const span = tracing.tracer.startSpan('anything');
    expect(span.isRecording()).toBe(false);
    expect(tracing.reserveChild(ROOT_CONTEXT)).toBeNull();
    const app = appWith(config, tracing);
    const response = await app.inject({
      method: 'GET',
      url: '/readyz',
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(response.statusCode).toBe(200);
    await tracing.flush();
    await app.close();
    expect(received).toHaveLength(0);
  });
});
