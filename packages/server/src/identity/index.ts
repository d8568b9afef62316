export { IdentityError, IDENTITY_ERRORS } from './errors.ts';
export type { IdentityErrorCode } from './errors.ts';
export { ROLES, canGrant, assertNever } from './roles.ts';
export type { Role } from './roles.ts';
export { PERMISSIONS, ACTIONS, isAllowed, permissionsMarkdown } from './permissions.ts';
export type { Action } from './permissions.ts';
export type { Principal, RequestMeta } from './principal.ts';
export { hashPassword, verifyPassword } from './passwords.ts';
export { generateApiKey, isWellFormedApiKey, API_KEY_PREFIX } from './api-key-format.ts';
export { sha256Hex } from './tokens.ts';
export { createTenantWithOwner, getTenant, updateTenant, listTenantIds } from './tenants.ts';
export type { Tenant } from './tenants.ts';
export { findUserByEmail } from './users.ts';
export { listMembers, changeMemberRole, removeMember } from './members.ts';
export type { Member } from './members.ts';
export {
  createApiKey,
  listApiKeys,
  getApiKey,
  revokeApiKey,
  resolveApiKey,
  resolveApiKeyEntry,
  actorRef,
} from './api-keys.ts';
export type { ApiKey } from './api-keys.ts';
export { createSession, resolveSession, revokeSession, purgeExpiredSessions } from './sessions.ts';
export type { CreatedSession, ResolvedSession } from './sessions.ts';
export { createInvite, listInvites, revokeInvite, acceptInvite } from './invites.ts';
export type { Invite } from './invites.ts';
