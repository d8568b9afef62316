import { z } from 'zod';
import { ALERT_KINDS, BUDGET_KINDS, MAX_ALERT_WEBHOOKS } from '../metering/index.ts';

/** Shapes of budget alerts, alert webhooks and forecasts (docs/adr/0009-budget-alerts.md). */
const timestamp = z.iso.datetime();
const MicroUsd = z.number().int();

export const AlertSchema = z
  .object({
    id: z.uuid(),
    budgetId: z.uuid(),
    budgetName: z.string().meta({ description: "The budget's name when the alert fired" }),
    kind: z.enum(ALERT_KINDS).meta({
      description: 'threshold: spend reached a percentage of the limit; forecast: projected over it',
    }),
    threshold: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The percentage crossed; null for forecasts' }),
    periodStart: timestamp,
    periodEnd: timestamp,
    limitMicroUsd: MicroUsd,
    spentMicroUsd: MicroUsd.meta({ description: 'What the period had spent when the alert fired' }),
    projectedMicroUsd: MicroUsd.nullable().meta({
      description: 'Forecasts: the projected end-of-period spend',
    }),
    createdAt: timestamp,
    acknowledgedAt: timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .meta({ id: 'BudgetAlert' });

export const AlertListQuery = z.strictObject({
  budgetId: z.uuid().optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  acknowledged: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: only acknowledged alerts; false: only those not acknowledged yet' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
});

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this machine (local development); no credentials. */
export function isAlertWebhookUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const CreateAlertWebhookBody = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2000)
    .refine(isAlertWebhookUrl, {
      message: 'must be an https:// URL, or http:// to localhost, 127.0.0.1 or [::1], without credentials',
    })
    .meta({ description: 'Where alerts are POSTed', example: 'https://hooks.example.com/shoal-alerts' }),
  description: z.string().trim().max(200).optional(),
});

export const AlertWebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    secretFingerprint: z
      .string()
      .meta({ description: 'Tells secrets apart (sha256:…); the secret itself is shown once, at creation' }),
    createdBy: z.string(),
    createdAt: timestamp,
    deliveries: z
      .object({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() })
      .meta({ description: "How this webhook's deliveries stand" }),
  })
  .meta({ id: 'AlertWebhook' });

export const AlertWebhookWithSecretSchema = z
  .object({
    webhook: AlertWebhookSchema,
    secret: z.string().meta({
      description: `The signing secret (whsec_…): shown this once, store it now. At most ${MAX_ALERT_WEBHOOKS} webhooks per tenant`,
    }),
  })
  .meta({ id: 'AlertWebhookWithSecret' });

export const ForecastQuery = z.strictObject({ budgetId: z.uuid().optional() });

export const ForecastSchema = z
  .object({
    budgetId: z.uuid(),
    budgetName: z.string(),
    kind: z.enum(BUDGET_KINDS),
    limitMicroUsd: MicroUsd,
    periodStart: timestamp,
    periodEnd: timestamp,
    timeZone: z.string(),
    spentMicroUsd: MicroUsd.meta({ description: 'Recorded this period so far' }),
    dailyRateMicroUsd: MicroUsd.meta({
      description: 'Daily spend weighted to recent days (0.5 per day back)',
    }),
    projectedMicroUsd: MicroUsd.meta({ description: 'spent + rate × days left in the period' }),
    exceedsLimit: z.boolean(),
    projectedExhaustionAt: timestamp.nullable().meta({
      description: 'When spend reaches the limit at that rate; now if it has; null if not this period',
    }),
    enoughHistory: z.boolean().meta({
      description: 'A day (or a quarter of a shorter period) has elapsed: the projection may alert',
    }),
    daily: z
      .array(z.object({ start: timestamp, spentMicroUsd: MicroUsd }))
      .meta({ description: 'Spend of each 24-hour slice of the period so far' }),
  })
  .meta({ id: 'BudgetForecast' });

/** A forecast as answered: without the tenant id and the alert bookkeeping. */
export const forecastBody = <F extends { tenantId: string; alerted: boolean }>(forecast: F) => {
  const { tenantId: _tenant, alerted: _alerted, ...rest } = forecast;
  return rest;
};
