/** Errors a caller can cause in identity, with stable codes and HTTP status (docs/errors.md). */
export const IDENTITY_ERRORS = {
  INVALID_CREDENTIALS: { status: 401, message: 'Email or password is wrong' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  API_KEY_MALFORMED: { status: 401, message: 'API key is not a Shoal key or its checksum is wrong' },
  API_KEY_INVALID: { status: 401, message: 'API key is not known' },
  API_KEY_REVOKED: { status: 401, message: 'API key has been revoked' },
  API_KEY_EXPIRED: { status: 401, message: 'API key has expired' },
  SESSION_INVALID: { status: 401, message: 'Session is unknown, expired or revoked' },
  CSRF_FAILED: {
    status: 403,
    message: 'Missing or wrong X-CSRF-Token header for a cookie-authenticated request',
  },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action' },
  ROLE_NOT_GRANTABLE: { status: 403, message: 'You cannot grant a role above your own' },
  CANNOT_CHANGE_OWN_ROLE: { status: 403, message: 'You cannot change your own role' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  EMAIL_TAKEN: { status: 409, message: 'A user with this email already exists' },
  ALREADY_MEMBER: { status: 409, message: 'This user is already a member of the tenant' },
  LAST_OWNER: { status: 409, message: 'A tenant must keep at least one owner' },
  INVITE_INVALID: { status: 400, message: 'Invite token is unknown, expired, revoked or already used' },
  TIME_ZONE_INVALID: { status: 422, message: 'Not an IANA time zone name' },
  TENANT_REQUIRED: { status: 400, message: 'You belong to several tenants; say which one with tenantId' },
} as const satisfies Record<string, { status: number; message: string }>;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;

export class IdentityError extends Error {
  readonly status: number;
  constructor(
    readonly code: IdentityErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? IDENTITY_ERRORS[code].message);
    this.name = 'IdentityError';
    this.status = IDENTITY_ERRORS[code].status;
  }
}
