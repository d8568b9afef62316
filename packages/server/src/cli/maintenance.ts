import { purgeExpiredSessions } from '../identity/index.ts';
import { snapshotStoredBytes } from '../metering/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import { startAlertLoops } from './alert-loops.ts';
import type { Runtime } from './runtime.ts';

/**
 * The worker role's housekeeping: expired sessions are deleted, and each tenant's stored bytes
 * are recorded in the usage ledger once per day of its time zone (ADR 0007). Returns a stop
 * function that waits for the current pass.
 */
export function startMaintenance(
  runtime: Runtime,
  intervalMs = 60_000,
  options: { secrets?: SecretBox | undefined } = {},
): () => Promise<void> {
  // Budget alerts: forecasts, and the webhook outbox when secrets can be opened (ADR 0009).
  const stopAlerts = startAlertLoops(runtime, options.secrets);
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      const purged = await runtime.db.systemTx((sys) => purgeExpiredSessions(sys));
      if (purged > 0) runtime.logger.info({ purged }, 'purged expired sessions');
    } catch (error) {
      runtime.logger.error({ err: error }, 'maintenance pass failed');
    }
    try {
      const snapshots = await runtime.db.systemTx((sys) => snapshotStoredBytes(sys, new Date()));
      if (snapshots > 0) runtime.logger.info({ snapshots }, 'recorded stored bytes');
    } catch (error) {
      runtime.logger.error({ err: error }, 'recording stored bytes failed');
    }
  };
  running = pass();
  const timer = setInterval(() => {
    running = running.then(pass);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await Promise.all([running, stopAlerts()]);
  };
}
