import { CliUsageError } from '../cli-error.ts';

/** 1_250_000 → "1.25", 3_000_000 → "3.00": exact, no floating point, at least two decimals. */
export function usd(microUsd: number): string {
  const sign = microUsd < 0 ? '-' : '';
  const abs = Math.abs(microUsd);
  const fraction = String(abs % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}${Math.floor(abs / 1_000_000)}.${fraction.padEnd(2, '0')}`;
}

/** Spent of limit in percent, whole, for summaries. */
export const percentOf = (part: number, whole: number) => (whole > 0 ? Math.floor((part * 100) / whole) : 0);

/** "50,80,100" → [50, 80, 100]; the API checks the range and order. */
export function parseThresholds(value: string, usage: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d{1,3}$/.test(part)))
    throw new CliUsageError(
      `--thresholds must be comma-separated percentages, e.g. 50,80,100 (got "${value}")`,
      usage,
    );
  return parts.map(Number);
}

export function requirePositiveInteger(value: string, name: string, usage: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value))
    throw new CliUsageError(`--${name} must be a positive integer (got "${value}")`, usage);
  return Number(value);
}
