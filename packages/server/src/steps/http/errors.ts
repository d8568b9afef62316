import { StepError } from '../step-executor.ts';

/** Every way an http step fails, with whether another attempt may help (README.md in this folder). */
export const HTTP_STEP_ERRORS = {
  HTTP_INPUT_INVALID: { retryable: false, message: 'The http step input is invalid' },
  HTTP_ALLOW_LIST_INVALID: { retryable: false, message: "The tenant's http allow-list is invalid" },
  HTTP_DESTINATION_FORBIDDEN: {
    retryable: false,
    message: 'The destination is not a public address and is not on the allow-list',
  },
  HTTP_DNS_FAILED: { retryable: true, message: 'The host name could not be resolved' },
  HTTP_CONNECTION_FAILED: { retryable: true, message: 'The connection failed' },
  HTTP_TLS_FAILED: { retryable: false, message: "The server's TLS certificate could not be verified" },
  HTTP_TIMEOUT: { retryable: true, message: 'No complete response within the timeout' },
  HTTP_RESPONSE_TOO_LARGE: { retryable: false, message: 'The response is larger than maxResponseBytes' },
  HTTP_RESPONSE_INVALID: { retryable: false, message: 'The response could not be read' },
  HTTP_TOO_MANY_REDIRECTS: { retryable: false, message: 'The response redirected too many times' },
  HTTP_REDIRECT_INVALID: { retryable: false, message: 'The response redirected to an invalid location' },
  // 408 and 429 say "try again later"; every other 4xx will fail the same way again.
  HTTP_STATUS_4XX: { retryable: false, message: 'The server answered with a client error' },
  HTTP_STATUS_5XX: { retryable: true, message: 'The server answered with a server error' },
} as const satisfies Record<string, { retryable: boolean; message: string }>;

export type HttpStepErrorCode = keyof typeof HTTP_STEP_ERRORS;
export const HTTP_STEP_ERROR_CODES = Object.keys(HTTP_STEP_ERRORS) as HttpStepErrorCode[];

/** The response that made a step fail, kept so the run's record can show what the server said. */
export interface HttpStepErrorResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: unknown;
}

export class HttpStepError extends StepError {
  declare readonly code: HttpStepErrorCode;
  readonly response?: HttpStepErrorResponse;

  constructor(
    code: HttpStepErrorCode,
    message?: string,
    options: { cause?: unknown; retryable?: boolean; response?: HttpStepErrorResponse } = {},
  ) {
    super(
      code,
      message ?? HTTP_STEP_ERRORS[code].message,
      options.retryable ?? HTTP_STEP_ERRORS[code].retryable,
      { cause: options.cause },
    );
    this.name = 'HttpStepError';
    if (options.response) this.response = options.response;
  }
}
