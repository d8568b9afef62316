import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable Shoal reads. The README's configuration table is generated
 * from `describeConfig()` and checked by a test, so this is the single source of truth.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port of `shoal serve`.'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the HTTP server binds to.'),
  DATABASE_URL: z
    .url()
    .optional()
    .describe(
      'PostgreSQL URL of the owner role (runs migrations). Unset: embedded PGlite under `SHOAL_DATA_DIR`.',
    ),
  SHOAL_DATA_DIR: z.string().min(1).default('.shoal').describe('Where embedded PGlite keeps its data.'),
  SHOAL_DB_ROLE_PASSWORD: z
    .string()
    .optional()
    .describe(
      'Password given to the `shoal_app` and `shoal_system` roles on PostgreSQL (unset: none, for trust auth).',
    ),
  SHOAL_DB_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe(
      'Connections in the app pool. A worker opens one per slot (`SHOAL_WORKER_CONCURRENCY`, up to this size) at start and keeps them open while idle.',
    ),
  SHOAL_DB_IDLE_TX_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(60_000)
    .describe(
      'PostgreSQL ends an app or system transaction idle this long: a frozen worker (SIGSTOP, VM pause) then stops holding its locks.',
    ),
  SHOAL_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .describe(
      'OTLP/HTTP collector base URL: spans are sent to `<endpoint>/v1/traces` (docs/adr/0011-tracing.md). Unset: tracing is off.',
    ),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .default('shoal')
    .describe('`service.name` of the spans this process exports (its role is the `shoal.role` attribute).'),
  SHOAL_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1_048_576)
    .describe('Largest accepted request body.'),
  SHOAL_RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe('Requests per minute per API key, session or (unauthenticated) client IP, per process.'),
  SHOAL_API_KEY_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(5_000)
    .describe(
      'How long a process keeps an authenticated API key without asking the database again (0: never). A revoked key is refused at once by the process that revoked it, and by the others within this time.',
    ),
  SHOAL_SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(24).describe('Dashboard session lifetime.'),
  SHOAL_INVITE_TTL_HOURS: z.coerce.number().int().min(1).default(168).describe('Default invite lifetime.'),
  SHOAL_COOKIE_SECURE: bool
    .default(false)
    .describe('Serve over HTTPS: mark cookies `Secure` and send `Strict-Transport-Security`.'),
  SHOAL_PUBLIC_URL: z
    .url()
    .default('http://localhost:8080')
    .describe('Base URL used in links sent by email (invites).'),
  SHOAL_DEMO: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('Create a demo tenant on first start and print a ready API key (`auto`: only on PGlite).'),
  SHOAL_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Steps one worker process runs at once.'),
  SHOAL_WORKER_POOL: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/)
    .default('shared')
    .describe('The pool whose steps this worker claims (`shoal serve --pool` overrides it).'),
  SHOAL_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(30_000)
    .describe('How long a claimed step is held without a heartbeat before another worker may retry it.'),
  SHOAL_MASTER_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]{43}=$/.test(v.trim()),
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    )
    .optional()
    .describe(
      'Master key that wraps the per-tenant keys sealing tenant secrets (webhook secrets): 32 bytes, base64. Unset on embedded PGlite: generated once into `SHOAL_DATA_DIR/master.key`; unset on PostgreSQL: features that store secrets answer 503.',
    ),
  SHOAL_MASTER_KEY_PREVIOUS: z
    .string()
    .refine(
      (v) => v.split(',').every((key) => /^[A-Za-z0-9+/]{43}=$/.test(key.trim())),
      'must be a comma-separated list of 32-byte base64 keys',
    )
    .optional()
    .describe(
      'Earlier master keys, comma-separated, still accepted for unwrapping tenant keys while a rotation is under way; `shoal secrets rewrap` re-wraps everything under `SHOAL_MASTER_KEY`, after which they can be removed (docs/security.md).',
    ),
  SHOAL_GATEWAY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(60_000)
    .describe(
      'Longest wait for one upstream LLM attempt (the first token, when streaming) before the gateway falls back to the next candidate.',
    ),
  SHOAL_GATEWAY_MAX_RETRY_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2_000)
    .describe(
      "A provider's `Retry-After` the gateway waits out before trying the same candidate again; a longer one skips to the next candidate.",
    ),
  SHOAL_ALERT_DELIVERY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(5_000)
    .describe('How often a worker sends the budget alerts due in the webhook outbox.'),
  SHOAL_ALERT_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe(
      'Attempts to deliver a budget alert to a webhook (backoff 30 s doubling to 1 h, with jitter) before the delivery is dead.',
    ),
  SHOAL_ALERT_WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      "Whether alert webhooks may be delivered to this machine (http://localhost…, for local development). Otherwise deliveries go only to public addresses, as the http step's (never metadata or private ones).",
    ),
  SHOAL_FORECAST_ALERT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(300_000)
    .describe(
      "How often a worker forecasts every tenant's budgets and fires the forecast alerts over their limit.",
    ),
  SHOAL_AUDIT_VERIFY_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(300_000)
    .describe(
      "How often a worker checks every tenant's audit chain: the events since its last check, and the whole chain once a day; a break counts shoal_audit_chain_verify_failures_total.",
    ),
  SHOAL_OPERATOR_TOKEN: z
    .string()
    .min(32)
    .regex(/^\S+$/, 'must not contain whitespace')
    .optional()
    .describe(
      'Bearer token of the operator API (`/v1/operator/…`: plans, tenant limits, live usage of every tenant), at least 32 characters (openssl rand -base64 32). Unset: the operator API answers 404 `OPERATOR_API_DISABLED`.',
    ),
  SHOAL_METRICS_TOKEN: z
    .string()
    .min(16)
    .regex(/^\S+$/, 'must not contain whitespace')
    .optional()
    .describe(
      'Bearer token Prometheus must send to `/metrics` (`Authorization: Bearer <token>`), at least 16 characters. Unset: `/metrics` is open (keep it off the public network).',
    ),
  SHOAL_METRICS_MAX_TENANTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe(
      'Tenants with their own `tenant` label in `/metrics`; the rest are summed as `tenant="other"` (docs/adr/0010-metrics-cardinality.md). Exact per-tenant figures come from the usage API.',
    ),
  SHOAL_WORKER_LIVE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .default(3_000)
    .describe(
      'A worker counts as live (live usage, `/v1/operator/pools`) when it announced itself this recently: 3 × the worker maintenance tick of 1 s.',
    ),
  SHOAL_SIGNUP_ENABLED: bool
    .default(true)
    .describe('Allow anyone to create a tenant with `POST /v1/signup`.'),
  SHOAL_TRUST_PROXY: bool.default(false).describe('Trust `X-Forwarded-For` for the client IP.'),
  SHOAL_URL: z
    .url()
    .default('http://localhost:8080')
    .describe('Server the remote CLI commands (`shoal workflow apply`) talk to; `--url` overrides it.'),
  SHOAL_API_KEY: z
    .string()
    .optional()
    .describe('API key of the remote CLI commands (`shoal workflow apply`); `--api-key` overrides it.'),
});

export type ConfigInput = z.input<typeof configSchema>;
