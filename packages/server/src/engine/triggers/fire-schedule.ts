import type { Queryable } from '../../db/index.ts';
import type { RunTrace } from '../../observability/index.ts';
import { dueFires, type CatchUpPolicy } from './catch-up.ts';
import { compileCron } from './cron.ts';
import { describeFailure, startTriggeredRun, withSavepoint } from './triggered-run.ts';

export interface ScheduleFire {
  fireAt: string;
  runId: string | null;
  error: { code: string; message: string } | null;
}

export interface FireResult {
  scheduleId: string;
  fires: ScheduleFire[];
  dropped: number;
  nextFireAt: string | null;
}

/** The idempotency key of one fire: the same schedule and fire time never make two runs. */
export const scheduleFireKey = (scheduleId: string, fireAt: Date): string =>
  `schedule:${scheduleId}:${fireAt.toISOString()}`;

/** Lists due schedules across tenants (as shoal_system): candidates only, firing re-checks. */
export async function findDueSchedules(
  sys: Queryable,
  now: Date,
  limit: number,
): Promise<{ tenantId: string; id: string }[]> {
  const due = await sys.query<{ tenant_id: string; id: string }>(
    `select tenant_id, id from schedules
      where paused_at is null and next_fire_at <= $1
      order by next_fire_at limit $2`,
    [now, limit],
  );
  return due.rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

/**
 * Fires one schedule if it is still due, in the tenant's transaction: locks its row (skipping it
 * when another scheduler holds it), starts the runs its catch-up policy asks for and moves
 * next_fire_at past `now`, so each fire time happens once however many schedulers run.
 * Returns null when there was nothing to do.
 */
export async function fireSchedule(
  tx: Queryable,
  tenantId: string,
  scheduleId: string,
  now: Date,
  /** Each run's span as the root of a trace of its own (ADR 0011). */
  reserveTrace: () => RunTrace | null = () => null,
): Promise<FireResult | null> {
  const locked = await tx.query<{
    workflow_name: string;
    cron: string;
    timezone: string;
    input: unknown;
    catch_up: CatchUpPolicy;
    next_fire_at: Date;
  }>(
    `select w.name as workflow_name, s.cron, s.timezone, s.input, s.catch_up, s.next_fire_at
       from schedules s join workflows w on w.tenant_id = s.tenant_id and w.id = s.workflow_id
      where s.id = $1 and s.paused_at is null and s.next_fire_at <= $2
      for update of s skip locked`,
    [scheduleId, now],
  );
  const schedule = locked.rows[0];
  if (!schedule) return null;
  const compiled = compileCron(schedule.cron, schedule.timezone, now);
  if (!compiled.ok) {
    // Only if the zone database changed under a stored schedule: stop it and say why.
    await tx.query(
      `update schedules set paused_at = $2, last_error_code = 'SCHEDULE_INVALID', last_error_message = $3,
              updated_at = $2 where id = $1`,
      [scheduleId, now, compiled.message],
    );
    return { scheduleId, fires: [], dropped: 0, nextFireAt: null };
  }
  const due = dueFires(compiled.cron, schedule.next_fire_at, now, schedule.catch_up);
  const fires: ScheduleFire[] = [];
  for (const fireAt of due.fires) {
    const started = await withSavepoint(tx, () =>
      startTriggeredRun(tx, tenantId, {
        workflowName: schedule.workflow_name,
        input: schedule.input,
        idempotencyKey: scheduleFireKey(scheduleId, fireAt),
        triggerKind: 'schedule',
        triggerRef: `schedule:${scheduleId}`,
        trace: reserveTrace(),
      }),
    );
    fires.push({
      fireAt: fireAt.toISOString(),
      runId: started.ok ? started.value.runId : null,
      error: started.ok ? null : describeFailure(started.error),
    });
  }
  const last = fires.at(-1);
  await tx.query(
    `update schedules
        set next_fire_at = coalesce($2, next_fire_at),
            paused_at = case when $2::timestamptz is null then $3::timestamptz end,
            last_fire_at = coalesce($4, last_fire_at),
            last_run_id = coalesce($5, last_run_id),
            last_error_code = case when $4::timestamptz is null then last_error_code else $6 end,
            last_error_message = case when $4::timestamptz is null then last_error_message else $7 end,
            updated_at = $3
      where id = $1`,
    [
      scheduleId,
      due.next,
      now,
      last ? new Date(last.fireAt) : null,
      last?.runId ?? null,
      last?.error?.code ?? null,
      last?.error?.message ?? null,
    ],
  );
  return { scheduleId, fires, dropped: due.dropped, nextFireAt: due.next?.toISOString() ?? null };
}
