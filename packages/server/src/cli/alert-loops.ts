import { SIGNATURE_HEADER, webhookSignatureHeader } from '../engine/index.ts';
import {
  createAlertOutbox,
  DEFAULT_ALERT_OUTBOX_OPTIONS,
  evaluateForecastAlerts,
  type AlertOutbox,
} from '../metering/index.ts';
import type { SecretBox } from '../secrets/index.ts';
import { createVettedPost } from '../steps/index.ts';
import { every } from './every.ts';
import type { Runtime } from './runtime.ts';

/** The alert outbox of this process: signed with the inbound webhooks' scheme (ADR 0004, 0009). */
export function createProcessAlertOutbox(runtime: Runtime, secrets: SecretBox): AlertOutbox {
  return createAlertOutbox(
    {
      db: runtime.db,
      logger: runtime.logger,
      secrets,
      signer: { header: SIGNATURE_HEADER, sign: webhookSignatureHeader },
      // Tenant-supplied URLs: the http step's destination policy, pinned to the vetted address.
      post: createVettedPost({
        allowList:
          runtime.config.SHOAL_ALERT_WEBHOOK_ALLOW_LOOPBACK === 'true'
            ? ['127.0.0.0/8', '::1/128', 'localhost']
            : [],
      }),
    },
    { ...DEFAULT_ALERT_OUTBOX_OPTIONS, maxAttempts: runtime.config.SHOAL_ALERT_MAX_ATTEMPTS },
  );
}

/**
 * The worker role's alert loops (docs/adr/0009-budget-alerts.md): forecast alerts of every
 * tenant, and, with a secret box to open webhook secrets, the outbox's deliveries (a full batch
 * is followed at once by the next).
 */
export function startAlertLoops(runtime: Runtime, secrets: SecretBox | undefined): () => Promise<void> {
  const { config, db, logger } = runtime;
  const stopForecasts = every(config.SHOAL_FORECAST_ALERT_MS, async () => {
    try {
      const fired = await evaluateForecastAlerts(db, new Date());
      if (fired > 0) logger.info({ fired }, 'fired forecast alerts');
    } catch (error) {
      logger.error({ err: error }, 'forecast alert pass failed');
    }
  });
  if (!secrets) return stopForecasts;
  const outbox = createProcessAlertOutbox(runtime, secrets);
  let stopping = false;
  const stopDeliveries = every(config.SHOAL_ALERT_DELIVERY_MS, async () => {
    try {
      for (;;) {
        const pass = await outbox.deliverDue();
        if (stopping || pass.claimed < DEFAULT_ALERT_OUTBOX_OPTIONS.batchSize) break;
      }
    } catch (error) {
      logger.error({ err: error }, 'alert delivery pass failed');
    }
  });
  return async () => {
    stopping = true;
    await Promise.all([stopForecasts(), stopDeliveries()]);
  };
}
