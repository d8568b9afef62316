import { pino, stdSerializers, type Logger } from 'pino';
import { redactDeep, redactText, REDACTED } from './redact.ts';

export type { Logger };

/** Paths never written to logs: credentials in requests and in our own log objects. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'req.headers["x-shoal-signature"]',
  'res.headers["set-cookie"]',
  'password',
  'apiKey',
  'secret',
  'token',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.key',
  '*.secret',
  '*.signingSecret',
  '*.masterKey',
  '*.platformKey',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.cookie',
];

/** An error as pino's serializer writes it, then with secret fields censored and text scrubbed. */
function serializeError(error: unknown): unknown {
  return redactDeep(error instanceof Error ? stdSerializers.err(error) : error);
}

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      base: { service: 'shoal' },
      serializers: { err: serializeError, error: serializeError },
      formatters: {
        // Top-level strings only: a pattern scan of every nested value would cost on hot paths.
        log(object) {
          let copy: Record<string, unknown> | null = null;
          for (const [field, value] of Object.entries(object)) {
            if (typeof value !== 'string') continue;
            const clean = redactText(value);
            if (clean !== value) (copy ??= { ...object })[field] = clean;
          }
          return copy ?? object;
        },
      },
      hooks: {
        // The message text, which formatters never see (`log.error(`… ${error.message}`)`).
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination ?? process.stdout,
  );
}
