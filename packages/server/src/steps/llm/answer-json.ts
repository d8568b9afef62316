import type { CompiledInputSchema } from '../../workflows/index.ts';

export type AnswerCheck = { ok: true; value: unknown } | { ok: false; problems: string[] };

/** A whole answer in one Markdown code fence, as models often send JSON despite being asked not to. */
const FENCED = /^```[A-Za-z]*\s*\n([\s\S]*?)\n?```$/;

/** Parses a chat answer as JSON and validates it against the step's output schema. */
export function checkAnswer(
  text: string | null,
  schema: Extract<CompiledInputSchema, { ok: true }>,
): AnswerCheck {
  if (text === null || text.trim() === '') return { ok: false, problems: ['the answer is empty'] };
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { ok: false, problems: [`the answer is not JSON (${(error as Error).message})`] };
  }
  const checked = schema.validate(value);
  if (checked.ok) return { ok: true, value };
  return {
    ok: false,
    problems: checked.errors.map(
      (e) => `${e.path.length === 0 ? 'the value' : `/${e.path.join('/')}`} ${e.message}`,
    ),
  };
}
