import type { Database, Queryable, Row } from '../db/index.ts';
import {
  contextWithSpan,
  logIdsOf,
  TRACING_OFF,
  type Logger,
  type Metrics,
  type StepOutcome,
  type Tracing,
} from '../observability/index.ts';
import { coerceStepError, StepError, type StepExecutor, type StepResult } from '../steps/index.ts';
import { isTruthy, nestedStepFieldsOf, parseDuration, resolveTemplate } from '../workflows/index.ts';
import { claimReadiedStep, claimSteps, heartbeat, toClaim, type Claim } from './claim.ts';
import type { ChainedRow, ChainRequest } from './settle-dependants.ts';
import { completeStep, skipStep } from './complete-step.ts';
import { STEP_READY_CHANNEL } from './enqueue.ts';
import { failStep } from './fail-step.ts';
import { findDueWaits, parkStep, wakeDueStep } from './park-step.ts';
import { retryPolicyOf } from './plan-run.ts';
import { reapExpiredLeases } from './reap-leases.ts';
import { NO_RETRY } from './retry-schedule.ts';
import { findOverdueRuns, timeOutRun } from './run-deadlines.ts';
import { createDefinitionCache } from './definition-cache.ts';
import { attemptIdempotencyKey, loadStep, toLoadedStep, type LoadedStep } from './step-context.ts';
import { endAttemptSpan, startAttemptSpan, type AttemptOutcome } from './attempt-span.ts';
import { emitEndedRunSpans } from './run-spans.ts';
import { sweepTasks } from './tasks/sweep-tasks.ts';
import { measureTenantCosts } from './tenant-costs.ts';
import { announceWorker, retireWorker } from './worker-registry.ts';

export interface WorkerOptions {
  pool: string;
  workerId: string;
  /** Steps this process runs at once. */
  concurrency: number;
  leaseMs: number;
  /** Safety-net polling when no notification arrives. */
  pollMs: number;
  /** How often expired leases are reaped and due sleeps woken. */
  maintenanceMs: number;
}

export interface WorkerDeps {
  db: Database;
  logger: Logger;
  executors: ReadonlyMap<string, StepExecutor>;
  /** Spans of step attempts and of finished runs (ADR 0011); off when absent. */
  tracing?: Tracing;
  /** Counts attempts, their durations and queue waits (shoal_step_*, shoal_queue_wait_seconds). */
  metrics?: Metrics;
}

/** The attempt outcomes step metrics count; skipped, parked and lost attempts ran nothing to count. */
const METRIC_OUTCOMES: Partial<Record<AttemptOutcome, StepOutcome>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  retrying: 'retried',
};

export interface Worker {
  /** Stops claiming, waits for running attempts, stops listening. */
  stop(): Promise<void>;
}

const WAKE_CONCURRENCY = 4;

/** The next attempt a slot runs, claimed (and loaded, if `loaded` is set) by the previous one. */
interface Chained {
  claim: Claim;
  loaded: LoadedStep | null | undefined;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const isLeaseLost = (error: unknown) => (error as { code?: unknown }).code === 'LEASE_LOST';

/**
 * A worker process's loop: claims steps of its pool up to its concurrency, runs each attempt
 * with heartbeats, records the outcome fenced by the attempt, and does maintenance.
 */
export async function startWorker(deps: WorkerDeps, options: WorkerOptions): Promise<Worker> {
  const { db, logger } = deps;
  const tracing = deps.tracing ?? TRACING_OFF;
  const inFlight = new Set<Promise<void>>();
  let running = true;
  let wake: () => void = () => undefined;
  // A poke while a claim is in flight must not be lost: the loop looks again before it sleeps.
  let poked = false;
  const poke = () => {
    poked = true;
    wake();
  };
  const unlisten = await db.listen(STEP_READY_CHANNEL, (pool) => {
    if (pool === options.pool) poke();
  });
  const settle = { pool: options.pool };
  // Claims and heartbeats are single statements: atomic without BEGIN and COMMIT round trips.
  const autocommit: Queryable = {
    query: <R extends Row>(text: string, params?: readonly unknown[]) => db.systemQuery<R>(text, params),
  };
  const definitions = createDefinitionCache();

  /**
   * In the transaction that finished a step: claim one of the steps it made ready and load it,
   * so this slot goes on with the run without a claim round trip or a wake-up (ARCHITECTURE.md,
   * "Chaining"). The others stay queued for any worker.
   */
  const chainNext = async (
    tx: Queryable,
    claim: Claim,
    readied: readonly string[],
  ): Promise<Chained | null> => {
    if (!running || readied.length === 0) return null;
    // Readied steps are steps of the workflow (keys are ids): what any of them reads is loaded.
    const version = {
      tenantId: claim.tenantId,
      workflowId: claim.workflowId,
      version: claim.workflowVersion,
    };
    const candidates = await Promise.all(readied.map((key) => definitions.step(tx, version, key)));
    const reads = candidates.some((c) => !c || c.reads === null)
      ? null
      : [...new Set(candidates.flatMap((c) => c?.reads ?? []))];
    const next = await claimReadiedStep(
      tx,
      { pool: options.pool, workerId: options.workerId, leaseMs: options.leaseMs },
      { tenantId: claim.tenantId, runId: claim.runId, stepKeys: readied, reads },
    );
    if (!next) return null;
    const cached = candidates[readied.indexOf(next.claim.stepKey)];
    return { claim: next.claim, loaded: cached ? toLoadedStep(cached, next.claim, next.context) : null };
  };

  /** The step this slot would go on with after `claim`: its first dependant, if it becomes ready. */
  const chainFor = async (tx: Queryable, claim: Claim): Promise<ChainRequest | undefined> => {
    if (!running || claim.parentKey !== null) return undefined;
    const version = {
      tenantId: claim.tenantId,
      workflowId: claim.workflowId,
      version: claim.workflowVersion,
    };
    const key = (await definitions.step(tx, version, claim.stepId))?.dependants[0];
    const next = key === undefined ? null : await definitions.step(tx, version, key);
    if (!key || !next) return undefined;
    return {
      after: claim.stepId,
      key,
      workerId: options.workerId,
      leaseMs: options.leaseMs,
      reads: next.reads,
    };
  };

  /** After a completion: the step its statement claimed for this slot, or one claimed now. */
  const continueWith = async (
    tx: Queryable,
    claim: Claim,
    done: { readied: readonly string[]; chained: ChainedRow | null },
    chain: ChainRequest | undefined,
  ): Promise<Chained | null> => {
    if (!done.chained || !chain) return chainNext(tx, claim, done.readied);
    // A chained row is of the same run: its trace context is the run's.
    const next = { ...toClaim(done.chained, options.workerId), traceContext: claim.traceContext };
    const cached = await definitions.step(
      tx,
      { tenantId: claim.tenantId, workflowId: claim.workflowId, version: claim.workflowVersion },
      chain.key,
    );
    const context = { input: done.chained.input, item: null, itemIndex: null, steps: done.chained.steps };
    return { claim: next, loaded: cached ? toLoadedStep(cached, next, context) : null };
  };

  const runAttempt = async (claim: Claim, preloaded?: LoadedStep | null): Promise<Chained | null> => {
    const span = startAttemptSpan(tracing, claim);
    if (claim.readyAt)
      deps.metrics?.queueWait(claim.tenantId, options.pool, (Date.now() - claim.readyAt.getTime()) / 1000);
    let outcome: AttemptOutcome = 'failed';
    let errorCode: string | null = null;
    const log = logger.child({
      tenantId: claim.tenantId,
      runId: claim.runId,
      stepKey: claim.stepKey,
      attempt: claim.attempt,
      ...logIdsOf(span),
    });
    const controller = new AbortController();
    const beat = setInterval(
      () => {
        heartbeat(autocommit, claim, options.leaseMs)
          .then((held) => {
            if (!held)
              controller.abort(new StepError('LEASE_LOST', 'The lease on this step was lost', false));
          })
          .catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'));
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    let timeout: NodeJS.Timeout | undefined;
    let policy = NO_RETRY;
    let workMs: number | undefined;
    try {
      const loaded =
        preloaded === undefined
          ? await db.tenantTx(claim.tenantId, (tx) => loadStep(tx, claim, definitions))
          : preloaded;
      if (!loaded)
        throw new StepError(
          'STEP_DEFINITION_MISSING',
          `Step ${claim.stepId} is not in the run's workflow version`,
          false,
        );
      policy = retryPolicyOf(loaded.definition);
      const { definition, expressionContext } = loaded;
      if (definition.when !== undefined && !isTruthy(await evaluate(definition.when, expressionContext))) {
        outcome = 'skipped';
        return await db.tenantTx(claim.tenantId, async (tx) => {
          const chain = await chainFor(tx, claim);
          return continueWith(tx, claim, await skipStep(tx, claim, { ...settle, chain }), chain);
        });
      }
      const input = await evaluateWith(
        definition.with,
        expressionContext,
        nestedStepFieldsOf(claim.stepType),
      );
      const executor = deps.executors.get(claim.stepType);
      if (!executor)
        throw new StepError(
          'STEP_TYPE_UNSUPPORTED',
          `No executor for step type ${claim.stepType} on this worker`,
          false,
        );
      const timeoutMs = definition.timeout ? parseDuration(definition.timeout) : null;
      if (timeoutMs) {
        timeout = setTimeout(
          () =>
            controller.abort(
              new StepError('STEP_TIMEOUT', `The step took longer than ${definition.timeout}`, true),
            ),
          timeoutMs,
        );
      }
      const began = performance.now();
      let result: StepResult;
      try {
        result = await executor.execute({
          tenantId: claim.tenantId,
          runId: claim.runId,
          stepKey: claim.stepKey,
          stepId: claim.stepId,
          attempt: claim.attempt,
          idempotencyKey: attemptIdempotencyKey(claim),
          input,
          signal: controller.signal,
          logger: log,
          trace: contextWithSpan(span),
        });
      } finally {
        workMs = performance.now() - began;
      }
      if (controller.signal.aborted) throw controller.signal.reason;
      outcome = result.kind === 'waiting' ? 'waiting' : 'succeeded';
      return await db.tenantTx(claim.tenantId, async (tx) => {
        if (result.kind === 'waiting') {
          const wait = {
            reason: result.reason,
            wakeAt: waitDeadline(result, timeoutMs),
            input,
            // A child run's span goes under this attempt's (ADR 0011).
            trace: result.reason === 'workflow' ? tracing.reserveChild(contextWithSpan(span)) : null,
          };
          await parkStep(tx, claim, wait, settle);
          return null;
        }
        const chain = await chainFor(tx, claim);
        const done = await completeStep(tx, claim, result.output, {
          ...settle,
          skip: result.skip,
          chain,
          workMs,
        });
        return continueWith(tx, claim, done, chain);
      });
    } catch (error) {
      if (isLeaseLost(error)) {
        outcome = 'lease_lost';
        log.info('attempt lost its lease');
        return null;
      }
      const failure = coerceStepError(controller.signal.aborted ? controller.signal.reason : error);
      outcome = 'failed';
      errorCode = failure.code;
      const recorded = await db
        .tenantTx(claim.tenantId, (tx) =>
          failStep(
            tx,
            claim,
            { code: failure.code, message: failure.message, retryable: failure.retryable, workMs },
            policy,
          ),
        )
        .catch((recordError: unknown) => {
          if (!isLeaseLost(recordError)) log.error({ err: recordError }, 'could not record a failure');
          return null;
        });
      // A retry is queued for later: look again when its backoff ends, not at the next poll.
      if (recorded?.outcome === 'retrying') {
        outcome = 'retrying';
        wakeAfter(recorded.delayMs);
      }
      return null;
    } finally {
      clearInterval(beat);
      if (timeout) clearTimeout(timeout);
      endAttemptSpan(span, outcome, errorCode);
      const counted = METRIC_OUTCOMES[outcome];
      if (counted)
        deps.metrics?.stepAttempt(
          claim.tenantId,
          claim.stepType,
          counted,
          workMs === undefined ? null : workMs / 1000,
        );
    }
  };

  /** A worker slot: one attempt, then the ones the run chains to it, until the chain ends. */
  const runSlot = async (first: Claim): Promise<void> => {
    let next: Chained | null = { claim: first, loaded: undefined };
    while (next) next = await runAttempt(next.claim, next.loaded);
  };

  const timers = new Set<NodeJS.Timeout>();
  const wakeAfter = (ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      poke();
    }, ms + 5);
    timers.add(timer);
  };

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => {
      inFlight.delete(work);
      poke();
    });
  };

  const claimLoop = async () => {
    while (running) {
      poked = false;
      // One statement fills every free slot; slots freed while it ran are filled by the next.
      while (running && inFlight.size < options.concurrency) {
        const claims = await claimSteps(autocommit, {
          pool: options.pool,
          workerId: options.workerId,
          leaseMs: options.leaseMs,
          limit: options.concurrency - inFlight.size,
        }).catch((error: unknown) => {
          logger.error({ err: error }, 'claim failed');
          return [];
        });
        if (claims.length === 0) break;
        for (const claim of claims) track(runSlot(claim));
      }
      if (!running) break;
      if (poked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  const wakeSleep = (step: { tenantId: string; runId: string; stepKey: string }) =>
    db.tenantTx(step.tenantId, (tx) => wakeDueStep(tx, step, settle));

  const identity = { workerId: options.workerId, pool: options.pool, concurrency: options.concurrency };
  const maintain = async () => {
    await db.systemTx((sys) => announceWorker(sys, identity));
    await db.systemTx((sys) => reapExpiredLeases(sys));
    await db.systemTx((sys) => measureTenantCosts(sys));
    await sweepTasks(db, settle);
    if (tracing.enabled) await db.systemTx((sys) => emitEndedRunSpans(sys, tracing));
    for (const run of shuffle(await db.systemTx((sys) => findOverdueRuns(sys))))
      await db.tenantTx(run.tenantId, (tx) => timeOutRun(tx, run));
    // Every worker sees the same due sleeps: each walks them in its own random order, a few at
    // a time, so they share the work instead of queueing on the same run locks.
    const due = shuffle(await db.systemTx((sys) => findDueWaits(sys)));
    await Promise.all(
      Array.from({ length: WAKE_CONCURRENCY }, async () => {
        for (let step = due.pop(); step; step = due.pop()) await wakeSleep(step);
      }),
    );
  };
  let maintaining = false;
  const maintenance = setInterval(() => {
    if (maintaining) return;
    maintaining = true;
    maintain()
      .catch((error: unknown) => logger.error({ err: error }, 'maintenance failed'))
      .finally(() => {
        maintaining = false;
      });
  }, options.maintenanceMs);

  await db.systemTx((sys) => announceWorker(sys, identity));
  // Each slot's attempt takes a tenant connection; the claim, heartbeats and maintenance share
  // the system pool. Opened before the first claim and kept through quiet spells, so no step
  // waits for a new session (ARCHITECTURE.md, "The worker loop"). Not fatal: a claim against a
  // database that is down fails and is retried like any other.
  await db
    .keepWarm({ tenant: options.concurrency, system: 2 })
    .catch((error: unknown) => logger.warn({ err: error }, 'could not open the worker connections ahead'));
  const loop = claimLoop();
  return {
    async stop() {
      running = false;
      clearInterval(maintenance);
      for (const timer of timers) clearTimeout(timer);
      poke();
      await loop;
      await Promise.all(inFlight);
      await unlisten();
      await db
        .systemTx((sys) => retireWorker(sys, options.workerId))
        .catch((error: unknown) => logger.warn({ err: error }, 'could not retire the worker row'));
    },
  };
}

/** A child run or a map's items are waited for no longer than the step's `timeout`. */
function waitDeadline(
  result: { reason: string; wakeAt: Date | null },
  timeoutMs: number | null,
): Date | null {
  if (result.wakeAt || !timeoutMs || (result.reason !== 'workflow' && result.reason !== 'map'))
    return result.wakeAt;
  return new Date(Date.now() + timeoutMs);
}

/** Evaluates a step's `with`, leaving nested steps (map's `step`) for each item to evaluate. */
async function evaluateWith(
  value: unknown,
  context: Record<string, unknown>,
  nested: readonly string[],
): Promise<unknown> {
  if (nested.length === 0 || typeof value !== 'object' || value === null) return evaluate(value, context);
  const fields = value as Record<string, unknown>;
  const later = Object.fromEntries(nested.filter((f) => f in fields).map((f) => [f, fields[f]]));
  const now = Object.fromEntries(Object.entries(fields).filter(([f]) => !nested.includes(f)));
  return { ...((await evaluate(now, context)) as Record<string, unknown>), ...later };
}

function evaluate(value: unknown, context: Record<string, unknown>): Promise<unknown> {
  return resolveTemplate(value, context).catch((error: unknown) => {
    throw new StepError('EXPRESSION_FAILED', `An expression failed: ${(error as Error).message}`, false, {
      cause: error,
    });
  });
}
