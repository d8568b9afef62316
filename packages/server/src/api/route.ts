import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Database, Queryable } from '../db/index.ts';
import type { Gateway } from '../gateway/index.ts';
import type { TaskSignals } from '../engine/index.ts';
import type { Action, Principal, RequestMeta } from '../identity/index.ts';
import type { Logger, Metrics, SpanParent, Tracing } from '../observability/index.ts';
import type { OperatorChange } from '../scheduling/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import type { StepTypeRegistry } from '../workflows/index.ts';
import type { ApiKeyCache } from './api-key-cache.ts';
import type { RateLimiter } from './rate-limiter.ts';

export const HTTP_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Everything a route needs, built once by the composition root. */
export interface ApiDeps {
  config: Config;
  db: Database;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** Step types workflow definitions are validated against; the built-in ones when absent. */
  stepTypes?: StepTypeRegistry;
  /** Seals tenant secrets (webhook secrets); absent without a master key (SECRETS_UNAVAILABLE). */
  secrets?: SecretBox;
  /** The LLM gateway (chat completions, embeddings); routes that change what it caches call `invalidate`. */
  gateway?: Gateway;
  /** This process's budget escrow; budget routes call `invalidate` after they commit (ADR 0007). */
  budgets?: { invalidate(tenantId: string): void };
  /** This process's metrics: served at /metrics, counted by the request hook and some routes. */
  metrics?: Metrics;
  /** This process's tracer: a span per request, the run's place in it (ADR 0011); off when absent. */
  tracing?: Tracing;
  /** The clock of signature checks and triggers; tests move it. */
  now?: () => Date;
  /** Wakes task-queue long-polls; the server makes its own when absent. */
  taskSignals?: TaskSignals;
}

/** What routes see: the deps with everything the server fills in. */
export type RouteDeps = ApiDeps & { taskSignals: TaskSignals; apiKeys: ApiKeyCache };

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

export interface AuditNote {
  target: { type: string; id: string } | null;
  details?: Record<string, unknown>;
}

export interface RouteResult {
  body?: unknown;
  /** Required on every mutating tenant route: the framework appends it in the same transaction. */
  audit?: AuditNote;
  /** Headers such as Set-Cookie. */
  headers?: Record<string, string | string[]>;
  /** Another success status than the route's usual one (an idempotent replay answers 200). */
  status?: number;
  /** The handler wrote the response itself (`reply.hijack()`, a server-sent event stream). */
  hijacked?: boolean;
  /**
   * Runs once the route's transaction committed: dropping what a process cached of what the
   * route changed (inside the transaction, a concurrent reader could cache the old rows again).
   */
  afterCommit?: () => void;
}

export interface PublicContext {
  deps: RouteDeps;
  meta: RequestMeta;
  userAgent: string | null;
  reply: FastifyReply;
  /** The body's bytes as received, on routes that ask for them (`rawBody: true`). */
  rawBody?: Buffer;
  /** The request's span, the parent of what the route starts (ADR 0011). */
  trace?: SpanParent;
}

export interface TenantContext extends PublicContext {
  tx: Queryable;
  principal: Principal;
}

/**
 * What a direct tenant route sees: the caller, but no transaction — its handler opens the short
 * transactions it needs, so none is held across a slow upstream call (the LLM gateway's routes).
 */
export interface DirectContext extends PublicContext {
  principal: Principal;
  /** Aborted when the client goes away before the response ended. */
  signal: AbortSignal;
}

/** What operator routes see: a system-role transaction and who to name in tenants' audit chains. */
export interface OperatorContext extends PublicContext {
  sys: Queryable;
  change: OperatorChange;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteBase<B, Q, P> {
  method: HttpMethod;
  url: string;
  /** Stable name of the operation in OpenAPI and the SDK. */
  operationId: string;
  summary: string;
  tag: string;
  description?: string;
  body?: B;
  query?: Q;
  params?: P;
  success: { status: number; schema: Schema | null; description: string };
  /** Keep the request body's bytes as received (for signatures), as `ctx.rawBody`. */
  rawBody?: boolean;
  /** Errors particular to this route, documented in OpenAPI next to the ones every route has. */
  errors?: readonly { status: number; description: string }[];
  /**
   * Why this state-changing route writes no audit event: only lease traffic of external workers
   * (task polls and heartbeats), recorded on its own rows and too frequent for the audit log.
   */
  unaudited?: string;
}

/** Something a long-poll waits for, watched from before its first try so nothing is missed. */
export interface LongPollWatch {
  /** Resolves when another try may find something; false when the poll should stop waiting. */
  next(ms: number, signal: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * A long-polling route: a handler answering 204 found nothing yet. The server then waits,
 * holding no transaction, for `watch` or the wait to end and tries again in a new transaction.
 */
export interface LongPoll<I> {
  waitMs(input: I): number;
  watch(ctx: { deps: RouteDeps; principal: Principal }, input: I): Promise<LongPollWatch>;
}

export interface TenantRoute<B = unknown, Q = unknown, P = unknown> extends RouteBase<B, Q, P> {
  auth: Action;
  handler(ctx: TenantContext, input: RouteInput<Out<B>, Out<Q>, Out<P>>): Promise<RouteResult>;
  longPoll?: LongPoll<RouteInput<Out<B>, Out<Q>, Out<P>>>;
}

/** A tenant route without the framework's transaction (see DirectContext); never audited per call. */
export interface DirectTenantRoute<B = unknown, Q = unknown, P = unknown> extends RouteBase<B, Q, P> {
  auth: Action;
  direct: true;
  unaudited: string;
  handler(ctx: DirectContext, input: RouteInput<Out<B>, Out<Q>, Out<P>>): Promise<RouteResult>;
}

export interface PublicRoute<B = unknown, Q = unknown, P = unknown> extends RouteBase<B, Q, P> {
  auth: 'public';
  handler(ctx: PublicContext, input: RouteInput<Out<B>, Out<Q>, Out<P>>): Promise<RouteResult>;
}

/**
 * A platform operator's route (`/v1/operator/…`), authenticated by SHOAL_OPERATOR_TOKEN and run
 * in a system-role transaction. Its changes are audited by the handler, in the chain of each
 * tenant they affect (a plan change in every tenant on the plan), not by the framework.
 */
export interface OperatorRoute<B = unknown, Q = unknown, P = unknown> extends RouteBase<B, Q, P> {
  auth: 'operator';
  handler(ctx: OperatorContext, input: RouteInput<Out<B>, Out<Q>, Out<P>>): Promise<RouteResult>;
}

export type AnyTenantRoute = TenantRoute<Schema | undefined, Schema | undefined, Schema | undefined>;
export type AnyOperatorRoute = OperatorRoute<Schema | undefined, Schema | undefined, Schema | undefined>;
export type AnyDirectRoute = DirectTenantRoute<Schema | undefined, Schema | undefined, Schema | undefined>;
export type AnyRoute =
  | TenantRoute<Schema | undefined, Schema | undefined, Schema | undefined>
  | AnyDirectRoute
  | PublicRoute<Schema | undefined, Schema | undefined, Schema | undefined>
  | AnyOperatorRoute;

export function tenantRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(route: TenantRoute<B, Q, P>): AnyRoute {
  return route as unknown as AnyRoute;
}

export function directTenantRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(route: Omit<DirectTenantRoute<B, Q, P>, 'direct'>): AnyRoute {
  return { ...route, direct: true } as unknown as AnyRoute;
}

export function publicRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(route: Omit<PublicRoute<B, Q, P>, 'auth'>): AnyRoute {
  return { ...route, auth: 'public' } as unknown as AnyRoute;
}

export function operatorRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(route: Omit<OperatorRoute<B, Q, P>, 'auth'>): AnyRoute {
  return { ...route, auth: 'operator' } as unknown as AnyRoute;
}

/** A route changes state unless it is a GET; every such tenant route is audited. */
export const isMutating = (route: AnyRoute): boolean => route.method !== 'GET';

/**
 * Mutating routes write one audit event per success, except lease traffic that says why not.
 * Operator routes audit in the affected tenants' chains themselves (see OperatorRoute).
 */
export const isAudited = (route: AnyRoute): boolean =>
  isMutating(route) && route.unaudited === undefined && route.auth !== 'operator';
