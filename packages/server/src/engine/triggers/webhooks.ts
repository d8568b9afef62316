import type { Queryable } from '../../db/index.ts';
import { getWorkflow } from '../../workflows/index.ts';
import { EngineError } from '../errors.ts';

/** A workflow's webhook as the API shows it; the secret is never part of it. */
export interface WebhookView {
  id: string;
  workflowName: string;
  createdBy: string;
  createdAt: string;
  rotatedAt: string | null;
  /** Until then the secret from before the last rotation still verifies. */
  previousSecretExpiresAt: string | null;
  disabledAt: string | null;
}

/** What verifying a delivery needs, read in the tenant's transaction. */
export interface WebhookForDelivery {
  id: string;
  workflowName: string;
  secretSealed: string;
  /** Only while it has not expired. */
  previousSecretSealed: string | null;
}

interface WebhookRow {
  id: string;
  workflow_name: string;
  created_by: string;
  created_at: Date;
  rotated_at: Date | null;
  previous_expires_at: Date | null;
  disabled_at: Date | null;
  [key: string]: unknown;
}

const SELECT = `select h.id, w.name as workflow_name, h.created_by, h.created_at, h.rotated_at,
                       h.previous_expires_at, h.disabled_at
                  from webhooks h join workflows w on w.tenant_id = h.tenant_id and w.id = h.workflow_id`;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const toView = (r: WebhookRow, now: Date): WebhookView => ({
  id: r.id,
  workflowName: r.workflow_name,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  rotatedAt: iso(r.rotated_at),
  previousSecretExpiresAt:
    r.previous_expires_at && r.previous_expires_at > now ? iso(r.previous_expires_at) : null,
  disabledAt: iso(r.disabled_at),
});

async function workflowIdOf(tx: Queryable, workflowName: string): Promise<string> {
  const workflow = await getWorkflow(tx, workflowName);
  if (!workflow) throw new EngineError('WORKFLOW_NOT_FOUND', `No workflow named ${workflowName}`);
  return workflow.id;
}

/** The enabled webhook of a workflow; WEBHOOK_NOT_FOUND when it has none. */
export async function getWebhookOfWorkflow(
  tx: Queryable,
  workflowName: string,
  now = new Date(),
): Promise<WebhookView> {
  const workflowId = await workflowIdOf(tx, workflowName);
  const found = await tx.query<WebhookRow>(`${SELECT} where h.workflow_id = $1 and h.disabled_at is null`, [
    workflowId,
  ]);
  const row = found.rows[0];
  if (!row) throw new EngineError('WEBHOOK_NOT_FOUND', `Workflow ${workflowName} has no webhook`);
  return toView(row, now);
}

/**
 * Enables a workflow's webhook with a secret the caller sealed under `id` (the caller makes the id,
 * because the id is part of what the seal is bound to).
 */
export async function createWebhook(
  tx: Queryable,
  tenantId: string,
  request: { id: string; workflowName: string; secretSealed: string; createdBy: string },
  now = new Date(),
): Promise<WebhookView> {
  const workflowId = await workflowIdOf(tx, request.workflowName);
  const inserted = await tx.query(
    `insert into webhooks (tenant_id, id, workflow_id, secret_sealed, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, workflow_id) where disabled_at is null do nothing`,
    [tenantId, request.id, workflowId, request.secretSealed, request.createdBy, now],
  );
  if (inserted.rowCount === 0) throw new EngineError('WEBHOOK_ALREADY_ENABLED');
  return getWebhookOfWorkflow(tx, request.workflowName, now);
}

/**
 * Replaces the secret; the current one becomes the previous one and keeps verifying until
 * `previousValidUntil` (null or a past time: at once).
 */
export async function rotateWebhookSecret(
  tx: Queryable,
  request: { id: string; secretSealed: string; previousValidUntil: Date | null },
  now = new Date(),
): Promise<void> {
  const updated = await tx.query(
    `update webhooks
        set previous_secret_sealed = case when $3::timestamptz > $4::timestamptz then secret_sealed end,
            previous_expires_at = case when $3::timestamptz > $4::timestamptz then $3::timestamptz end,
            secret_sealed = $2, rotated_at = $4
      where id = $1 and disabled_at is null`,
    [request.id, request.secretSealed, request.previousValidUntil, now],
  );
  if (updated.rowCount === 0) throw new EngineError('WEBHOOK_NOT_FOUND');
}

/** Disables the workflow's webhook: its URL answers 404 from now on. */
export async function disableWebhook(
  tx: Queryable,
  workflowName: string,
  now = new Date(),
): Promise<WebhookView> {
  const current = await getWebhookOfWorkflow(tx, workflowName, now);
  await tx.query(
    `update webhooks set disabled_at = $2, previous_secret_sealed = null, previous_expires_at = null
      where id = $1`,
    [current.id, now],
  );
  return { ...current, disabledAt: now.toISOString(), previousSecretExpiresAt: null };
}

/**
 * The tenant of an enabled webhook id, for the public receiving route (as shoal_system, which
 * may read only `tenant_id`, `id` and `disabled_at`).
 */
export async function findWebhookTenant(sys: Queryable, webhookId: string): Promise<string | null> {
  const found = await sys.query<{ tenant_id: string }>(
    'select tenant_id from webhooks where id = $1 and disabled_at is null',
    [webhookId],
  );
  return found.rows[0]?.tenant_id ?? null;
}

/** The webhook and its sealed secrets, in the tenant's transaction; null when gone or disabled. */
export async function loadWebhookForDelivery(
  tx: Queryable,
  webhookId: string,
  now = new Date(),
): Promise<WebhookForDelivery | null> {
  const found = await tx.query<{
    id: string;
    workflow_name: string;
    secret_sealed: string;
    previous_secret_sealed: string | null;
    previous_expires_at: Date | null;
  }>(
    `select h.id, w.name as workflow_name, h.secret_sealed, h.previous_secret_sealed, h.previous_expires_at
       from webhooks h join workflows w on w.tenant_id = h.tenant_id and w.id = h.workflow_id
      where h.id = $1 and h.disabled_at is null`,
    [webhookId],
  );
  const row = found.rows[0];
  if (!row) return null;
  const previousValid = row.previous_expires_at !== null && row.previous_expires_at > now;
  return {
    id: row.id,
    workflowName: row.workflow_name,
    secretSealed: row.secret_sealed,
    previousSecretSealed: previousValid ? row.previous_secret_sealed : null,
  };
}
