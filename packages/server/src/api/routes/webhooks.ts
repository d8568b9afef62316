import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAuditEvent } from '../../audit/index.ts';
import {
  assertFreshTimestamp,
  createWebhook,
  DELIVERY_HEADER,
  disableWebhook,
  EngineError,
  findWebhookTenant,
  generateWebhookSecret,
  getWebhookOfWorkflow,
  loadWebhookForDelivery,
  matchingSignature,
  parseSignatureHeader,
  rotateWebhookSecret,
  SIGNATURE_HEADER,
  startTriggeredRun,
  type WebhookView,
} from '../../engine/index.ts';
import { actorRef } from '../../identity/index.ts';
import { SecretsError, type SecretBox } from '../../secrets/index.ts';
import type { ApiDeps } from '../route.ts';
import { publicRoute, tenantRoute } from '../route.ts';

const timestamp = z.iso.datetime();
const WebhookSchema = z
  .object({
    id: z.uuid(),
    workflowName: z.string(),
    url: z.string().meta({ description: 'Where senders POST deliveries, signed with the secret' }),
    createdBy: z.string(),
    createdAt: timestamp,
    rotatedAt: timestamp.nullable(),
    previousSecretExpiresAt: timestamp
      .nullable()
      .meta({ description: 'Until then the secret before the last rotation also verifies' }),
    disabledAt: timestamp.nullable(),
  })
  .meta({ id: 'Webhook' });
const WebhookWithSecretSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().meta({ description: 'The signing secret (whsec_…): shown this once, store it now' }),
  })
  .meta({ id: 'WebhookWithSecret' });

const NameParams = z.strictObject({ name: z.string().min(1).max(100) });
const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/;
const DAY_SECONDS = 86_400;

const withUrl = (deps: ApiDeps, view: WebhookView) => ({
  ...view,
  url: new URL(`/v1/hooks/${view.id}`, deps.config.SHOAL_PUBLIC_URL).toString(),
});

function secretsOf(deps: ApiDeps): SecretBox {
  if (!deps.secrets) throw new SecretsError('SECRETS_UNAVAILABLE');
  return deps.secrets;
}

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();

export const webhookRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/workflows/:name/webhook',
    operationId: 'enableWebhook',
    auth: 'webhooks.write',
    tag: 'triggers',
    summary: "Enable the workflow's webhook: its URL and signing secret (shown once)",
    description:
      'Deliveries are `POST` to the URL with a JSON body (the run input) and a ' +
      '`Shoal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` header (docs/triggers.md). ',
    params: NameParams,
    success: { status: 201, schema: WebhookWithSecretSchema, description: 'The webhook and its secret' },
    errors: [{ status: 409, description: 'WEBHOOK_ALREADY_ENABLED: rotate the secret or disable it first' }],
    handler: async ({ tx, principal, deps }, { params }) => {
      const secrets = secretsOf(deps);
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const sealed = await secrets.seal(tx, principal.tenantId, id, secret);
      const webhook = await createWebhook(
        tx,
        principal.tenantId,
        { id, workflowName: params.name, secretSealed: sealed, createdBy: actorRef(principal.actor) },
        nowOf(deps),
      );
      return {
        body: { webhook: withUrl(deps, webhook), secret },
        audit: { target: { type: 'webhook', id }, details: { workflow: params.name } },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows/:name/webhook',
    operationId: 'getWebhook',
    auth: 'webhooks.read',
    tag: 'triggers',
    summary: "The workflow's webhook (never its secret)",
    params: NameParams,
    success: { status: 200, schema: WebhookSchema, description: 'The webhook' },
    handler: async ({ tx, deps }, { params }) => ({
      body: withUrl(deps, await getWebhookOfWorkflow(tx, params.name, nowOf(deps))),
    }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/workflows/:name/webhook/rotate',
    operationId: 'rotateWebhookSecret',
    auth: 'webhooks.write',
    tag: 'triggers',
    summary: 'Issue a new signing secret; the old one keeps verifying for a while (default 24 h)',
    params: NameParams,
    body: z
      .strictObject({
        previousSecretValidSeconds: z
          .number()
          .int()
          .min(0)
          .max(7 * DAY_SECONDS)
          .optional()
          .meta({ description: 'How long the old secret still verifies (0: stop at once); default 86400' }),
      })
      .optional(),
    success: { status: 200, schema: WebhookWithSecretSchema, description: 'The webhook and its new secret' },
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const secrets = secretsOf(deps);
      const now = nowOf(deps);
      const current = await getWebhookOfWorkflow(tx, params.name, now);
      const secret = generateWebhookSecret();
      const sealed = await secrets.seal(tx, principal.tenantId, current.id, secret);
      const grace = body?.previousSecretValidSeconds ?? DAY_SECONDS;
      await rotateWebhookSecret(
        tx,
        { id: current.id, secretSealed: sealed, previousValidUntil: new Date(now.getTime() + grace * 1000) },
        now,
      );
      const webhook = await getWebhookOfWorkflow(tx, params.name, now);
      return {
        body: { webhook: withUrl(deps, webhook), secret },
        audit: {
          target: { type: 'webhook', id: current.id },
          details: { workflow: params.name, previousSecretValidSeconds: grace },
        },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/workflows/:name/webhook',
    operationId: 'disableWebhook',
    auth: 'webhooks.write',
    tag: 'triggers',
    summary: "Disable the workflow's webhook: its URL answers 404 from now on",
    params: NameParams,
    success: { status: 200, schema: WebhookSchema, description: 'The disabled webhook' },
    handler: async ({ tx, deps }, { params }) => {
      const webhook = await disableWebhook(tx, params.name, nowOf(deps));
      return {
        body: withUrl(deps, webhook),
        audit: { target: { type: 'webhook', id: webhook.id }, details: { workflow: params.name } },
      };
    },
  }),
  publicRoute({
    method: 'POST',
    url: '/v1/hooks/:webhookId',
    operationId: 'deliverWebhook',
    tag: 'triggers',
    summary: 'Deliver a signed webhook: starts a run with the JSON body as input',
    description:
      'Authenticated only by the `Shoal-Signature` header (HMAC-SHA256 of `<t>.<raw body>` with the ' +
      "webhook's secret; `t` within 5 minutes of the server's clock). The same delivery again (same " +
      '`Shoal-Delivery` header, or the same signature) returns the run it started (200). ',
    rawBody: true,
    params: z.strictObject({ webhookId: z.uuid() }),
    body: z.unknown().optional(),
    success: {
      status: 201,
      schema: z.object({ runId: z.uuid(), created: z.boolean() }).meta({ id: 'WebhookDelivery' }),
      description: 'The run (201 when started now, 200 for a repeated delivery)',
    },
    errors: [
      { status: 401, description: 'WEBHOOK_SIGNATURE_INVALID or WEBHOOK_TIMESTAMP_OUT_OF_RANGE' },
      { status: 404, description: 'WEBHOOK_NOT_FOUND: no enabled webhook has this id' },
    ],
    handler: async ({ deps, meta, reply, rawBody, trace }, { params, body }) => {
      const tenantId = await deps.db.systemTx((sys) => findWebhookTenant(sys, params.webhookId));
      if (!tenantId) throw new EngineError('WEBHOOK_NOT_FOUND');
      const header = reply.request.headers[SIGNATURE_HEADER];
      const parsed = parseSignatureHeader(typeof header === 'string' ? header : undefined);
      if (!parsed)
        throw new EngineError('WEBHOOK_SIGNATURE_INVALID', 'Missing or malformed Shoal-Signature header');
      const now = nowOf(deps);
      assertFreshTimestamp(parsed.timestamp, now.getTime());
      const delivery = reply.request.headers[DELIVERY_HEADER];
      if (delivery !== undefined && (typeof delivery !== 'string' || !DELIVERY_ID.test(delivery)))
        throw new EngineError(
          'WEBHOOK_SIGNATURE_INVALID',
          'Shoal-Delivery must be 1 to 200 visible ASCII characters',
        );
      const secrets = secretsOf(deps);
      const started = await deps.db.tenantTx(tenantId, async (tx) => {
        const webhook = await loadWebhookForDelivery(tx, params.webhookId, now);
        if (!webhook) throw new EngineError('WEBHOOK_NOT_FOUND');
        const keys = [await secrets.open(tx, tenantId, webhook.id, webhook.secretSealed)];
        if (webhook.previousSecretSealed)
          keys.push(await secrets.open(tx, tenantId, webhook.id, webhook.previousSecretSealed));
        const signature = matchingSignature(keys, parsed, rawBody ?? Buffer.alloc(0));
        if (!signature) throw new EngineError('WEBHOOK_SIGNATURE_INVALID');
        const run = await startTriggeredRun(tx, tenantId, {
          workflowName: webhook.workflowName,
          input: body ?? {},
          idempotencyKey: `webhook:${webhook.id}:${typeof delivery === 'string' ? delivery : signature}`,
          triggerKind: 'webhook',
          triggerRef: `webhook:${webhook.id}`,
          trace: trace && deps.tracing ? deps.tracing.reserveChild(trace) : null,
        });
        await appendAuditEvent(tx, tenantId, {
          actor: { type: 'anonymous', id: `webhook:${webhook.id}` },
          action: 'webhooks.deliver',
          target: { type: 'run', id: run.runId },
          requestId: meta.requestId,
          ip: meta.ip,
          details: { webhook: webhook.id, workflow: webhook.workflowName, created: run.created },
        });
        return run;
      });
      return { status: started.created ? 201 : 200, body: started };
    },
  }),
];
