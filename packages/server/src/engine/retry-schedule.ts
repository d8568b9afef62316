/** How a step retries: `maxAttempts` in all, waiting `initialMs * factor^(n-1)`, capped, less jitter. */
export interface RetryPolicy {
  maxAttempts: number;
  initialMs: number;
  factor: number;
  maxMs: number;
  /** 0..1: the share of each delay that is randomised away (full jitter at 1). */
  jitter: number;
  /** Error codes that fail the step at once. */
  nonRetryable: readonly string[];
}

export const NO_RETRY: RetryPolicy = {
  maxAttempts: 1,
  initialMs: 1000,
  factor: 2,
  maxMs: 60_000,
  jitter: 0,
  nonRetryable: [],
};

/** The wait before attempt `failedAttempt + 1`; `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failedAttempt - 1));
  return Math.round(base * (1 - policy.jitter * random));
}

/** Whether a failure of `failedAttempt` with `errorCode` gets another attempt. */
export function shouldRetry(
  policy: RetryPolicy,
  failedAttempt: number,
  errorCode: string,
  retryable = true,
): boolean {
  return retryable && failedAttempt < policy.maxAttempts && !policy.nonRetryable.includes(errorCode);
}
