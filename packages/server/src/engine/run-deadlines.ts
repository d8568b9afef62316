import type { Queryable } from '../db/index.ts';
import { endRun } from './finish-run.ts';
import { lockRun } from './run-lock.ts';

/** System role: open runs whose workflow `timeout` has passed, the longest overdue first. */
export async function findOverdueRuns(
  sys: Queryable,
  limit = 500,
): Promise<{ tenantId: string; runId: string }[]> {
  const overdue = await sys.query<{ tenant_id: string; id: string }>(
    `select tenant_id, id from runs
      where deadline_at <= clock_timestamp() and state in ('queued', 'running', 'waiting')
      order by deadline_at limit $1`,
    [limit],
  );
  return overdue.rows.map((r) => ({ tenantId: r.tenant_id, runId: r.id }));
}

/**
 * Ends an overdue run as timed_out (tenant transaction): its running attempts are fenced out
 * and aborted at their next heartbeat, its waits and child runs end. Checked again under the
 * run lock, so a second call or a run that finished meanwhile changes nothing.
 */
export async function timeOutRun(tx: Queryable, run: { tenantId: string; runId: string }): Promise<boolean> {
  await lockRun(tx, run.tenantId, run.runId);
  const due = await tx.query<{ deadline_at: Date; created_at: Date }>(
    `select deadline_at, created_at from runs
      where tenant_id = $1 and id = $2 and deadline_at <= clock_timestamp()`,
    [run.tenantId, run.runId],
  );
  const row = due.rows[0];
  if (!row) return false;
  const seconds = (row.deadline_at.getTime() - row.created_at.getTime()) / 1000;
  return endRun(tx, run.tenantId, run.runId, {
    state: 'timed_out',
    code: 'RUN_TIMED_OUT',
    message: `The run did not finish within its timeout (${seconds} s)`,
  });
}
