import { StepError } from '../step-executor.ts';

/** Ways an llm step fails besides the gateway's own errors, whose codes it keeps (gateway-step-error.ts). */
export const LLM_STEP_ERRORS = {
  LLM_GATEWAY_UNAVAILABLE: {
    retryable: false,
    message: 'This worker has no LLM gateway, so it cannot run llm steps',
  },
  LLM_INPUT_INVALID: {
    retryable: false,
    message: "The llm step's input, with its expressions evaluated, is invalid",
  },
  // Not retryable: the step already re-asked `output.retries` times, and another attempt replays the same calls.
  LLM_OUTPUT_INVALID: {
    retryable: false,
    message: "The model's answer is not JSON that matches the output schema",
  },
} as const satisfies Record<string, { retryable: boolean; message: string }>;

export type LlmStepErrorCode = keyof typeof LLM_STEP_ERRORS;

export class LlmStepError extends StepError {
  declare readonly code: LlmStepErrorCode;

  constructor(code: LlmStepErrorCode, message?: string, options: { cause?: unknown } = {}) {
    super(code, message ?? LLM_STEP_ERRORS[code].message, LLM_STEP_ERRORS[code].retryable, options);
    this.name = 'LlmStepError';
  }
}
