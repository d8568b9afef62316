import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { generateWebhookSecret } from '../../engine/index.ts';
import { actorRef } from '../../identity/index.ts';
import {
  acknowledgeAlert,
  createAlertWebhook,
  deleteAlertWebhook,
  getAlertWebhook,
  listAlerts,
  listAlertWebhooks,
} from '../../metering/index.ts';
import { secretFingerprint, SecretsError, type SecretBox } from '../../secrets/index.ts';
import {
  AlertListQuery,
  AlertSchema,
  AlertWebhookSchema,
  AlertWebhookWithSecretSchema,
  CreateAlertWebhookBody,
} from '../alert-schemas.ts';
import { tenantRoute, type ApiDeps } from '../route.ts';
import { IdParams } from '../schemas.ts';

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();
const alertNotFound = { status: 404, description: 'The tenant has no alert with this id (ALERT_NOT_FOUND)' };
const webhookNotFound = {
  status: 404,
  description: 'The tenant has no alert webhook with this id (ALERT_WEBHOOK_NOT_FOUND)',
};

function secretsOf(deps: ApiDeps): SecretBox {
  if (!deps.secrets) throw new SecretsError('SECRETS_UNAVAILABLE');
  return deps.secrets;
}

export const alertRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/alerts',
    operationId: 'listAlerts',
    auth: 'alerts.read',
    tag: 'metering',
    summary: "The tenant's budget alerts, newest first",
    description:
      'Each threshold of a budget fires once per period, and a forecast alert once per period when the ' +
      'projected spend exceeds the limit (docs/alerts.md). ',
    query: AlertListQuery,
    success: {
      status: 200,
      schema: z.object({ data: z.array(AlertSchema), nextCursor: z.uuid().nullable() }),
      description: 'One page of alerts',
    },
    handler: async ({ tx }, { query }) => {
      const data = await listAlerts(tx, {
        budgetId: query.budgetId,
        kind: query.kind,
        acknowledged: query.acknowledged,
        limit: query.limit,
        before: query.cursor,
      });
      return { body: { data, nextCursor: data.length === query.limit ? (data.at(-1)?.id ?? null) : null } };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/alerts/:id/acknowledge',
    operationId: 'acknowledgeAlert',
    auth: 'alerts.write',
    tag: 'metering',
    summary: 'Mark an alert seen; the first acknowledgement is the one kept',
    params: IdParams,
    success: { status: 200, schema: AlertSchema, description: 'The alert, acknowledged' },
    errors: [alertNotFound],
    handler: async ({ tx, principal, deps }, { params }) => {
      const { alert, changed } = await acknowledgeAlert(
        tx,
        params.id,
        actorRef(principal.actor),
        nowOf(deps),
      );
      return {
        body: alert,
        audit: {
          target: { type: 'budget_alert', id: alert.id },
          details: { budgetId: alert.budgetId, kind: alert.kind, threshold: alert.threshold, changed },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/alert-webhooks',
    operationId: 'listAlertWebhooks',
    auth: 'alert_webhooks.read',
    tag: 'metering',
    summary: "The tenant's alert webhooks (never their secrets)",
    success: {
      status: 200,
      schema: z.object({ data: z.array(AlertWebhookSchema) }),
      description: 'The webhooks',
    },
    handler: async ({ tx }) => ({ body: { data: await listAlertWebhooks(tx) } }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/alert-webhooks',
    operationId: 'createAlertWebhook',
    auth: 'alert_webhooks.write',
    tag: 'metering',
    summary: 'Add a webhook every budget alert is POSTed to, signed; its secret is shown once',
    description:
      'Each alert is POSTed as JSON with `Shoal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` ' +
      'and `Shoal-Delivery`, retried with exponential backoff until a 2xx (docs/alerts.md). ',
    body: CreateAlertWebhookBody,
    success: {
      status: 201,
      schema: AlertWebhookWithSecretSchema,
      description: 'The webhook and its signing secret',
    },
    errors: [{ status: 409, description: 'The tenant has the most webhooks it may (ALERT_WEBHOOK_LIMIT)' }],
    handler: async ({ tx, principal, deps }, { body }) => {
      const secrets = secretsOf(deps);
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const webhook = await createAlertWebhook(tx, principal.tenantId, {
        id,
        url: body.url,
        description: body.description ?? null,
        secretSealed: await secrets.seal(tx, principal.tenantId, id, secret),
        secretFingerprint: secretFingerprint(secret),
        createdBy: actorRef(principal.actor),
      });
      return {
        body: { webhook, secret },
        audit: {
          target: { type: 'alert_webhook', id },
          details: { url: webhook.url, secretFingerprint: webhook.secretFingerprint },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/alert-webhooks/:id',
    operationId: 'getAlertWebhook',
    auth: 'alert_webhooks.read',
    tag: 'metering',
    summary: 'An alert webhook and how its deliveries stand (never its secret)',
    params: IdParams,
    success: { status: 200, schema: AlertWebhookSchema, description: 'The webhook' },
    errors: [webhookNotFound],
    handler: async ({ tx }, { params }) => ({ body: await getAlertWebhook(tx, params.id) }),
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/alert-webhooks/:id',
    operationId: 'deleteAlertWebhook',
    auth: 'alert_webhooks.write',
    tag: 'metering',
    summary: 'Delete an alert webhook; its deliveries not made yet are dropped',
    params: IdParams,
    success: { status: 204, schema: null, description: 'Deleted' },
    errors: [webhookNotFound],
    handler: async ({ tx }, { params }) => {
      const webhook = await deleteAlertWebhook(tx, params.id);
      return {
        audit: {
          target: { type: 'alert_webhook', id: webhook.id },
          details: { url: webhook.url, pendingDropped: webhook.deliveries.pending },
        },
      };
    },
  }),
];
