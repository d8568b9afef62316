export {
  appendAuditEvent,
  auditHeadMatches,
  listAuditEvents,
  verifyAuditChain,
  CHAIN_BREAKS,
} from './audit-log.ts';
export type { AuditFilter, VerifyResult, ChainBreak } from './audit-log.ts';
export { ACTOR_TYPES, AUDIT_RESULTS, GENESIS_HASH, hashAuditEvent } from './audit-event.ts';
export type { Actor, ActorType, AuditEvent, AuditEventInput, AuditResult } from './audit-event.ts';
export { canonicalJson } from './canonical-json.ts';
