import { z } from 'zod';
import { ACTOR_TYPES, AUDIT_RESULTS, CHAIN_BREAKS } from '../audit/index.ts';
import { ROLES } from '../identity/index.ts';

/** Shapes shared by several routes; each becomes a named component in the OpenAPI document. */
export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' });
export const IdParams = z.strictObject({ id: z.uuid() });
export const UserIdParams = z.strictObject({ userId: z.uuid() });
const timestamp = z.iso.datetime();

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable error code; see docs/errors.md' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export const TenantSchema = z
  .object({ id: z.uuid(), name: z.string(), plan: z.string(), timeZone: z.string(), createdAt: timestamp })
  .meta({ id: 'Tenant' });

export const MemberSchema = z
  .object({ userId: z.uuid(), email: z.string(), name: z.string(), role: RoleSchema, joinedAt: timestamp })
  .meta({ id: 'Member' });

export const InviteSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    invitedBy: z.string(),
    createdAt: timestamp,
    expiresAt: timestamp,
    acceptedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'Invite' });

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: RoleSchema,
    prefix: z.string().meta({ description: 'First characters of the key, to tell keys apart' }),
    createdBy: z.string(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const AuditEventSchema = z
  .object({
    tenantId: z.uuid(),
    seq: z.number().int(),
    id: z.uuid(),
    occurredAt: timestamp,
    actorType: z.enum(ACTOR_TYPES),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    result: z.enum(AUDIT_RESULTS),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const AuditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    headSeq: z.number().int(),
    headHash: z.string(),
    firstBroken: z.object({ seq: z.number().int(), id: z.uuid(), reason: z.enum(CHAIN_BREAKS) }).nullable(),
  })
  .meta({ id: 'AuditVerifyResult' });

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

export const Email = z.email().max(320);
export const Password = z.string().min(12, 'must be at least 12 characters').max(200);
export const Name = z.string().trim().min(1).max(200);
