import { z } from 'zod';
import { changeMemberRole, listMembers, removeMember } from '../../identity/index.ts';
import { tenantRoute } from '../route.ts';
import { listOf, MemberSchema, RoleSchema, UserIdParams } from '../schemas.ts';

export const memberRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/members',
    operationId: 'listMembers',
    auth: 'members.list',
    tag: 'members',
    summary: 'List the members of the tenant',
    success: { status: 200, schema: listOf(MemberSchema), description: 'Members' },
    handler: async ({ tx }) => ({ body: { data: await listMembers(tx) } }),
  }),
  tenantRoute({
    method: 'PATCH',
    url: '/v1/members/:userId',
    operationId: 'updateMember',
    auth: 'members.update',
    tag: 'members',
    summary: "Change a member's role (not your own)",
    params: UserIdParams,
    body: z.strictObject({ role: RoleSchema }),
    success: { status: 200, schema: MemberSchema, description: 'The member' },
    handler: async ({ tx, principal }, { params, body }) => {
      const member = await changeMemberRole(tx, principal, params.userId, body.role);
      return {
        body: member,
        audit: { target: { type: 'user', id: member.userId }, details: { role: body.role } },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/members/:userId',
    operationId: 'removeMember',
    auth: 'members.remove',
    tag: 'members',
    summary: 'Remove a member (their sessions end)',
    params: UserIdParams,
    success: { status: 204, schema: null, description: 'Removed' },
    handler: async ({ tx, principal }, { params }) => {
      const member = await removeMember(tx, principal, params.userId);
      return { audit: { target: { type: 'user', id: member.userId }, details: { role: member.role } } };
    },
  }),
];
