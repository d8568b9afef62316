import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import { compileInputSchema, getWorkflow, getWorkflowVersion } from '../../workflows/index.ts';
import { EngineError } from '../errors.ts';
import type { CatchUpPolicy } from './catch-up.ts';
import { compileCron, type CompiledCron } from './cron.ts';

/** How many upcoming fire times a schedule's view lists. */
export const UPCOMING_FIRES = 5;

export interface ScheduleView {
  id: string;
  workflowName: string;
  description: string;
  cron: string;
  timezone: string;
  input: unknown;
  catchUp: CatchUpPolicy;
  paused: boolean;
  /** The next fire time (while paused: the one it would have been). */
  nextFireAt: string;
  /** The next few fire times from nextFireAt on; empty while paused. */
  upcoming: string[];
  lastFireAt: string | null;
  lastRunId: string | null;
  lastError: { code: string; message: string } | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleSpec {
  workflowName: string;
  cron: string;
  timezone: string;
  input: unknown;
  catchUp: CatchUpPolicy;
  description: string;
  paused: boolean;
}

export type SchedulePatch = Partial<Omit<ScheduleSpec, 'workflowName'>>;

interface ScheduleRow {
  id: string;
  workflow_name: string;
  description: string;
  cron: string;
  timezone: string;
  input: unknown;
  catch_up: CatchUpPolicy;
  paused_at: Date | null;
  next_fire_at: Date;
  last_fire_at: Date | null;
  last_run_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  [key: string]: unknown;
}

const SELECT = `select s.id, w.name as workflow_name, s.description, s.cron, s.timezone, s.input, s.catch_up,
                       s.paused_at, s.next_fire_at, s.last_fire_at, s.last_run_id, s.last_error_code,
                       s.last_error_message, s.created_by, s.created_at, s.updated_at
                  from schedules s join workflows w on w.tenant_id = s.tenant_id and w.id = s.workflow_id`;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function upcomingOf(row: ScheduleRow): string[] {
  if (row.paused_at) return [];
  const compiled = compileCron(row.cron, row.timezone, row.next_fire_at);
  const times = [row.next_fire_at.toISOString()];
  if (!compiled.ok) return times;
  let t: Date | null = row.next_fire_at;
  while (times.length < UPCOMING_FIRES && (t = compiled.cron.next(t))) times.push(t.toISOString());
  return times;
}

const toView = (r: ScheduleRow): ScheduleView => ({
  id: r.id,
  workflowName: r.workflow_name,
  description: r.description,
  cron: r.cron,
  timezone: r.timezone,
  input: r.input,
  catchUp: r.catch_up,
  paused: r.paused_at !== null,
  nextFireAt: r.next_fire_at.toISOString(),
  upcoming: upcomingOf(r),
  lastFireAt: iso(r.last_fire_at),
  lastRunId: r.last_run_id,
  lastError: r.last_error_code ? { code: r.last_error_code, message: r.last_error_message ?? '' } : null,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Compiles cron and zone or throws SCHEDULE_INVALID naming the field. */
function assertCron(cron: string, timezone: string, now: Date): CompiledCron {
  const compiled = compileCron(cron, timezone, now);
  if (!compiled.ok) {
    throw new EngineError('SCHEDULE_INVALID', compiled.message, {
      issues: [{ path: `/${compiled.field}`, message: compiled.message }],
    });
  }
  return compiled.cron;
}

/** The workflow a schedule runs, checked to exist, be live and accept the input. */
async function assertRunnable(tx: Queryable, workflowName: string, input: unknown): Promise<string> {
  const workflow = await getWorkflow(tx, workflowName);
  if (!workflow) throw new EngineError('WORKFLOW_NOT_FOUND', `No workflow named ${workflowName}`);
  if (workflow.archivedAt) throw new EngineError('WORKFLOW_ARCHIVED');
  const version = await getWorkflowVersion(tx, workflow.id, workflow.latestVersion);
  if (version?.definition.input) {
    const schema = compileInputSchema(version.definition.input);
    const checked = schema.ok ? schema.validate(input) : { ok: true as const };
    if (!checked.ok) {
      throw new EngineError(
        'RUN_INPUT_INVALID',
        "The schedule's input does not match the workflow's input schema",
        {
          issues: checked.errors.map((e) => ({ path: `/input/${e.path.join('/')}`, message: e.message })),
        },
      );
    }
  }
  return workflow.id;
}

export async function getSchedule(tx: Queryable, id: string): Promise<ScheduleView> {
  const found = await tx.query<ScheduleRow>(`${SELECT} where s.id = $1`, [id]);
  const row = found.rows[0];
  if (!row) throw new EngineError('SCHEDULE_NOT_FOUND');
  return toView(row);
}

/** Schedules, oldest first, optionally of one workflow. */
export async function listSchedules(
  tx: Queryable,
  filter: { workflowName?: string | undefined; limit: number; after?: string | undefined },
): Promise<ScheduleView[]> {
  const found = await tx.query<ScheduleRow>(
    `${SELECT}
      where ($1::text is null or w.name = $1)
        and ($2::uuid is null or (s.created_at, s.id) > (select created_at, id from schedules where id = $2))
      order by s.created_at, s.id limit $3`,
    [filter.workflowName ?? null, filter.after ?? null, filter.limit],
  );
  return found.rows.map(toView);
}

export async function createSchedule(
  tx: Queryable,
  tenantId: string,
  spec: ScheduleSpec & { createdBy: string },
  now = new Date(),
): Promise<ScheduleView> {
  const cron = assertCron(spec.cron, spec.timezone, now);
  const workflowId = await assertRunnable(tx, spec.workflowName, spec.input);
  const id = randomUUID();
  await tx.query(
    `insert into schedules (tenant_id, id, workflow_id, description, cron, timezone, input, catch_up, paused_at,
                            next_fire_at, created_by, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
    [
      tenantId,
      id,
      workflowId,
      spec.description,
      cron.expression,
      spec.timezone,
      JSON.stringify(spec.input ?? {}),
      spec.catchUp,
      spec.paused ? now : null,
      cron.next(now),
      spec.createdBy,
      now,
    ],
  );
  return getSchedule(tx, id);
}

/**
 * Changes a schedule. A new cron or zone, or resuming, computes the next fire from `now`:
 * time spent paused is not caught up.
 */
export async function updateSchedule(
  tx: Queryable,
  id: string,
  patch: SchedulePatch,
  now = new Date(),
): Promise<ScheduleView> {
  const locked = await tx.query<ScheduleRow>(`${SELECT} where s.id = $1 for update of s`, [id]);
  const current = locked.rows[0];
  if (!current) throw new EngineError('SCHEDULE_NOT_FOUND');
  const cronText = patch.cron ?? current.cron;
  const timezone = patch.timezone ?? current.timezone;
  const cron = assertCron(cronText, timezone, now);
  const input = patch.input === undefined ? current.input : patch.input;
  if (patch.input !== undefined) await assertRunnable(tx, current.workflow_name, input);
  const wasPaused = current.paused_at !== null;
  const paused = patch.paused ?? wasPaused;
  const recompute =
    cron.expression !== current.cron || timezone !== current.timezone || (wasPaused && !paused);
  await tx.query(
    `update schedules
        set description = $2, cron = $3, timezone = $4, input = $5, catch_up = $6,
            paused_at = case when $7 then coalesce(paused_at, $9) end,
            next_fire_at = coalesce($8, next_fire_at), updated_at = $9
      where id = $1`,
    [
      id,
      patch.description ?? current.description,
      cron.expression,
      timezone,
      JSON.stringify(input ?? {}),
      patch.catchUp ?? current.catch_up,
      paused,
      recompute ? cron.next(now) : null,
      now,
    ],
  );
  return getSchedule(tx, id);
}

export async function deleteSchedule(tx: Queryable, id: string): Promise<ScheduleView> {
  const view = await getSchedule(tx, id);
  await tx.query('delete from schedules where id = $1', [id]);
  return view;
}
