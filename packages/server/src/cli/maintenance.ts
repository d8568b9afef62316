import { purgeExpiredSessions } from '../identity/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * The worker role's identity housekeeping: expired sessions are deleted.
 * Returns a stop function that waits for the current pass.
 */
export function startMaintenance(runtime: Runtime, intervalMs = 60_000): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      const purged = await runtime.db.systemTx((sys) => purgeExpiredSessions(sys));
      if (purged > 0) runtime.logger.info({ purged }, 'purged expired sessions');
    } catch (error) {
      runtime.logger.error({ err: error }, 'maintenance pass failed');
    }
  };
  running = pass();
  const timer = setInterval(() => {
    running = running.then(pass);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
