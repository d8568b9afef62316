import { pino, stdSerializers, type Logger } from 'pino';
import { redactDeep, redactFields, redactText, REDACTED } from './redact.ts';

export type { Logger };

/**
 * Paths never written to logs: credentials in requests. Fields named like secrets anywhere in
 * a line's first levels are censored by `redactFields` instead: wildcard paths cost ~1 µs each
 * per line (fast-redact walks every key for each).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
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
        // Secret-named fields of the line's first levels and its top-level strings (errors: above).
        log: (object) => redactFields(object),
      },
      hooks: {
        // The message text, which formatters never see (`log.error(`… ${error.message}`)`).
        logMethod(args, method) {
          let clean = args;
          for (const [index, arg] of args.entries()) {
            const text = typeof arg === 'string' ? redactText(arg) : arg;
            if (text !== arg) (clean = clean === args ? [...args] : clean)[index] = text;
          }
          method.apply(this, clean);
        },
      },
    },
    options.destination ?? process.stdout,
  );
}
