import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { appendAuditEvent } from '../audit/index.ts';
import { createTaskSignals, type TaskSignals } from '../engine/index.ts';
import { IdentityError, isAllowed, type Principal, type RequestMeta } from '../identity/index.ts';
import { createApiKeyCache } from './api-key-cache.ts';
import { authenticate } from './authenticate.ts';
import { traceRequests } from './request-spans.ts';
import { renderDocsPage } from './docs-page.ts';
import { ApiError, normaliseError, type ErrorBody } from './errors.ts';
import { buildOpenApi } from './openapi.ts';
import { runLongPoll } from './long-poll.ts';
import {
  isAudited,
  isMutating,
  type AnyRoute,
  type ApiDeps,
  type RouteDeps,
  type RouteResult,
  type AnyTenantRoute,
  type AnyOperatorRoute,
  type AnyDirectRoute,
} from './route.ts';
import { ROUTES } from './routes/index.ts';
import { securityHeaders } from './security-headers.ts';
import { parsePart } from './validate.ts';
import { OPERATOR_API_ACTOR } from '../scheduling/index.ts';
import { TRACING_OFF } from '../observability/index.ts';

export const API_VERSION = '0.1.0';
export type ApiServer = ReturnType<typeof createApiServer>;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `req_` and 12 random bytes, cut from a pool refilled 4 KiB at a time: a `randomBytes` call per
 * request was 2% of the gateway's CPU under load.
 */
function createRequestIds(): () => string {
  const size = 12;
  let pool = randomBytes(size * 340);
  let at = 0;
  return () => {
    if (at + size > pool.length) {
      pool = randomBytes(pool.length);
      at = 0;
    }
    at += size;
    return `req_${pool.toString('base64url', at - size, at)}`;
  };
}

function send(reply: FastifyReply, status: number, result: RouteResult): FastifyReply {
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  reply.code(status);
  return status === 204 || result.body === undefined ? reply.send() : reply.send(result.body);
}

/**
 * The HTTP server: one handler per route from the route table, authentication, permission
 * checks, the tenant transaction and the audit event wired here once for every route.
 */
export function createApiServer(apiDeps: ApiDeps, routes: readonly AnyRoute[] = ROUTES) {
  // One NOTIFY listener wakes every task-queue long-poll of this server.
  const ownSignals = apiDeps.taskSignals ? null : createTaskSignals(apiDeps.db);
  const deps: RouteDeps = {
    ...apiDeps,
    taskSignals: apiDeps.taskSignals ?? (ownSignals as TaskSignals),
    apiKeys: createApiKeyCache({ ttlMs: apiDeps.config.SHOAL_API_KEY_CACHE_MS }),
  };
  const requestId = createRequestIds();
  const app = Fastify({
    loggerInstance: deps.logger,
    // Per-request lines only at debug and below: at info they would dwarf everything else.
    logController: new LogController({
      disableRequestLogging:
        deps.config.SHOAL_LOG_LEVEL !== 'debug' && deps.config.SHOAL_LOG_LEVEL !== 'trace',
    }),
    bodyLimit: deps.config.SHOAL_BODY_LIMIT_BYTES,
    trustProxy: deps.config.SHOAL_TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : requestId();
    },
  });
  // Bodies are JSON only: without this, Fastify's default text/plain parser hands routes a string.
  app.removeContentTypeParser('text/plain');
  const requestSpans = traceRequests(app, deps.tracing ?? TRACING_OFF);
  const openapi = buildOpenApi(routes, { version: API_VERSION });
  const docsHtml = renderDocsPage(openapi as Parameters<typeof renderDocsPage>[0]);

  const pageHeaders = securityHeaders({ html: true, hsts: deps.config.SHOAL_COOKIE_SECURE });
  const dataHeaders = securityHeaders({ html: false, hsts: deps.config.SHOAL_COOKIE_SECURE });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    reply.headers(html ? pageHeaders : dataHeaders);
    if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const normal = normaliseError(error);
    requestSpans.failed(request, normal.code, normal.status);
    if (normal.internal) request.log.error({ err: error }, 'unhandled error');
    for (const [name, value] of Object.entries(normal.headers ?? {})) reply.header(name, value);
    const body: ErrorBody = {
      error: {
        code: normal.code,
        message: normal.message,
        ...(normal.details ? { details: normal.details } : {}),
        requestId: request.id,
      },
    };
    return reply.code(normal.status).send(body);
  });

  app.setNotFoundHandler((request) => {
    throw new ApiError('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}`);
  });

  const limit = (key: string) => {
    const retryAfter = deps.rateLimiter.take(key);
    if (retryAfter > 0) {
      throw new ApiError(
        'RATE_LIMITED',
        undefined,
        { retryAfterSeconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  };

  const authenticateOrLimit = async (request: FastifyRequest): Promise<Principal> => {
    try {
      return await authenticate(deps.db, request, deps.apiKeys);
    } catch (error) {
      // Failed credentials count against the client's address, which slows guessing.
      if (error instanceof IdentityError) limit(`ip:${request.ip}`);
      throw error;
    }
  };

  const runTenantRoute = async (
    route: AnyTenantRoute | AnyDirectRoute,
    request: FastifyRequest,
    reply: FastifyReply,
    meta: RequestMeta,
  ) => {
    const principal = await authenticateOrLimit(request);
    requestSpans.authenticated(request, reply, principal.tenantId);
    limit(principal.apiKeyId ? `key:${principal.apiKeyId}` : `session:${principal.sessionId}`);
    if (!isAllowed(principal.role, route.auth)) {
      if (isMutating(route)) {
        await deps.db.tenantTx(principal.tenantId, (tx) =>
          appendAuditEvent(tx, principal.tenantId, {
            actor: principal.actor,
            action: route.auth,
            requestId: meta.requestId,
            ip: meta.ip,
            result: 'failure',
            details: { reason: 'FORBIDDEN', role: principal.role },
          }),
        );
      }
      throw new IdentityError('FORBIDDEN', `Role ${principal.role} may not perform ${route.auth}`);
    }
    const input = {
      params: parsePart(route.params as never, request.params, 'params'),
      query: parsePart(route.query as never, request.query, 'query'),
      body: parsePart(route.body as never, request.body, 'body'),
    };
    const userAgent = request.headers['user-agent'] ?? null;
    if ('direct' in route) {
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new Error('the client went away'));
      });
      const result = await route.handler(
        {
          deps,
          meta,
          userAgent,
          reply,
          principal,
          signal: controller.signal,
          trace: requestSpans.parentOf(request),
        },
        input as never,
      );
      return result.hijacked ? reply : send(reply, result.status ?? route.success.status, result);
    }
    const tryOnce = () =>
      deps.db.tenantTx(principal.tenantId, async (tx) => {
        const out = await route.handler(
          { deps, meta, userAgent, reply, tx, principal, trace: requestSpans.parentOf(request) },
          input as never,
        );
        if (isAudited(route)) {
          if (!out.audit)
            throw new Error(`Route ${route.method} ${route.url} changed state without an audit note`);
          await appendAuditEvent(tx, principal.tenantId, {
            actor: principal.actor,
            action: route.auth,
            target: out.audit.target,
            requestId: meta.requestId,
            ip: meta.ip,
            ...(out.audit.details ? { details: out.audit.details } : {}),
          });
        }
        return out;
      });
    const result = route.longPoll
      ? await runLongPoll(route.longPoll, { deps, principal }, input as never, reply, tryOnce)
      : await tryOnce();
    result.afterCommit?.();
    return send(reply, result.status ?? route.success.status, result);
  };

  // Digests of equal length, so the comparison takes the same time whatever is presented.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const operatorDigest = deps.config.SHOAL_OPERATOR_TOKEN ? digest(deps.config.SHOAL_OPERATOR_TOKEN) : null;

  const metricsDigest = deps.config.SHOAL_METRICS_TOKEN ? digest(deps.config.SHOAL_METRICS_TOKEN) : null;
  if (deps.metrics) {
    const metrics = deps.metrics;
    // The route pattern, never the raw URL: ids in paths would make a series per request.
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpRequest(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', async (request, reply) => {
      if (metricsDigest) {
        const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
        if (!match?.[1] || !timingSafeEqual(digest(match[1]), metricsDigest)) {
          limit(`ip:${request.ip}`);
          throw new ApiError('METRICS_UNAUTHENTICATED');
        }
      }
      const scraped = await metrics.scrape();
      return reply.type(scraped.contentType).send(scraped.body);
    });
  }

  const runOperatorRoute = async (
    route: AnyOperatorRoute,
    request: FastifyRequest,
    reply: FastifyReply,
    meta: RequestMeta,
  ) => {
    if (!operatorDigest) throw new ApiError('OPERATOR_API_DISABLED');
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), operatorDigest)) {
      // Failed tokens count against the client's address, which slows guessing.
      limit(`ip:${request.ip}`);
      throw new ApiError('OPERATOR_UNAUTHENTICATED');
    }
    limit('operator');
    const input = {
      params: parsePart(route.params as never, request.params, 'params'),
      query: parsePart(route.query as never, request.query, 'query'),
      body: parsePart(route.body as never, request.body, 'body'),
    };
    const userAgent = request.headers['user-agent'] ?? null;
    const change = { actor: OPERATOR_API_ACTOR, requestId: meta.requestId, ip: meta.ip };
    const result = await deps.db.systemTx((sys) =>
      route.handler({ deps, meta, userAgent, reply, sys, change }, input as never),
    );
    result.afterCommit?.();
    return send(reply, result.status ?? route.success.status, result);
  };

  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const register = (scope: Pick<typeof app, 'route'>, route: AnyRoute) => {
    scope.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const meta: RequestMeta = { requestId: request.id, ip: request.ip };
        if (route.auth === 'operator') return runOperatorRoute(route, request, reply, meta);
        if (route.auth !== 'public') return runTenantRoute(route, request, reply, meta);
        limit(`ip:${request.ip}`);
        const input = {
          params: parsePart(route.params as never, request.params, 'params'),
          query: parsePart(route.query as never, request.query, 'query'),
          body: parsePart(route.body as never, request.body, 'body'),
        };
        const userAgent = request.headers['user-agent'] ?? null;
        const rawBody = route.rawBody ? (rawBodies.get(request) ?? Buffer.alloc(0)) : undefined;
        const result = await route.handler(
          {
            deps,
            meta,
            userAgent,
            reply,
            ...(rawBody ? { rawBody } : {}),
            trace: requestSpans.parentOf(request),
          },
          input as never,
        );
        return send(reply, result.status ?? route.success.status, result);
      },
    });
  };
  for (const route of routes) if (!route.rawBody) register(app, route);
  // Routes that verify a signature over the body get its bytes: their own JSON parser keeps them.
  const rawRoutes = routes.filter((route) => route.rawBody);
  if (rawRoutes.length > 0) {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    void app.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
        rawBodies.set(request, body as Buffer);
        void parseJson(request, (body as Buffer).toString('utf8'), done);
      });
      for (const route of rawRoutes) register(scope as unknown as typeof app, route);
    });
  }

  // Waiting long-polls answer 204 at once instead of holding the shutdown up.
  app.addHook('preClose', async () => ownSignals?.close());
  app.get('/openapi.json', async () => openapi);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsHtml));
  return app;
}
