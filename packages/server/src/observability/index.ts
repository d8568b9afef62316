export { createLogger, REDACT_PATHS } from './logger.ts';
export type { Logger } from './logger.ts';
