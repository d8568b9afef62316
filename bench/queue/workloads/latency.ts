import { onFreshInstance, waitFor, type Measured } from '../harness.ts';
import { quantile } from '../stats.ts';
import { sleep, type QueueSystem } from '../system.ts';

export interface LatencyMetrics {
  jobs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * W3 latency: `jobs` no-op jobs one at a time (enqueue one, wait until its handler returned,
 * enqueue the next). Enqueue-to-start: from the enqueue call's return (committed) to the
 * handler's first line, on this process's clock.
 */
export function latency(
  baseUrl: string,
  system: QueueSystem,
  jobs: number,
  capMs: number,
): Promise<Measured<LatencyMetrics>> {
  return onFreshInstance(baseUrl, system, [{ name: 't0', weight: 1 }], async (instance, ledger) => {
    await instance.start();
    await sleep(1000); // the worker's loops and listeners are up
    const deadline = performance.now() + capMs;
    let timedOut = false;
    for (let i = 0; i < jobs && !timedOut; i += 1) {
      const id = await instance.enqueue({ tenant: 't0', sleepMs: 0 });
      ledger.enqueued(id, 't0', performance.now());
      let ended = false;
      void ledger.whenEnded(id).then(() => (ended = true));
      timedOut = !(await waitFor(() => ended, deadline, 1));
    }
    const { ms } = ledger.latencies(() => true, performance.now());
    return {
      metrics: {
        jobs: ms.length,
        p50Ms: round(quantile(ms, 0.5)),
        p99Ms: round(quantile(ms, 0.99)),
        maxMs: round(Math.max(...ms)),
      },
      timedOut,
    };
  });
}

const round = (x: number) => Math.round(x * 10) / 10;
