import type { Database, Queryable } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';
import type { BudgetAlert } from './alert.ts';
import { alertOf } from './alert-store.ts';

/** Opens a webhook's sealed secret (the secret box; metering cannot import secrets/). */
export interface AlertSecretOpener {
  open(tx: Queryable, tenantId: string, secretId: string, sealed: string): Promise<string>;
}

/** Signs a delivery: the header's name and its value for a body at a unix time (ADR 0004's scheme). */
export interface AlertSigner {
  header: string;
  sign(secret: string, timestampSeconds: number, body: string): string;
}

/** One POST of a delivery; only the answer's status is read. */
export type AlertPost = (
  url: string,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

/** The default post: fetch, no redirect followed, the body not read. */
const fetchPost: AlertPost = async (url, init) => {
  const response = await fetch(url, { method: 'POST', ...init, redirect: 'manual' });
  await response.body?.cancel().catch(() => undefined);
  return { status: response.status };
};

export interface AlertOutboxResources {
  db: Database;
  logger: Logger;
  secrets: AlertSecretOpener;
  signer: AlertSigner;
  /**
   * How a delivery is POSTed; the composition root passes one that applies the http step's
   * destination policy (tenant URLs never reach metadata or private addresses). Default: fetch.
   */
  post?: AlertPost;
  now?: () => Date;
  /** In [0, 1): the jitter of the backoff. */
  random?: () => number;
}

export interface AlertOutboxOptions {
  /** Attempts before a delivery is dead. */
  maxAttempts: number;
  /** Delay after the first failed attempt; it doubles after each one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A claimed delivery whose sender died is due again after this long (longer than timeoutMs). */
  leaseMs: number;
  /** Longest wait for a webhook's answer. */
  timeoutMs: number;
  /** Deliveries claimed per pass. */
  batchSize: number;
}

export const DEFAULT_ALERT_OUTBOX_OPTIONS: AlertOutboxOptions = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  batchSize: 20,
});

/** What a webhook receives: `Content-Type: application/json`, signed (docs/alerts.md). */
export interface AlertDeliveryBody {
  type: 'budget.alert';
  tenantId: string;
  alert: Omit<BudgetAlert, 'acknowledgedAt' | 'acknowledgedBy'>;
}

export interface DeliveryPass {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
  /** Answers that came after the row was claimed again (a lease that ran out): not recorded. */
  stale: number;
}

export interface AlertOutbox {
  /** Claims the deliveries due now and sends them; what became of them. */
  deliverDue(): Promise<DeliveryPass>;
  /** The backoff after `attempt` failed attempts, before jitter: min(max, base × 2^(attempt−1)). */
  backoffMs(attempt: number): number;
}

interface Claimed {
  tenantId: string;
  alertId: string;
  webhookId: string;
  attempt: number;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const ERROR_LENGTH = 500;

/**
 * The sender of the alert outbox (docs/adr/0009-budget-alerts.md): claims due rows with SKIP
 * LOCKED (a claim counts the attempt and leases the row), POSTs each alert signed to its
 * webhook, and records the outcome fenced by the attempt number.
 */
export function createAlertOutbox(resources: AlertOutboxResources, options: AlertOutboxOptions): AlertOutbox {
  const compiled = Object.freeze({ ...options });
  const { db, logger, secrets, signer } = resources;
  const post = resources.post ?? fetchPost;
  const now = resources.now ?? (() => new Date());
  const random = resources.random ?? Math.random;

  const backoffMs = (attempt: number) =>
    Math.min(compiled.maxDelayMs, compiled.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random ("equal jitter"): senders that failed together do not retry together.
  const jittered = (attempt: number) => {
    const delay = backoffMs(attempt);
    return Math.round(delay / 2 + random() * (delay / 2));
  };

  const claim = async (at: Date): Promise<Claimed[]> => {
    // A row still pending after its last attempt's lease ran out lost its sender: dead.
    await db.systemQuery(
      `update alert_deliveries set state = 'dead', last_error = coalesce(last_error, 'the sender stopped before an answer')
        where state = 'pending' and next_attempt_at <= $1 and attempts >= $2`,
      [at.toISOString(), compiled.maxAttempts],
    );
    const claimed = await db.systemQuery<{
      tenant_id: string;
      alert_id: string;
      webhook_id: string;
      attempts: number;
    }>(
      `with due as (
         select tenant_id, alert_id, webhook_id from alert_deliveries
          where state = 'pending' and next_attempt_at <= $1 and attempts < $4
          order by next_attempt_at
          limit $2
          for update skip locked)
       update alert_deliveries d
          set attempts = d.attempts + 1, last_attempt_at = $1,
              next_attempt_at = $1::timestamptz + $3 * interval '1 millisecond'
         from due
        where d.tenant_id = due.tenant_id and d.alert_id = due.alert_id and d.webhook_id = due.webhook_id
       returning d.tenant_id, d.alert_id, d.webhook_id, d.attempts`,
      [at.toISOString(), compiled.batchSize, compiled.leaseMs, compiled.maxAttempts],
    );
    return claimed.rows.map((row) => ({
      tenantId: row.tenant_id,
      alertId: row.alert_id,
      webhookId: row.webhook_id,
      attempt: Number(row.attempts),
    }));
  };

  /** The alert and the webhook's URL and secret, read in the tenant's transaction (its data key). */
  const load = (item: Claimed) =>
    db.tenantTx(item.tenantId, async (tx) => {
      const alert = await tx.query('select * from budget_alerts where id = $1', [item.alertId]);
      const hook = await tx.query<{ url: string; secret_sealed: string }>(
        'select url, secret_sealed from alert_webhooks where id = $1',
        [item.webhookId],
      );
      const alertRow = alert.rows[0];
      const hookRow = hook.rows[0];
      if (!alertRow || !hookRow) return null;
      const secret = await secrets.open(tx, item.tenantId, item.webhookId, hookRow.secret_sealed);
      return { alert: alertOf(alertRow), url: hookRow.url, secret };
    });

  const send = async (item: Claimed, at: Date): Promise<Outcome> => {
    let target;
    try {
      target = await load(item);
    } catch (error) {
      return { ok: false, status: null, error: `could not open the webhook's secret: ${messageOf(error)}` };
    }
    if (!target) return { ok: false, status: null, error: 'the alert or the webhook is gone' };
    const { acknowledgedAt: _a, acknowledgedBy: _b, ...alert } = target.alert;
    const body: AlertDeliveryBody = { type: 'budget.alert', tenantId: item.tenantId, alert };
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(at.getTime() / 1000);
    try {
      const response = await post(target.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Shoal-Alerts/1',
          [signer.header]: signer.sign(target.secret, timestamp, raw),
          'shoal-delivery': `${item.alertId}:${item.webhookId}`,
          'shoal-attempt': String(item.attempt),
        },
        body: raw,
        signal: AbortSignal.timeout(compiled.timeoutMs),
      });
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `the webhook answered ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: messageOf(error) };
    }
  };

  /** Records one outcome; a row another sender reclaimed since (a newer attempt) is left alone. */
  const record = async (
    item: Claimed,
    outcome: Outcome,
    at: Date,
  ): Promise<'delivered' | 'failed' | 'dead' | 'stale'> => {
    const key = [item.tenantId, item.alertId, item.webhookId, item.attempt];
    if (outcome.ok) {
      const done = await db.systemQuery(
        `update alert_deliveries set state = 'delivered', delivered_at = $5, last_status = $6, last_error = null
          where tenant_id = $1 and alert_id = $2 and webhook_id = $3 and attempts = $4 and state = 'pending'
         returning 1`,
        [...key, at.toISOString(), outcome.status],
      );
      return done.rows.length > 0 ? 'delivered' : 'stale';
    }
    const dead = item.attempt >= compiled.maxAttempts;
    const next = new Date(at.getTime() + jittered(item.attempt));
    const done = await db.systemQuery(
      `update alert_deliveries
          set state = $5, next_attempt_at = $6, last_status = $7, last_error = $8
        where tenant_id = $1 and alert_id = $2 and webhook_id = $3 and attempts = $4 and state = 'pending'
       returning 1`,
      [
        ...key,
        dead ? 'dead' : 'pending',
        next.toISOString(),
        outcome.status,
        outcome.error.slice(0, ERROR_LENGTH),
      ],
    );
    if (done.rows.length === 0) return 'stale';
    return dead ? 'dead' : 'failed';
  };

  return {
    backoffMs,
    async deliverDue() {
      const at = now();
      const claimed = await claim(at);
      const pass: DeliveryPass = { claimed: claimed.length, delivered: 0, failed: 0, dead: 0, stale: 0 };
      await Promise.all(
        claimed.map(async (item) => {
          const outcome = await send(item, at);
          const result = await record(item, outcome, now());
          pass[result] += 1;
          if (!outcome.ok)
            logger.warn(
              {
                tenantId: item.tenantId,
                alertId: item.alertId,
                webhookId: item.webhookId,
                attempt: item.attempt,
              },
              `alert delivery failed: ${outcome.error}`,
            );
        }),
      );
      return pass;
    },
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
