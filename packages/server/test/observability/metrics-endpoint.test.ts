import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, createRateLimiter, ROUTES } from '../../src/api/index.ts';
import { createLogger, createMetrics } from '../../src/observability/index.ts';
import { parseExposition, sumOf } from '../support/prometheus-text.ts';
import { bearer, createTestServer, seedTenant, testConfig } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** /metrics behind SHOAL_METRICS_TOKEN, on the worker role's reduced server too. */
const TOKEN = 'metrics-token-0123456789';

describe('the /metrics endpoint', () => {
  let t: TestDatabase;
  let secured: ReturnType<typeof createTestServer>;

  beforeAll(async () => {
    t = await createTestDatabase();
    secured = createTestServer(t.db, { SHOAL_METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await secured.app.close();
    await t.drop();
  });

  it('answers 401 METRICS_UNAUTHENTICATED without the token or with a wrong one', async () => {
    for (const headers of [{}, bearer('metrics-token-wrong-012345'), { authorization: TOKEN }]) {
      const response = await secured.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        error: {
          code: 'METRICS_UNAUTHENTICATED',
          message: '/metrics needs "Authorization: Bearer <SHOAL_METRICS_TOKEN>"',
        },
      });
    }
  });

  it('serves the exposition with the token, counting the refused scrapes by route and status', async () => {
    const response = await secured.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) });
    expect(response.statusCode).toBe(200);
    const families = parseExposition(response.body);
    expect(
      sumOf(families, 'shoal_http_requests_total', { method: 'GET', route: '/metrics', status: '401' }),
    ).toBe(3);
  });

  it('labels a request no route matched as unmatched, never with its URL', async () => {
    const { app } = secured;
    const missing = await app.inject({ method: 'GET', url: '/v1/no-such-thing/123' });
    expect(missing.statusCode).toBe(404);
    const tenant = await seedTenant(t.db, 'metrics-endpoint');
    const run = await app.inject({
      method: 'GET',
      url: '/v1/runs/00000000-0000-4000-8000-000000000000',
      headers: bearer(tenant.keys.viewer),
    });
    expect(run.statusCode).toBe(404);
    const body = (await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN) })).body;
    const families = parseExposition(body);
    expect(sumOf(families, 'shoal_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(sumOf(families, 'shoal_http_requests_total', { route: '/v1/runs/:id', status: '404' })).toBe(1);
    expect(body).not.toContain('no-such-thing');
    expect(body).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('is served by the worker role, whose server has only the health routes', async () => {
    const config = testConfig();
    const metrics = createMetrics({ maxTenants: config.SHOAL_METRICS_MAX_TENANTS, defaultMetrics: true });
    const app = createApiServer(
      {
        config,
        db: t.db,
        logger: createLogger({ level: 'silent' }),
        rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
        metrics,
      },
      ROUTES.filter((r) => r.url === '/healthz' || r.url === '/readyz'),
    );
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      const families = parseExposition(response.body);
      expect(families.get('shoal_process_cpu_seconds_total')?.type).toBe('counter');
      expect(sumOf(families, 'shoal_http_requests_total', { route: '/healthz', status: '200' })).toBe(1);
      expect((await app.inject({ method: 'GET', url: '/v1/tenant' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
