import { onFreshInstance, waitFor, type Measured } from '../harness.ts';
import { quantile } from '../stats.ts';
import { sleep, type QueueSystem, type TenantSpec } from '../system.ts';

export interface NoisyOptions {
  /** Tenant A's jobs, queued at t=0 (before the worker starts). */
  backlog: number;
  quietTenants: number;
  /** Jobs per second each quiet tenant sends. */
  rate: number;
  windowMs: number;
  sleepMs: number;
  /** After the window, how long to wait for quiet jobs still queued before cutting off. */
  graceMs: number;
}

export interface NoisyMetrics {
  quietJobs: number;
  quietP50Ms: number;
  quietP99Ms: number;
  /** Quiet jobs that had not started at the cut-off: their latency counts up to it (a lower bound). */
  quietCutOff: number;
  /** Handler starts of every tenant per second over the window. */
  jobsPerSecond: number;
  /** Tenant A's share of the window's starts. */
  noisyShare: number;
}

/**
 * W5 noisy neighbour: tenant A's backlog is queued at t=0, then the worker starts and each quiet
 * tenant sends `rate` jobs/s (fixed spacing, random phase) for the window. Every job sleeps
 * `sleepMs` in its handler.
 */
export function noisyNeighbour(
  baseUrl: string,
  system: QueueSystem,
  options: NoisyOptions,
): Promise<Measured<NoisyMetrics>> {
  const quiet = Array.from({ length: options.quietTenants }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
  const tenants: TenantSpec[] = [{ name: 'A', weight: 1 }, ...quiet.map((name) => ({ name, weight: 1 }))];
  return onFreshInstance(baseUrl, system, tenants, async (instance, ledger) => {
    const ids = await instance.enqueueMany(
      Array.from({ length: options.backlog }, () => ({ tenant: 'A', sleepMs: options.sleepMs })),
    );
    for (const id of ids) ledger.queued(id, 'A');
    // Shoal publishes each quiet tenant's workflow now, not inside the window at its first job.
    await instance.prepare?.(quiet.map((tenant) => ({ tenant, sleepMs: options.sleepMs })));
    await instance.start();
    const t0 = performance.now();
    const end = t0 + options.windowMs;
    const every = 1000 / options.rate;
    let sent = 0;
    let failures = 0;
    const senders = quiet.map(async (tenant) => {
      const inFlight: Promise<void>[] = [];
      await sleep(Math.random() * every);
      for (let next = performance.now(); next < end; next += every) {
        await sleep(Math.max(0, next - performance.now()));
        sent += 1;
        inFlight.push(
          instance.enqueue({ tenant, sleepMs: options.sleepMs }).then(
            (id) => ledger.enqueued(id, tenant, performance.now()),
            () => void (failures += 1),
          ),
        );
      }
      await Promise.all(inFlight);
    });
    await Promise.all(senders);
    const isQuiet = (tenant: string) => tenant !== 'A';
    const allQuietStarted = () => ledger.latencies(isQuiet, performance.now()).censored === 0;
    await waitFor(allQuietStarted, performance.now() + options.graceMs, 50);
    const cutoff = performance.now();
    const { ms, censored } = ledger.latencies(isQuiet, cutoff);
    const starts = ledger.startsByTenant(t0, end);
    const total = [...starts.values()].reduce((a, b) => a + b, 0);
    if (failures > 0) throw new Error(`${failures} of ${sent} quiet enqueues failed`);
    return {
      metrics: {
        quietJobs: ms.length,
        quietP50Ms: Math.round(quantile(ms, 0.5)),
        quietP99Ms: Math.round(quantile(ms, 0.99)),
        quietCutOff: censored,
        jobsPerSecond: Math.round((total * 1000) / options.windowMs),
        noisyShare: total === 0 ? 0 : Math.round(((starts.get('A') ?? 0) * 1000) / total) / 1000,
      },
      timedOut: censored > 0,
    };
  });
}
