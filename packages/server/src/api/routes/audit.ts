import { z } from 'zod';
import { AUDIT_RESULTS, listAuditEvents, verifyAuditChain } from '../../audit/index.ts';
import { tenantRoute } from '../route.ts';
import { AuditEventSchema, AuditVerifySchema } from '../schemas.ts';

const cursor = z.string().regex(/^\d+$/, 'must be a cursor from nextCursor');

export const auditRoutes = [
  tenantRoute({
    method: 'GET',
    url: '/v1/audit-events',
    operationId: 'listAuditEvents',
    auth: 'audit.read',
    tag: 'audit',
    summary: 'Audit events, newest first',
    query: z.strictObject({
      action: z.string().max(100).optional(),
      actorId: z.string().max(100).optional(),
      targetType: z.string().max(100).optional(),
      targetId: z.string().max(100).optional(),
      result: z.enum(AUDIT_RESULTS).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: cursor.optional(),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(AuditEventSchema), nextCursor: z.string().nullable() }),
      description: 'A page of events; pass nextCursor as cursor for the next',
    },
    handler: async ({ tx, principal }, { query }) => {
      const events = await listAuditEvents(tx, principal.tenantId, {
        action: query.action,
        actorId: query.actorId,
        targetType: query.targetType,
        targetId: query.targetId,
        result: query.result,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
        beforeSeq: query.cursor ? Number(query.cursor) : undefined,
        limit: query.limit,
      });
      const last = events.at(-1);
      return {
        body: { data: events, nextCursor: events.length === query.limit && last ? String(last.seq) : null },
      };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/audit-events/verify',
    operationId: 'verifyAuditChain',
    auth: 'audit.verify',
    tag: 'audit',
    summary: "Verify the tenant's hash chain; reports the first broken link",
    success: { status: 200, schema: AuditVerifySchema, description: 'Verification result' },
    handler: async ({ tx, principal, deps }) => {
      const result = await verifyAuditChain(tx, principal.tenantId);
      return {
        body: result,
        audit: { target: null, details: { ok: result.ok, checked: result.checked } },
        ...(result.ok ? {} : { afterCommit: () => deps.metrics?.auditVerifyFailed(principal.tenantId) }),
      };
    },
  }),
];
