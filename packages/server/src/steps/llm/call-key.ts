import { createHash } from 'node:crypto';

/**
 * The gateway idempotency key of the `call`-th LLM call of a step (0 first, then each re-ask).
 * Unlike the attempt's key it leaves the attempt out: an attempt that crashed after the gateway
 * answered is re-run with the same keys, and gets the recorded answers back without a charge.
 */
export function llmCallKey(runId: string, stepKey: string, call: number): string {
  return `llm:${createHash('sha256').update(`${runId}\n${stepKey}\n${call}`).digest('hex')}`;
}
