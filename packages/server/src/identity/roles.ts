export const ROLES = ['owner', 'admin', 'developer', 'operator', 'viewer', 'billing'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may hand out which role (to a member, an invite or an API key): an owner any role,
 * an admin any but owner, everyone else only their own role or viewer.
 */
export function canGrant(granter: Role, role: Role): boolean {
  switch (granter) {
    case 'owner':
      return true;
    case 'admin':
      return role !== 'owner';
    case 'developer':
    case 'operator':
    case 'viewer':
    case 'billing':
      return role === granter || role === 'viewer';
    default:
      return assertNever(granter);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
