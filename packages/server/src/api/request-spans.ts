import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import {
  contextFromHeaders,
  contextWithSpan,
  logIdsOf,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Span,
  type SpanParent,
  type Logger,
  type Tracing,
} from '../observability/index.ts';

type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger>;

/** The server's view of the request spans: the parent of what a route starts, and annotations. */
export interface RequestSpans {
  /** The request's span as a parent (the run a route starts, a gateway call); the root when off. */
  parentOf(request: FastifyRequest): SpanParent;
  /** Names the caller's tenant on the span and in the request's log lines, once authenticated. */
  authenticated(request: FastifyRequest, reply: FastifyReply, tenantId: string): void;
  /** Records the error code of a failed request (the code only: messages can quote input). */
  failed(request: FastifyRequest, code: string, status: number): void;
}

/**
 * Adds `bindings` to the request's log lines. Fastify's per-request logger (a pino child with the
 * request id, shared by the reply, whose logger writes the `request completed` line) is bound in
 * place, which costs less than another child; a logger without `setBindings` gets a child.
 */
function bindLog(request: FastifyRequest, reply: FastifyReply, bindings: Record<string, string>): void {
  const log: FastifyRequest['log'] & { setBindings?: (more: Record<string, string>) => void } = request.log;
  if (log.setBindings && reply.log === log) {
    log.setBindings(bindings);
    return;
  }
  request.log = log.child(bindings);
  reply.log = request.log;
}

const OFF: RequestSpans = {
  parentOf: () => ROOT_CONTEXT,
  authenticated: (request, reply, tenantId) => bindLog(request, reply, { tenantId }),
  failed: () => undefined,
};

/**
 * A SERVER span per HTTP request (ADR 0011), a child of the caller's `traceparent` when it sends
 * one; named by the route pattern, never the raw URL (ids, query strings). Its ids go on the
 * request's log lines.
 */
export function traceRequests(app: App, tracing: Tracing): RequestSpans {
  if (!tracing.enabled) return OFF;
  const spans = new WeakMap<FastifyRequest, Span>();
  const end = (request: FastifyRequest, status: number | null) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    if (status === null) span.setAttribute('shoal.http.aborted', true);
    else span.setAttribute('http.response.status_code', status);
    if (status !== null && status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    const span = tracing.tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          ...(route ? { 'http.route': route } : {}),
          'shoal.request_id': request.id,
        },
      },
      contextFromHeaders(request.headers),
    );
    spans.set(request, span);
    bindLog(request, reply, logIdsOf(span));
  });
  app.addHook('onResponse', async (request, reply) => end(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => end(request, null));
  return {
    parentOf: (request) => {
      const span = spans.get(request);
      return span ? contextWithSpan(span) : ROOT_CONTEXT;
    },
    authenticated: (request, reply, tenantId) => {
      spans.get(request)?.setAttribute('shoal.tenant_id', tenantId);
      OFF.authenticated(request, reply, tenantId);
    },
    failed: (request, code, status) => {
      const span = spans.get(request);
      span?.setAttribute('shoal.error.code', code);
      if (status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR, message: code });
    },
  };
}
