export const DB_ERROR_CODES = [
  'MIGRATION_CHECKSUM_MISMATCH',
  'MIGRATION_UNKNOWN',
  'MIGRATION_FILES_INVALID',
  'DB_UNAVAILABLE',
] as const;
export type DbErrorCode = (typeof DB_ERROR_CODES)[number];

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DbError';
  }
}

/** SQLSTATE of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  duplicateObject: '42710',
  insufficientPrivilege: '42501',
} as const;
