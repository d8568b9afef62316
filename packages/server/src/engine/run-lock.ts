import type { Queryable } from '../db/index.ts';

/**
 * Every transaction that changes a run's steps locks the run row first, so they take their
 * locks in one order (run, queue row, step) and cannot deadlock (ARCHITECTURE.md, "Lock order").
 * Returns the run's state, or null when the run is not visible.
 */
export async function lockRun(tx: Queryable, tenantId: string, runId: string): Promise<string | null> {
  const result = await tx.query<{ state: string }>(
    'select state from runs where tenant_id = $1 and id = $2 for update',
    [tenantId, runId],
  );
  return result.rows[0]?.state ?? null;
}

/** A run whose first step has started is running; done here, under the run lock, not in the claim. */
export async function markRunRunning(tx: Queryable, tenantId: string, runId: string): Promise<void> {
  await tx.query(
    `update runs set state = 'running', started_at = coalesce(started_at, now())
      where tenant_id = $1 and id = $2 and state = 'queued'`,
    [tenantId, runId],
  );
}
