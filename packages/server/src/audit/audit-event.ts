import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

export const ACTOR_TYPES = ['user', 'api_key', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const AUDIT_RESULTS = ['success', 'failure'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

export interface Actor {
  type: ActorType;
  id: string | null;
}

/** What a caller says about a change; the log adds seq, id, time and the chain. */
export interface AuditEventInput {
  actor: Actor;
  action: string;
  target?: { type: string; id: string } | null;
  requestId?: string | null;
  ip?: string | null;
  result?: AuditResult;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  tenantId: string;
  seq: number;
  id: string;
  occurredAt: string;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  ip: string | null;
  result: AuditResult;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash = sha256(prev_hash "\n" canonical(event without hashes)). */
export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  const body = {
    tenantId: event.tenantId,
    seq: event.seq,
    id: event.id,
    occurredAt: event.occurredAt,
    actorType: event.actorType,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    requestId: event.requestId,
    ip: event.ip,
    result: event.result,
    details: event.details,
  };
  return createHash('sha256').update(event.prevHash).update('\n').update(canonicalJson(body)).digest('hex');
}
