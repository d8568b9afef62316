import { onFreshInstance, waitFor, type Measured } from '../harness.ts';
import type { QueueSystem } from '../system.ts';

export interface DrainMetrics {
  jobs: number;
  elapsedMs: number;
  jobsPerSecond: number;
}

/**
 * W1 drain: `jobs` no-op jobs queued before the worker starts; the clock runs from starting the
 * worker until every handler has run and the system has recorded every job finished.
 */
export function drain(
  baseUrl: string,
  system: QueueSystem,
  jobs: number,
  capMs: number,
): Promise<Measured<DrainMetrics>> {
  return onFreshInstance(baseUrl, system, [{ name: 't0', weight: 1 }], async (instance, ledger) => {
    const ids = await instance.enqueueMany(
      Array.from({ length: jobs }, () => ({ tenant: 't0', sleepMs: 0 })),
    );
    for (const id of ids) ledger.queued(id, 't0');
    const started = performance.now();
    const deadline = started + capMs;
    await instance.start();
    const ran = await waitFor(() => ledger.startedCount() >= jobs, deadline);
    const recorded = ran && (await waitFor(async () => (await instance.remaining()) === 0, deadline, 20));
    const elapsedMs = performance.now() - started;
    return {
      metrics: {
        jobs,
        elapsedMs: Math.round(elapsedMs),
        jobsPerSecond: Math.round((ledger.startedCount() * 1000) / elapsedMs),
      },
      timedOut: !recorded,
    };
  });
}
