import { SchedulingError } from './errors.ts';
import { LIMIT_NAMES, LIMIT_RANGES, type LimitName } from './limits.ts';

/** Throws LIMITS_INVALID for a value outside its range (null means "unset" and passes). */
export function assertLimitValues(values: Partial<Record<LimitName, number | null>>): void {
  for (const name of LIMIT_NAMES) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    const { min, max } = LIMIT_RANGES[name];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new SchedulingError('LIMITS_INVALID', `${name} must be a whole number from ${min} to ${max}`, {
        limit: name,
      });
  }
}

/** A plan's burst ceiling may not be below its guarantee (the plans table's check). */
export function assertBurstCoversGuarantee(limits: {
  guaranteedConcurrency: number;
  burstCeiling: number;
}): void {
  if (limits.burstCeiling < limits.guaranteedConcurrency)
    throw new SchedulingError(
      'LIMITS_INVALID',
      `burstCeiling (${limits.burstCeiling}) must be at least guaranteedConcurrency (${limits.guaranteedConcurrency})`,
      { limit: 'burstCeiling' },
    );
}
