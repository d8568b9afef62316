import type { z } from 'zod';
import { ApiError } from './errors.ts';

/** Parses one part of a request; unknown fields get their own code so callers can tell. */
export function parsePart<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  part: string,
): z.output<S> | undefined {
  if (!schema) {
    // A part the route does not take is refused like any unknown field, never silently ignored.
    const fields = typeof value === 'object' && value !== null ? Object.keys(value) : [];
    if (fields.length === 0) return undefined;
    throw new ApiError(
      'UNKNOWN_FIELD',
      `The ${part} has fields this endpoint does not accept: ${fields.join(', ')}`,
      {
        fields,
        issues: [
          { path: part, code: 'unrecognized_keys', message: `Unrecognized keys: ${fields.join(', ')}` },
        ],
      },
    );
  }
  const parsed = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (parsed.success) {
    // PostgreSQL text cannot hold NUL: refuse it here rather than fail inside a query with a 500.
    const nul = nulPaths(parsed.data, [part]);
    if (nul.length === 0) return parsed.data;
    const issues = nul.map((path) => ({
      path,
      code: 'invalid_format',
      message: 'must not contain NUL characters',
    }));
    throw new ApiError(
      'VALIDATION_FAILED',
      `Invalid ${part}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );
  }
  const issues = parsed.error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
  if (parsed.error.issues.every((issue) => issue.code === 'unrecognized_keys')) {
    const fields = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys : [],
    );
    throw new ApiError(
      'UNKNOWN_FIELD',
      `The ${part} has fields this endpoint does not accept: ${fields.join(', ')}`,
      {
        fields,
        issues,
      },
    );
  }
  throw new ApiError(
    'VALIDATION_FAILED',
    `Invalid ${part}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    {
      issues,
    },
  );
}

function nulPaths(value: unknown, path: string[]): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path.join('.')] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => nulPaths(item, [...path, key]));
}
