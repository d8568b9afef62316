import type { Database } from '../../db/index.ts';
import type { Logger, Tracing } from '../../observability/index.ts';
import { findDueSchedules, fireSchedule, type FireResult } from './fire-schedule.ts';

export interface SchedulerDeps {
  db: Database;
  logger: Logger;
  /** A run a schedule fires starts a trace of its own (ADR 0011); off when absent. */
  tracing?: Tracing;
  /** The clock; tests move it by hand. */
  now?: () => Date;
}

export interface SchedulerOptions {
  /** Time between passes. */
  intervalMs: number;
  /** Most schedules one pass looks at. */
  batchSize: number;
}

export interface Scheduler {
  /** One pass: fires every schedule due now; resolves to what it fired. */
  tick(): Promise<FireResult[]>;
  /** Stops the loop and waits for the current pass. */
  stop(): Promise<void>;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = Object.freeze({
  intervalMs: 1_000,
  batchSize: 100,
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * One pass of the schedule loop: due schedules are listed across tenants, then each is fired in
 * its tenant's transaction (fireSchedule locks and re-checks it, so passes of any number of
 * processes may overlap). Candidates are shuffled so concurrent schedulers spread out.
 */
export async function runSchedulerPass(
  deps: SchedulerDeps,
  options: Pick<SchedulerOptions, 'batchSize'> = DEFAULT_SCHEDULER_OPTIONS,
): Promise<FireResult[]> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.systemTx((sys) => findDueSchedules(sys, now, options.batchSize));
  const results: FireResult[] = [];
  for (const candidate of shuffle(due)) {
    try {
      const fired = await deps.db.tenantTx(candidate.tenantId, (tx) =>
        fireSchedule(tx, candidate.tenantId, candidate.id, now, () => deps.tracing?.reserveRoot() ?? null),
      );
      if (!fired) continue;
      results.push(fired);
      for (const fire of fired.fires) {
        if (fire.error)
          deps.logger.warn(
            { scheduleId: fired.scheduleId, fireAt: fire.fireAt, err: fire.error },
            'schedule fire did not start a run',
          );
      }
      if (fired.dropped > 0)
        deps.logger.info(
          { scheduleId: fired.scheduleId, dropped: fired.dropped },
          'missed schedule fires dropped by the catch-up policy',
        );
    } catch (error) {
      deps.logger.error({ err: error, scheduleId: candidate.id }, 'firing a schedule failed');
    }
  }
  return results;
}

/** Starts the schedule loop of a worker process (every worker runs one; ADR 0004). */
export function startScheduler(
  deps: SchedulerDeps,
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
): Scheduler {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const pass = current.then(() => runSchedulerPass(deps, options));
    current = pass.catch(() => undefined);
    return pass;
  };
  const loop = () => {
    if (stopped) return;
    tick()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'scheduler pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.intervalMs);
      });
  };
  timer = setTimeout(loop, 0);
  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
