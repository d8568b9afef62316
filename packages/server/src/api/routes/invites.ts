import { z } from 'zod';
import { acceptInvite, createInvite, listInvites, revokeInvite } from '../../identity/index.ts';
import { publicRoute, tenantRoute } from '../route.ts';
import { Email, IdParams, InviteSchema, listOf, Name, RoleSchema } from '../schemas.ts';

export const inviteRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/invites',
    operationId: 'listInvites',
    auth: 'invites.list',
    tag: 'members',
    summary: 'List invites',
    success: { status: 200, schema: listOf(InviteSchema), description: 'Invites' },
    handler: async ({ tx }) => ({ body: { data: await listInvites(tx) } }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/invites',
    operationId: 'createInvite',
    auth: 'invites.create',
    tag: 'members',
    summary: 'Invite someone by email (the email goes to the outbox)',
    body: z.strictObject({
      email: Email,
      role: RoleSchema,
      expiresInHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .optional(),
    }),
    success: { status: 201, schema: InviteSchema, description: 'The invite' },
    handler: async ({ tx, principal, deps }, { body }) => {
      const invite = await createInvite(tx, principal.tenantId, {
        email: body.email,
        role: body.role,
        ttlHours: body.expiresInHours ?? deps.config.SHOAL_INVITE_TTL_HOURS,
        invitedBy: principal.actor,
        granterRole: principal.role,
        publicUrl: deps.config.SHOAL_PUBLIC_URL,
      });
      return {
        body: invite,
        audit: { target: { type: 'invite', id: invite.id }, details: { role: invite.role } },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/invites/:id',
    operationId: 'revokeInvite',
    auth: 'invites.revoke',
    tag: 'members',
    summary: 'Revoke an invite',
    params: IdParams,
    success: { status: 200, schema: InviteSchema, description: 'The revoked invite' },
    handler: async ({ tx, principal }, { params }) => {
      const invite = await revokeInvite(tx, principal, params.id);
      return { body: invite, audit: { target: { type: 'invite', id: invite.id } } };
    },
  }),
  publicRoute({
    method: 'POST',
    url: '/v1/invites/accept',
    operationId: 'acceptInvite',
    tag: 'members',
    summary: 'Accept an invite: join the tenant (creating the user if new)',
    body: z.strictObject({
      token: z.string().min(1).max(200),
      password: z.string().min(12).max(200),
      name: Name.optional(),
    }),
    success: {
      status: 200,
      schema: z.object({ tenantId: z.uuid(), userId: z.uuid(), role: RoleSchema }),
      description: 'Joined; log in with POST /v1/sessions',
    },
    handler: async ({ deps, meta }, { body }) => ({
      body: await deps.db.systemTx((sys) => acceptInvite(sys, body, meta)),
    }),
  }),
];
