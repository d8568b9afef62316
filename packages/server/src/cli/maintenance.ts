import { purgeExpiredSessions } from '../identity/index.ts';
import { closeDueStatements, snapshotStoredBytes } from '../metering/index.ts';
import type { Metrics } from '../observability/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import { startAlertLoops } from './alert-loops.ts';
import { createAuditChainCheck } from './audit-check.ts';
import { every } from './every.ts';
import type { Runtime } from './runtime.ts';

/**
 * The worker role's housekeeping: expired sessions are deleted, and each tenant's stored bytes
 * are recorded in the usage ledger once per day of its time zone (ADR 0007). Returns a stop
 * function that waits for the current pass.
 */
export function startMaintenance(
  runtime: Runtime,
  intervalMs = 60_000,
  options: { secrets?: SecretBox | undefined; metrics?: Metrics | undefined } = {},
): () => Promise<void> {
  // Budget alerts: forecasts, and the webhook outbox when secrets can be opened (ADR 0009).
  const stopAlerts = startAlertLoops(runtime, options.secrets);
  const stopAuditCheck = startAuditCheck(runtime, options.metrics);
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
    try {
      // Last month's statements, closed on the plan of its end (ADR 0008).
      const closed = await runtime.db.systemTx((sys) => closeDueStatements(sys, new Date()));
      if (closed > 0) runtime.logger.info({ closed }, 'closed monthly statements');
    } catch (error) {
      runtime.logger.error({ err: error }, 'closing monthly statements failed');
    }
  };
  const stopPasses = every(intervalMs, pass);
  return async () => {
    await Promise.all([stopPasses(), stopAlerts(), stopAuditCheck()]);
  };
}

/** Every SHOAL_AUDIT_VERIFY_MS, every tenant's audit chain is verified (cli/audit-check.ts). */
function startAuditCheck(runtime: Runtime, metrics: Metrics | undefined): () => Promise<void> {
  const check = createAuditChainCheck({ db: runtime.db, logger: runtime.logger, metrics });
  return every(runtime.config.SHOAL_AUDIT_VERIFY_MS, async () => {
    try {
      await check.pass(new Date());
    } catch (error) {
      runtime.logger.error({ err: error }, 'audit chain check failed');
    }
  });
}
