import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths never written to logs: credentials in requests and in our own log objects. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.key',
  '*.secret',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'shoal' },
    },
    options.destination ?? process.stdout,
  );
}
