/**
 * End-of-period spend projected from the period's daily spend, weighted to recent days
 * (docs/adr/0009-budget-alerts.md, "Forecast"). Days are 24-hour slices from the period's start;
 * a complete slice k days before the current one weighs DECAY^k, the current (partial) slice
 * weighs the fraction f of it elapsed, with its spend c counted at its rate c / f:
 *
 *   rate = (c + Σ DECAY^age · s) / (f + Σ DECAY^age)         projected = spent + rate · days left
 */
export const FORECAST_DECAY = 0.5;
export const DAY_MS = 86_400_000;

export interface ForecastInput {
  periodStart: Date;
  periodEnd: Date;
  at: Date;
  limitMicroUsd: number;
  /** What the period spent so far (its budget_periods row). */
  spentMicroUsd: number;
  /** Spend per slice, index 0 the first slice of the period; missing slices spent nothing. */
  daily: ReadonlyMap<number, number>;
}

export interface Forecast {
  /** The weighted daily rate, whole micro-USD. */
  dailyRateMicroUsd: number;
  projectedMicroUsd: number;
  exceedsLimit: boolean;
  /** When spend reaches the limit at that rate: `at` if it has, null if not before the period ends. */
  projectedExhaustionAt: string | null;
  /** The projection may fire an alert: a day, or a quarter of a shorter period, has elapsed. */
  enoughHistory: boolean;
}

export function computeForecast(input: ForecastInput, decay = FORECAST_DECAY): Forecast {
  const { periodStart, periodEnd, at, limitMicroUsd, spentMicroUsd } = input;
  const elapsedMs = Math.max(0, Math.min(at.getTime(), periodEnd.getTime()) - periodStart.getTime());
  const complete = Math.floor(elapsedMs / DAY_MS);
  const fraction = (elapsedMs - complete * DAY_MS) / DAY_MS;
  let numerator = input.daily.get(complete) ?? 0;
  let denominator = fraction;
  for (let k = 0; k < complete; k += 1) {
    const weight = decay ** (complete - k);
    numerator += weight * (input.daily.get(k) ?? 0);
    denominator += weight;
  }
  const rate = denominator > 0 ? numerator / denominator : 0;
  const leftDays = Math.max(0, periodEnd.getTime() - at.getTime()) / DAY_MS;
  const projected = Math.round(spentMicroUsd + rate * leftDays);
  let exhaustion: string | null = null;
  if (spentMicroUsd >= limitMicroUsd) exhaustion = at.toISOString();
  else if (rate > 0 && projected > limitMicroUsd)
    exhaustion = new Date(
      at.getTime() + Math.round(((limitMicroUsd - spentMicroUsd) / rate) * DAY_MS),
    ).toISOString();
  const periodMs = periodEnd.getTime() - periodStart.getTime();
  return {
    dailyRateMicroUsd: Math.round(rate),
    projectedMicroUsd: projected,
    exceedsLimit: projected > limitMicroUsd,
    projectedExhaustionAt: exhaustion,
    enoughHistory: elapsedMs >= Math.min(DAY_MS, periodMs / 4),
  };
}
