import { onFreshInstance, type Measured } from '../harness.ts';
import { jainIndex } from '../stats.ts';
import { sleep, type QueueSystem, type TenantSpec } from '../system.ts';

export interface WeightedOptions {
  weights: readonly number[];
  warmupMs: number;
  windowMs: number;
  sleepMs: number;
  /** Each tenant's queued-but-not-started jobs are kept at or above this (the pool stays saturated). */
  backlog: number;
}

export interface WeightedMetrics {
  jain: number;
  /** Jobs started per second by each tenant over the window, in weight order. */
  perTenant: number[];
  /** Each tenant's share of the starts divided by its weight share (1 = exact). */
  relative: number[];
}

/**
 * W8 weighted: tenants with the given weights, each with a backlog kept topped up, share a
 * saturated pool; after a warm-up, Jain's index of (starts in the window / weight).
 */
export function weighted(
  baseUrl: string,
  system: QueueSystem,
  options: WeightedOptions,
): Promise<Measured<WeightedMetrics>> {
  const tenants: TenantSpec[] = options.weights.map((weight, i) => ({ name: `w${i}x${weight}`, weight }));
  return onFreshInstance(baseUrl, system, tenants, async (instance, ledger) => {
    const enqueued = new Map(tenants.map((t) => [t.name, 0]));
    const topUp = async (tenant: string, count: number) => {
      const ids = await instance.enqueueMany(
        Array.from({ length: count }, () => ({ tenant, sleepMs: options.sleepMs })),
      );
      for (const id of ids) ledger.queued(id, tenant);
      enqueued.set(tenant, (enqueued.get(tenant) ?? 0) + ids.length);
    };
    await Promise.all(tenants.map((t) => topUp(t.name, options.backlog * 2)));
    let feeding = true;
    const feeders = tenants.map(async (t) => {
      while (feeding) {
        const started = ledger.startCountOf(t.name);
        const waiting = (enqueued.get(t.name) ?? 0) - started;
        if (waiting < options.backlog) await topUp(t.name, options.backlog);
        else await sleep(20);
      }
    });
    await instance.start();
    await sleep(options.warmupMs);
    const from = performance.now();
    await sleep(options.windowMs);
    const to = performance.now();
    feeding = false;
    await Promise.all(feeders);
    const starts = ledger.startsByTenant(from, to);
    const perTenant = tenants.map((t) => ((starts.get(t.name) ?? 0) * 1000) / (to - from));
    const total = perTenant.reduce((a, b) => a + b, 0);
    const weightSum = options.weights.reduce((a, b) => a + b, 0);
    return {
      metrics: {
        jain: Math.round(jainIndex(perTenant.map((x, i) => x / (options.weights[i] ?? 1))) * 10000) / 10000,
        perTenant: perTenant.map((x) => Math.round(x)),
        relative: perTenant.map(
          (x, i) => Math.round(((x / total) * 1000 * weightSum) / (options.weights[i] ?? 1)) / 1000,
        ),
      },
    };
  });
}
