import type { Queryable } from '../db/index.ts';

/**
 * Every transaction that changes a run's steps locks the run first, so they take their locks in
 * one order (run, queue row, step) and cannot deadlock (ARCHITECTURE.md, "Lock order"). A child
 * run (a `workflow` step's) locks its tree's root first, then itself: a child finishing and its
 * parent being cancelled take the same root lock. Returns the run's state, or null when unseen.
 */
export async function lockRun(tx: Queryable, tenantId: string, runId: string): Promise<string | null> {
  // One statement for a root run, which is nearly every run.
  const root = await tx.query<{ state: string }>(
    'select state from runs where tenant_id = $1 and id = $2 and root_run_id = id for update',
    [tenantId, runId],
  );
  if (root.rows[0]) return root.rows[0].state;
  const tree = await tx.query(
    `select 1 from runs where tenant_id = $1
        and id = (select root_run_id from runs where tenant_id = $1 and id = $2) for update`,
    [tenantId, runId],
  );
  if (tree.rows.length === 0) return null;
  const child = await tx.query<{ state: string }>(
    'select state from runs where tenant_id = $1 and id = $2 for update',
    [tenantId, runId],
  );
  return child.rows[0]?.state ?? null;
}

/**
 * A run whose first step has started, or whose steps move again after a wait, is running; done
 * here, under the run lock, not in the claim.
 */
export async function markRunRunning(tx: Queryable, tenantId: string, runId: string): Promise<void> {
  await tx.query(
    `update runs set state = 'running', started_at = coalesce(started_at, now())
      where tenant_id = $1 and id = $2 and state in ('queued', 'waiting')`,
    [tenantId, runId],
  );
}

/**
 * An open run is `waiting` while none of its steps is ready or running (all it can do is wait
 * for a time, a person, a task or a child run), and `running` otherwise. After a park or a
 * resolved wait; the caller holds the run lock.
 */
export async function syncRunWaiting(tx: Queryable, tenantId: string, runId: string): Promise<void> {
  await tx.query(
    `update runs r
        set state = case when exists (select 1 from run_steps s where s.tenant_id = r.tenant_id and s.run_id = r.id
                                         and s.state in ('ready', 'running'))
                         then 'running' else 'waiting' end
      where r.tenant_id = $1 and r.id = $2 and r.state in ('running', 'waiting')`,
    [tenantId, runId],
  );
}
