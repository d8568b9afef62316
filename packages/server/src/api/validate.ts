import type { z } from 'zod';
import { ApiError } from './errors.ts';

/** Parses one part of a request; unknown fields get their own code so callers can tell. */
export function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, part: string): z.output<S> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
  if (parsed.error.issues.every((issue) => issue.code === 'unrecognized_keys')) {
    const fields = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
    throw new ApiError('UNKNOWN_FIELD', `The ${part} has fields this endpoint does not accept: ${fields.join(', ')}`, {
      fields,
      issues,
    });
  }
  throw new ApiError('VALIDATION_FAILED', `Invalid ${part}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    issues,
  });
}
