import { commitEventMark, dropCommitEventsSince, type Queryable } from '../db/index.ts';
import { STEP_READY_CHANNEL } from './enqueue.ts';
import { failRun } from './finish-run.ts';
import { lockRun } from './run-lock.ts';

/**
 * A worker that vanished is not the step's fault: a lost lease is retried until this many
 * attempts even when the step's own policy allows fewer. A step that takes its worker down this
 * often fails with LEASE_EXPIRED rather than loop forever (a poison pill).
 */
export const LOST_LEASE_ATTEMPTS = 5;

/**
 * How long the reaper waits for a lock. A worker frozen (SIGSTOP, a long GC or VM pause) inside a
 * transaction holds its run's lock until it wakes: waiting for it would stall every worker's reaper
 * behind that one run (test/engine/chaos-pause.test.ts). Such a row is left to a later tick.
 */
export const REAP_LOCK_WAIT_MS = 100;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * System role: releases steps whose lease expired (a crashed or stalled worker). The attempt is
 * closed as `lost`; the step is queued again, or fails when it has used all its attempts.
 * The next claim takes a new attempt number, so the old worker's late writes are refused.
 */
export async function reapExpiredLeases(
  sys: Queryable,
  limit = 500,
  lostLeaseAttempts = LOST_LEASE_ATTEMPTS,
): Promise<{ requeued: number; failed: number }> {
  // Read without locks, then per row: the run lock first, and the expiry checked again under it.
  const expired = await sys.query<{ tenant_id: string; run_id: string; step_key: string }>(
    `select tenant_id, run_id, step_key from step_queue
      where lease_owner is not null and lease_expires_at < clock_timestamp()
      order by lease_expires_at limit $1`,
    [limit],
  );
  let requeued = 0;
  let failed = 0;
  if (expired.rows.length === 0) return { requeued, failed };
  const saved = await sys.query<{ lock_timeout: string }>(
    `select current_setting('lock_timeout') as lock_timeout`,
  );
  await sys.query(`select set_config('lock_timeout', $1, true)`, [`${REAP_LOCK_WAIT_MS}ms`]);
  for (const row of expired.rows) {
    // A savepoint per row: a lock that does not come in time undoes only this row's work.
    await sys.query('savepoint reap_lease');
    const mark = commitEventMark(sys);
    try {
      const outcome = await reapOne(sys, row, lostLeaseAttempts);
      await sys.query('release savepoint reap_lease');
      if (outcome === 'requeued') requeued += 1;
      if (outcome === 'failed') failed += 1;
    } catch (error) {
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      await sys.query('rollback to savepoint reap_lease');
      dropCommitEventsSince(sys, mark);
    }
  }
  await sys.query(`select set_config('lock_timeout', $1, true)`, [saved.rows[0]?.lock_timeout ?? '0']);
  return { requeued, failed };
}

/** Reaps one expired lease under its run's lock; the expiry is checked again under the lock. */
async function reapOne(
  sys: Queryable,
  row: { tenant_id: string; run_id: string; step_key: string },
  lostLeaseAttempts: number,
): Promise<'requeued' | 'failed' | 'skipped'> {
  if (!(await lockRun(sys, row.tenant_id, row.run_id))) return 'skipped';
  const still = await sys.query(
    `select 1 from step_queue where tenant_id = $1 and run_id = $2 and step_key = $3
        and lease_owner is not null and lease_expires_at < clock_timestamp() for update`,
    [row.tenant_id, row.run_id, row.step_key],
  );
  if (still.rows.length === 0) return 'skipped';
  const step = await sys.query<{ state: string; attempt: number }>(
    `update run_steps set state = case when attempt >= greatest(max_attempts, $4) then 'failed' else 'ready' end,
            error_code = 'LEASE_EXPIRED', error_message = 'The worker running this attempt stopped renewing its lease',
            finished_at = case when attempt >= greatest(max_attempts, $4) then now() else finished_at end
      where tenant_id = $1 and run_id = $2 and step_key = $3 and state = 'running'
      returning state, attempt`,
    [row.tenant_id, row.run_id, row.step_key, lostLeaseAttempts],
  );
  const updated = step.rows[0];
  if (!updated) return 'skipped';
  await sys.query(
    `update step_attempts set outcome = 'lost', ended_at = now(), error_code = 'LEASE_EXPIRED'
      where tenant_id = $1 and run_id = $2 and step_key = $3 and attempt = $4 and outcome = 'running'`,
    [row.tenant_id, row.run_id, row.step_key, updated.attempt],
  );
  if (updated.state === 'ready') {
    // Queued again like any ready step: the pool's idle workers are woken, not left to their poll.
    await sys.query(
      `with released as (
         update step_queue set lease_owner = null, lease_expires_at = null, available_at = now()
          where tenant_id = $1 and run_id = $2 and step_key = $3
         returning pool
       )
       select pg_notify($4, pool) from released`,
      [row.tenant_id, row.run_id, row.step_key, STEP_READY_CHANNEL],
    );
    return 'requeued';
  }
  await failRun(sys, row.tenant_id, row.run_id, {
    code: 'LEASE_EXPIRED',
    message: `Step ${row.step_key} lost its worker on its last attempt (${updated.attempt})`,
  });
  return 'failed';
}
