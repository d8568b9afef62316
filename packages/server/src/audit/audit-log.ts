import { randomUUID } from 'node:crypto';
import { noteCommitEvent, type Queryable } from '../db/index.ts';
import {
  GENESIS_HASH,
  hashAuditEvent,
  type ActorType,
  type AuditEvent,
  type AuditEventInput,
  type AuditResult,
} from './audit-event.ts';

interface AuditRow {
  tenant_id: string;
  seq: number;
  id: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  result: AuditResult;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  [key: string]: unknown;
}

const COLUMNS = `tenant_id, seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id,
  request_id, ip, result, details, prev_hash, hash`;

function fromRow(row: AuditRow): AuditEvent {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    ip: row.ip,
    result: row.result,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends one event in the caller's transaction, so it commits or rolls back with the change.
 * A per-tenant transaction-scoped advisory lock orders appends; the app role can only insert.
 */
export async function appendAuditEvent(
  tx: Queryable,
  tenantId: string,
  input: AuditEventInput,
  now: Date = new Date(),
): Promise<AuditEvent> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('shoal:audit:' || $1, 0))`, [tenantId]);
  const last = await tx.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_events where tenant_id = $1 order by seq desc limit 1',
    [tenantId],
  );
  const prev = last.rows[0];
  const unsigned: Omit<AuditEvent, 'hash'> = {
    tenantId,
    seq: (prev?.seq ?? 0) + 1,
    id: randomUUID(),
    occurredAt: new Date(Math.floor(now.getTime())).toISOString(),
    actorType: input.actor.type,
    actorId: input.actor.id,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    result: input.result ?? 'success',
    details: input.details ?? {},
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  const event: AuditEvent = { ...unsigned, hash: hashAuditEvent(unsigned) };
  await tx.query(
    `insert into audit_events (${COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      event.tenantId,
      event.seq,
      event.id,
      event.occurredAt,
      event.actorType,
      event.actorId,
      event.action,
      event.targetType,
      event.targetId,
      event.requestId,
      event.ip,
      event.result,
      JSON.stringify(event.details),
      event.prevHash,
      event.hash,
    ],
  );
  noteCommitEvent(tx, { type: 'audit.appended', tenantId, action: event.action });
  return event;
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  result?: AuditResult | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Newest first; return events with seq below this. */
  beforeSeq?: number | undefined;
  limit: number;
}

/** Newest first, keyset-paginated by seq. */
export async function listAuditEvents(
  tx: Queryable,
  tenantId: string,
  filter: AuditFilter,
): Promise<AuditEvent[]> {
  const result = await tx.query<AuditRow>(
    `select ${COLUMNS} from audit_events
      where tenant_id = $1
        and ($2::text is null or action = $2)
        and ($3::text is null or actor_id = $3)
        and ($4::text is null or target_type = $4)
        and ($5::text is null or target_id = $5)
        and ($6::text is null or result = $6)
        and ($7::timestamptz is null or occurred_at >= $7)
        and ($8::timestamptz is null or occurred_at < $8)
        and ($9::bigint is null or seq < $9)
      order by seq desc limit $10`,
    [
      tenantId,
      filter.action ?? null,
      filter.actorId ?? null,
      filter.targetType ?? null,
      filter.targetId ?? null,
      filter.result ?? null,
      filter.since ?? null,
      filter.until ?? null,
      filter.beforeSeq ?? null,
      filter.limit,
    ],
  );
  return result.rows.map(fromRow);
}

/**
 * Whether event `head.seq` still exists with `head.hash`: a head kept from an earlier
 * verification is an anchor, so a truncation or rewrite of the newest events shows as a mismatch.
 */
export async function auditHeadMatches(
  tx: Queryable,
  tenantId: string,
  head: { seq: number; hash: string },
): Promise<boolean> {
  if (head.seq === 0) return true;
  const result = await tx.query<{ hash: string }>(
    'select hash from audit_events where tenant_id = $1 and seq = $2',
    [tenantId, head.seq],
  );
  return result.rows[0]?.hash === head.hash;
}

export const CHAIN_BREAKS = ['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBroken: { seq: number; id: string; reason: ChainBreak } | null;
}

/**
 * Walks the tenant's chain and reports the first event that does not link: from the start, or
 * from a head an earlier walk verified (`from`), so a periodic check reads only what is new.
 */
export async function verifyAuditChain(
  tx: Queryable,
  tenantId: string,
  pageSize = 1000,
  from?: { seq: number; hash: string },
): Promise<VerifyResult> {
  let prevHash = from?.hash ?? GENESIS_HASH;
  let expectedSeq = (from?.seq ?? 0) + 1;
  let checked = 0;
  for (;;) {
    const page = await tx.query<AuditRow>(
      `select ${COLUMNS} from audit_events where tenant_id = $1 and seq >= $2 order by seq limit $3`,
      [tenantId, expectedSeq, pageSize],
    );
    for (const row of page.rows) {
      const event = fromRow(row);
      const reason: ChainBreak | null =
        event.seq !== expectedSeq
          ? 'sequence_gap'
          : event.prevHash !== prevHash
            ? 'prev_hash_mismatch'
            : hashAuditEvent(event) !== event.hash
              ? 'hash_mismatch'
              : null;
      if (reason) {
        return {
          ok: false,
          checked,
          headSeq: expectedSeq - 1,
          headHash: prevHash,
          firstBroken: { seq: event.seq, id: event.id, reason },
        };
      }
      checked += 1;
      prevHash = event.hash;
      expectedSeq = event.seq + 1;
    }
    if (page.rows.length < pageSize) break;
  }
  return { ok: true, checked, headSeq: expectedSeq - 1, headHash: prevHash, firstBroken: null };
}
