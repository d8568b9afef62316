/** Errors of secrets/, with stable codes and HTTP status (docs/errors.md). */
export const SECRETS_ERRORS = {
  SECRETS_UNAVAILABLE: {
    status: 503,
    message: 'This deployment has no master key (SHOAL_MASTER_KEY), so it cannot store secrets',
  },
  SECRETS_MASTER_KEY_MISMATCH: {
    status: 500,
    message: "The tenant's data key was wrapped by another master key than the one configured",
  },
  SECRET_UNREADABLE: { status: 500, message: 'A stored secret could not be decrypted' },
  SECRET_NAME_TAKEN: { status: 409, message: 'A secret of another kind already has this name' },
  PROVIDER_NOT_FOUND: { status: 404, message: 'No enabled LLM provider of this name' },
  PROVIDER_KEY_NOT_FOUND: { status: 404, message: 'The tenant has no key of this provider' },
  PROVIDER_NEEDS_NO_KEY: {
    status: 422,
    message: 'The simulated provider runs inside Shoal and takes no API key',
  },
  PROVIDER_INVALID: {
    status: 422,
    message: 'An openai or anthropic provider needs an http(s) baseUrl',
  },
  PROVIDER_BUILTIN: {
    status: 409,
    message: 'The simulated provider is built in and cannot be deleted; disable it instead',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type SecretsErrorCode = keyof typeof SECRETS_ERRORS;

export class SecretsError extends Error {
  readonly status: number;
  constructor(
    readonly code: SecretsErrorCode,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? SECRETS_ERRORS[code].message, options);
    this.name = 'SecretsError';
    this.status = SECRETS_ERRORS[code].status;
  }
}
