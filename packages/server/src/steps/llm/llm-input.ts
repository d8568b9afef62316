import type { z } from 'zod';
import { LlmStepError } from './errors.ts';

/** Issue messages with their paths; of a union (literal or expression), the literal's issues. */
function describeIssues(issues: readonly z.core.$ZodIssue[], base: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0)
      return describeIssues(issue.errors[issue.errors.length - 1] ?? [], path);
    return [`${path.length === 0 ? 'with' : path.map(String).join('.')}: ${issue.message}`];
  });
}

/**
 * The step's `with` after its expressions ran, checked against the same schema as the
 * definition: an expression may give a value the literal could not have been.
 */
export function parseLlmInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new LlmStepError(
    'LLM_INPUT_INVALID',
    `The step's input is invalid: ${describeIssues(parsed.error.issues).join('; ')}`,
    { cause: parsed.error },
  );
}
