import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger.ts';
import { createTenantLabeller, OTHER_TENANT, type TenantLabeller } from './tenant-labels.ts';

/** How a step attempt ended, as `shoal_step_*` label it. */
export const STEP_OUTCOMES = ['succeeded', 'failed', 'retried'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** How a gateway call ended (`shoal_gateway_requests_total{outcome}`). */
export const GATEWAY_OUTCOMES = ['succeeded', 'failed', 'refused', 'cache_hit'] as const;

/** A gateway call record, as metrics read it: the same record the ledger is fed from. */
export interface LlmCallSample {
  tenantId: string;
  provider: string | null;
  model: string | null;
  outcome: 'succeeded' | 'failed' | 'refused';
  cacheHit: boolean;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costMicroUsd: number;
  latencyMs: number;
  attempts: readonly { provider: string; model: string; outcome: string }[];
}

/** What the engine and the audit log note in a transaction (db's `noteCommitEvent`), once committed. */
export type CommittedEvent =
  | { type: 'run.started'; tenantId: string; workflow: string }
  | { type: 'run.finished'; tenantId: string; workflow: string; state: string }
  | { type: 'audit.appended'; tenantId: string; action: string };

/** Figures read at each scrape, set by the composition root (from the database, the escrow). */
export interface MetricSources {
  queue?: () => Promise<readonly { tenantId: string; pool: string; queued: number; running: number }[]>;
  pools?: () => Promise<readonly { pool: string; liveWorkers: number }[]>;
  budgets?: () => Promise<
    readonly { tenantId: string; budgetId: string; spentMicroUsd: number; limitMicroUsd: number }[]
  >;
  reservationsOpen?: () => number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly tenants: TenantLabeller;
  /** The exposition text; folding is rebalanced and scrape-time figures read first. */
  scrape(): Promise<{ contentType: string; body: string }>;
  setSources(sources: MetricSources): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  stepAttempt(tenantId: string, stepType: string, outcome: StepOutcome, seconds: number | null): void;
  queueWait(tenantId: string, pool: string, seconds: number): void;
  llmCall(call: LlmCallSample): void;
  auditVerifyFailed(tenantId: string): void;
  /** Events of a committed transaction (db's `observeCommits`); unknown types are ignored. */
  committed(events: readonly { readonly type: string; readonly [field: string]: unknown }[]): void;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const NONE = 'none';

/**
 * One registry of every Shoal metric per process (the table in docs/adr/0010-metrics-cardinality.md),
 * made by the composition root and handed to the layers that count. Tenant labels go through the labeller.
 */
export function createMetrics(options: {
  maxTenants: number;
  logger?: Logger;
  defaultMetrics?: boolean;
}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'shoal_' });
  const tenants = createTenantLabeller({ maxTenants: options.maxTenants });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets = SECONDS_BUCKETS,
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });

  const httpRequests = counter('shoal_http_requests_total', 'HTTP requests answered', [
    'method',
    'route',
    'status',
  ]);
  const httpDuration = histogram(
    'shoal_http_request_duration_seconds',
    'Time to answer an HTTP request',
    ['method', 'route'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  const runsStarted = counter('shoal_runs_started_total', 'Runs created or retried (committed)', [
    'tenant',
    'workflow',
  ]);
  const runsFinished = counter('shoal_runs_finished_total', 'Runs that reached a final state', [
    'tenant',
    'workflow',
    'state',
  ]);
  const stepDuration = histogram('shoal_step_duration_seconds', 'Time a step executor ran per attempt', [
    'step_type',
    'outcome',
  ]);
  const stepAttempts = counter('shoal_step_attempts_total', 'Step attempts that ended', [
    'tenant',
    'step_type',
    'outcome',
  ]);
  const queueDepth = gauge('shoal_queue_depth', 'Steps queued and not leased', ['tenant', 'pool']);
  const stepsRunning = gauge('shoal_steps_running', 'Steps leased by a worker', ['tenant', 'pool']);
  const queueWait = histogram('shoal_queue_wait_seconds', 'From a step being ready to its claim', [
    'tenant',
    'pool',
  ]);
  const poolLive = gauge('shoal_pool_live_workers', 'Workers of the pool seen within the liveness window', [
    'pool',
  ]);
  const gatewayRequests = counter('shoal_gateway_requests_total', 'LLM gateway calls recorded', [
    'tenant',
    'provider',
    'model',
    'outcome',
  ]);
  const gatewayTokens = counter('shoal_gateway_tokens_total', 'Tokens of succeeded gateway calls', [
    'tenant',
    'provider',
    'model',
    'kind',
  ]);
  const gatewayCost = counter(
    'shoal_gateway_cost_micro_usd_total',
    'Cost of succeeded gateway calls, micro-USD (as in the usage ledger)',
    ['tenant', 'provider', 'model'],
  );
  const gatewayCacheHits = counter(
    'shoal_gateway_cache_hits_total',
    'Gateway calls answered from the cache',
    ['tenant'],
  );
  const gatewayFallbacks = counter(
    'shoal_gateway_fallbacks_total',
    'Times a call moved on from this provider and model to another candidate',
    ['tenant', 'provider', 'model'],
  );
  const gatewayDuration = histogram(
    'shoal_gateway_request_duration_seconds',
    'Gateway call latency',
    ['provider', 'model'],
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  );
  const budgetUtilisation = gauge(
    'shoal_budget_utilisation_ratio',
    'Spent over limit of the current period (tenant="other": the highest of the folded tenants)',
    ['tenant', 'budget'],
  );
  const reservationsOpen = gauge(
    'shoal_budget_reservations_open',
    'Budget reservations this process holds',
    [],
  );
  const auditEvents = counter('shoal_audit_events_total', 'Audit events written (committed)', [
    'tenant',
    'action',
  ]);
  const auditVerifyFailures = counter(
    'shoal_audit_chain_verify_failures_total',
    'Audit chain verifications that found a broken link',
    ['tenant'],
  );
  const tenantsFolded = gauge(
    'shoal_metrics_tenants_folded',
    'Tenants currently summed into tenant="other"',
    [],
  );

  const httpSeries = new Map<
    string,
    { count: { inc(): void }; duration: { observe(value: number): void } }
  >();
  let sources: MetricSources = {};
  const log = (error: unknown, source: string) =>
    options.logger?.warn({ err: error, source }, 'a metrics source failed; its figures are stale');

  const readQueue = async () => {
    if (!sources.queue) return;
    const rows = await sources.queue();
    const queued = new Map<string, { tenant: string; pool: string; queued: number; running: number }>();
    for (const row of rows) {
      const tenant = tenants.peek(row.tenantId);
      const key = `${tenant}\u0000${row.pool}`;
      const sum = queued.get(key) ?? { tenant, pool: row.pool, queued: 0, running: 0 };
      sum.queued += row.queued;
      sum.running += row.running;
      queued.set(key, sum);
    }
    queueDepth.reset();
    stepsRunning.reset();
    for (const sum of queued.values()) {
      queueDepth.set({ tenant: sum.tenant, pool: sum.pool }, sum.queued);
      stepsRunning.set({ tenant: sum.tenant, pool: sum.pool }, sum.running);
    }
  };
  const readPools = async () => {
    if (!sources.pools) return;
    const rows = await sources.pools();
    poolLive.reset();
    for (const row of rows) poolLive.set({ pool: row.pool }, row.liveWorkers);
  };
  const readBudgets = async () => {
    if (!sources.budgets) return;
    const rows = await sources.budgets();
    budgetUtilisation.reset();
    let otherMax: number | null = null;
    for (const row of rows) {
      const ratio = row.limitMicroUsd > 0 ? row.spentMicroUsd / row.limitMicroUsd : 0;
      const tenant = tenants.peek(row.tenantId);
      if (tenant === OTHER_TENANT) otherMax = Math.max(otherMax ?? 0, ratio);
      else budgetUtilisation.set({ tenant, budget: row.budgetId }, ratio);
    }
    if (otherMax !== null) budgetUtilisation.set({ tenant: OTHER_TENANT, budget: OTHER_TENANT }, otherMax);
  };

  return {
    registry,
    tenants,
    setSources(next) {
      sources = { ...sources, ...next };
    },
    async scrape() {
      tenants.rebalance();
      const reads: [string, () => Promise<void>][] = [
        ['queue', readQueue],
        ['pools', readPools],
        ['budgets', readBudgets],
      ];
      await Promise.all(reads.map(([name, read]) => read().catch((error: unknown) => log(error, name))));
      if (sources.reservationsOpen) reservationsOpen.set(sources.reservationsOpen());
      tenantsFolded.set(tenants.folded());
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    httpRequest(method, route, status, seconds) {
      // Bound series per method, route and status: no label object built per request.
      const key = `${method} ${status} ${route}`;
      let bound = httpSeries.get(key);
      if (!bound) {
        bound = {
          count: httpRequests.labels({ method, route, status: String(status) }),
          duration: httpDuration.labels({ method, route }),
        };
        httpSeries.set(key, bound);
      }
      bound.count.inc();
      bound.duration.observe(seconds);
    },
    stepAttempt(tenantId, stepType, outcome, seconds) {
      stepAttempts.inc({ tenant: tenants.label(tenantId), step_type: stepType, outcome });
      if (seconds !== null) stepDuration.observe({ step_type: stepType, outcome }, seconds);
    },
    queueWait(tenantId, pool, seconds) {
      queueWait.observe({ tenant: tenants.label(tenantId), pool }, Math.max(0, seconds));
    },
    llmCall(call) {
      const tenant = tenants.label(call.tenantId);
      const provider = call.provider ?? NONE;
      const model = call.model ?? NONE;
      const outcome = call.cacheHit && call.outcome === 'succeeded' ? 'cache_hit' : call.outcome;
      gatewayRequests.inc({ tenant, provider, model, outcome });
      gatewayDuration.observe({ provider, model }, call.latencyMs / 1000);
      if (call.cacheHit) gatewayCacheHits.inc({ tenant });
      // Only succeeded calls are in the ledger (migration 0010), so only they count tokens and cost.
      if (call.outcome === 'succeeded') {
        if (call.tokensIn > 0) gatewayTokens.inc({ tenant, provider, model, kind: 'in' }, call.tokensIn);
        if (call.tokensOut > 0) gatewayTokens.inc({ tenant, provider, model, kind: 'out' }, call.tokensOut);
        if (call.tokensCached > 0)
          gatewayTokens.inc({ tenant, provider, model, kind: 'cached' }, call.tokensCached);
        if (call.costMicroUsd > 0) gatewayCost.inc({ tenant, provider, model }, call.costMicroUsd);
      }
      // A fallback: an attempt followed by one on another candidate (a Retry-After retry is not).
      for (let i = 0; i + 1 < call.attempts.length; i += 1) {
        const from = call.attempts[i];
        const to = call.attempts[i + 1];
        if (from && to && (from.provider !== to.provider || from.model !== to.model))
          gatewayFallbacks.inc({ tenant, provider: from.provider, model: from.model });
      }
    },
    auditVerifyFailed(tenantId) {
      auditVerifyFailures.inc({ tenant: tenants.label(tenantId) });
    },
    committed(events) {
      for (const event of events as readonly CommittedEvent[]) {
        switch (event.type) {
          case 'run.started': {
            const tenant = tenants.label(event.tenantId);
            runsStarted.inc({ tenant, workflow: tenant === OTHER_TENANT ? OTHER_TENANT : event.workflow });
            break;
          }
          case 'run.finished': {
            const tenant = tenants.label(event.tenantId);
            const workflow = tenant === OTHER_TENANT ? OTHER_TENANT : event.workflow;
            runsFinished.inc({ tenant, workflow, state: event.state });
            break;
          }
          case 'audit.appended':
            auditEvents.inc({ tenant: tenants.label(event.tenantId), action: event.action });
            break;
          default:
            break;
        }
      }
    },
  };
}
