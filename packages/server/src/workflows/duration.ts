import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d{1,9}(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** The longest duration the format accepts anywhere: one year. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

/** `1h30m` → 5_400_000; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** A duration string such as `500ms`, `30s`, `5m`, `1h30m` or `7d`, from 1 ms up to a year. */
export const Duration = z
  .string()
  .regex(DURATION, 'must be a duration such as 500ms, 30s, 5m, 1h30m or 7d')
  .refine((text) => {
    // Only the range: the pattern above has already reported a malformed duration.
    const ms = parseDuration(text);
    return ms === null || (ms >= 1 && ms <= MAX_DURATION_MS);
  }, 'must be between 1ms and 366d')
  .meta({ description: 'A duration: digits and a unit (ms, s, m, h, d), e.g. 30s or 1h30m' });
