import { createFreshDatabase } from './fresh-database.ts';
import { Ledger, type ExactlyOnce } from './ledger.ts';
import type { QueueInstance, QueueSystem, TenantSpec } from './system.ts';

export interface Measured<M> {
  metrics: M;
  exactlyOnce: ExactlyOnce;
  /** Set when the workload hit its time cap instead of finishing. */
  timedOut: boolean;
}

/**
 * Runs one repetition of a workload on a fresh database: opens the system, hands the workload
 * an instance and the ledger, then stops the worker, checks every job ran exactly once, drops
 * the database.
 */
export async function onFreshInstance<M>(
  baseUrl: string,
  system: QueueSystem,
  tenants: readonly TenantSpec[],
  workload: (instance: QueueInstance, ledger: Ledger) => Promise<{ metrics: M; timedOut?: boolean }>,
): Promise<Measured<M>> {
  const database = await createFreshDatabase(baseUrl, system.name.replace(/[^a-z]+/g, '_'));
  const ledger = new Ledger();
  try {
    const instance = await system.open(database.url, tenants, ledger);
    try {
      const result = await workload(instance, ledger);
      await instance.stop();
      const exactlyOnce = ledger.check(await instance.unfinished(), await instance.failed());
      return { metrics: result.metrics, exactlyOnce, timedOut: result.timedOut ?? false };
    } finally {
      await instance.stop();
      await instance.close();
    }
  } finally {
    await database.drop();
  }
}

/** Polls `done` every `everyMs` until it holds or `deadline` (performance.now()) passes. */
export async function waitFor(
  done: () => boolean | Promise<boolean>,
  deadline: number,
  everyMs = 5,
): Promise<boolean> {
  for (;;) {
    if (await done()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
