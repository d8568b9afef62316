import { auditHeadMatches, verifyAuditChain } from '../audit/index.ts';
import type { Database } from '../db/index.ts';
import { listTenantIds } from '../identity/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';

/** How often the whole of every chain is walked again, not only the events since the last check. */
export const AUDIT_FULL_CHECK_MS = 24 * 60 * 60 * 1000;

export interface AuditChainCheck {
  /** Checks every tenant's chain once; resolves to the tenants whose chain is broken. */
  pass(now: Date): Promise<string[]>;
}

/**
 * The worker's audit chain check (ADR 0003): each pass checks that the head this process last
 * verified is unchanged (an anchor: the newest events were not truncated or rewritten) and
 * verifies the events appended since; the whole chain is walked once a day (an edit of an old
 * event shows only then). A broken chain is reported on every pass until it is repaired.
 */
export function createAuditChainCheck(deps: {
  db: Database;
  logger: Logger;
  metrics?: Metrics | undefined;
}): AuditChainCheck {
  const heads = new Map<string, { seq: number; hash: string }>();
  let lastFull = Number.NEGATIVE_INFINITY;
  return {
    async pass(now) {
      const full = now.getTime() - lastFull >= AUDIT_FULL_CHECK_MS;
      const broken: string[] = [];
      const tenantIds = await deps.db.systemTx((sys) => listTenantIds(sys));
      for (const tenantId of tenantIds) {
        const from = full ? undefined : heads.get(tenantId);
        const result = await deps.db.systemTx(async (sys) => {
          if (from && !(await auditHeadMatches(sys, tenantId, from)))
            return { ok: false, firstBroken: { seq: from.seq, reason: 'head_changed' } } as const;
          return verifyAuditChain(sys, tenantId, 1000, from);
        });
        if (result.ok) {
          heads.set(tenantId, { seq: result.headSeq, hash: result.headHash });
          continue;
        }
        // Walked whole again next time, so a break found once is reported until it is repaired.
        heads.delete(tenantId);
        broken.push(tenantId);
        deps.metrics?.auditVerifyFailed(tenantId);
        deps.logger.error({ tenantId, firstBroken: result.firstBroken }, 'audit chain is broken');
      }
      if (full) lastFull = now.getTime();
      return broken;
    },
  };
}
