import type { Queryable } from '../db/index.ts';
import type { AlertWebhook } from './alert.ts';
import { MeteringError } from './errors.ts';

/** At most this many alert webhooks per tenant: each alert is one outbox row per webhook. */
export const MAX_ALERT_WEBHOOKS = 10;

export interface NewAlertWebhook {
  /** Made by the caller, who sealed the secret under it (tenantId:id as associated data). */
  id: string;
  url: string;
  description?: string | null;
  secretSealed: string;
  secretFingerprint: string;
  createdBy: string;
}

const SELECT = `
select w.id, w.url, w.description, w.secret_fingerprint, w.created_by, w.created_at,
       count(*) filter (where d.state = 'pending') as pending,
       count(*) filter (where d.state = 'delivered') as delivered,
       count(*) filter (where d.state = 'dead') as dead
  from alert_webhooks w
  left join alert_deliveries d on d.tenant_id = w.tenant_id and d.webhook_id = w.id`;
const GROUP = 'group by w.tenant_id, w.id';

function webhookOf(row: Record<string, unknown>): AlertWebhook {
  return {
    id: String(row.id),
    url: String(row.url),
    description: (row.description as string | null) ?? null,
    secretFingerprint: String(row.secret_fingerprint),
    createdBy: String(row.created_by),
    createdAt: new Date(row.created_at as string).toISOString(),
    deliveries: {
      pending: Number(row.pending),
      delivered: Number(row.delivered),
      dead: Number(row.dead),
    },
  };
}

/** The tenant's alert webhooks, oldest first, with how their deliveries stand. */
export async function listAlertWebhooks(tx: Queryable): Promise<AlertWebhook[]> {
  const result = await tx.query(`${SELECT} ${GROUP} order by w.created_at, w.id`);
  return result.rows.map(webhookOf);
}

export async function getAlertWebhook(tx: Queryable, id: string): Promise<AlertWebhook> {
  const result = await tx.query(`${SELECT} where w.id = $1 ${GROUP}`, [id]);
  const row = result.rows[0];
  if (!row) throw new MeteringError('ALERT_WEBHOOK_NOT_FOUND', `No alert webhook ${id}`, { webhookId: id });
  return webhookOf(row);
}

/** Adds a webhook; alerts fired from now on are delivered to it. Tenant transaction. */
export async function createAlertWebhook(
  tx: Queryable,
  tenantId: string,
  input: NewAlertWebhook,
): Promise<AlertWebhook> {
  // Two creations racing past the count may both land: the limit bounds fan-out, not security.
  const count = await tx.query<{ n: string }>('select count(*) as n from alert_webhooks');
  if (Number(count.rows[0]?.n) >= MAX_ALERT_WEBHOOKS)
    throw new MeteringError(
      'ALERT_WEBHOOK_LIMIT',
      `A tenant has at most ${MAX_ALERT_WEBHOOKS} alert webhooks; delete one first`,
      { max: MAX_ALERT_WEBHOOKS },
    );
  await tx.query(
    `insert into alert_webhooks (tenant_id, id, url, description, secret_sealed, secret_fingerprint, created_by)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      tenantId,
      input.id,
      input.url,
      input.description ?? null,
      input.secretSealed,
      input.secretFingerprint,
      input.createdBy,
    ],
  );
  return getAlertWebhook(tx, input.id);
}

/** Deletes a webhook with its outbox rows (deliveries not made yet are dropped). */
export async function deleteAlertWebhook(tx: Queryable, id: string): Promise<AlertWebhook> {
  const current = await getAlertWebhook(tx, id);
  await tx.query('delete from alert_webhooks where id = $1', [id]);
  return current;
}
