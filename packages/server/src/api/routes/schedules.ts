import { z } from 'zod';
import {
  CATCH_UP_POLICIES,
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  MAX_CRON_LENGTH,
  updateSchedule,
} from '../../engine/index.ts';
import { actorRef } from '../../identity/index.ts';
import type { ApiDeps } from '../route.ts';
import { tenantRoute } from '../route.ts';
import { IdParams } from '../schemas.ts';

const timestamp = z.iso.datetime();
const CatchUp = z.enum(CATCH_UP_POLICIES).meta({
  id: 'CatchUpPolicy',
  description:
    'Missed fires (more than 60 s late, e.g. while the platform was down): latest = one run for the most ' +
    'recent, skip = none, all = one run each (at most 100)',
});
const Cron = z.string().min(1).max(MAX_CRON_LENGTH).meta({
  description: '5 fields (minute hour day month weekday) or 6 (seconds first)',
  example: '0 9 * * 1-5',
});
const TimeZone = z.string().min(1).max(100).meta({ description: 'IANA time zone', example: 'Europe/Berlin' });

const ScheduleSchema = z
  .object({
    id: z.uuid(),
    workflowName: z.string(),
    description: z.string(),
    cron: z.string(),
    timezone: z.string(),
    input: z.unknown(),
    catchUp: CatchUp,
    paused: z.boolean(),
    nextFireAt: timestamp,
    upcoming: z.array(timestamp).meta({ description: 'The next few fire times (empty while paused)' }),
    lastFireAt: timestamp.nullable(),
    lastRunId: z.uuid().nullable(),
    lastError: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .meta({ description: 'Why the last fire started no run (null when it did)' }),
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Schedule' });

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();

export const scheduleRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/schedules',
    operationId: 'createSchedule',
    auth: 'schedules.write',
    tag: 'triggers',
    summary: 'Run a workflow on a cron schedule in a time zone',
    body: z.strictObject({
      workflow: z.string().min(1).max(100),
      cron: Cron,
      timezone: TimeZone.default('UTC'),
      input: z.unknown().optional().meta({ description: 'The input of every run (default {})' }),
      catchUp: CatchUp.default('latest'),
      description: z.string().max(500).default(''),
      paused: z.boolean().default(false),
    }),
    success: { status: 201, schema: ScheduleSchema, description: 'The schedule' },
    errors: [{ status: 422, description: 'SCHEDULE_INVALID (cron or time zone) or RUN_INPUT_INVALID' }],
    handler: async ({ tx, principal, deps }, { body }) => {
      const schedule = await createSchedule(
        tx,
        principal.tenantId,
        {
          workflowName: body.workflow,
          cron: body.cron,
          timezone: body.timezone,
          input: body.input ?? {},
          catchUp: body.catchUp,
          description: body.description,
          paused: body.paused,
          createdBy: actorRef(principal.actor),
        },
        nowOf(deps),
      );
      return {
        body: schedule,
        audit: {
          target: { type: 'schedule', id: schedule.id },
          details: { workflow: body.workflow, cron: schedule.cron, timezone: schedule.timezone },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/schedules',
    operationId: 'listSchedules',
    auth: 'schedules.read',
    tag: 'triggers',
    summary: 'Schedules, oldest first, optionally of one workflow',
    query: z.strictObject({
      workflow: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(ScheduleSchema), nextCursor: z.string().nullable() }),
      description: 'A page of schedules',
    },
    handler: async ({ tx }, { query }) => {
      const data = await listSchedules(tx, {
        workflowName: query.workflow,
        limit: query.limit,
        after: query.cursor,
      });
      return { body: { data, nextCursor: data.length === query.limit ? (data.at(-1)?.id ?? null) : null } };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/schedules/:id',
    operationId: 'getSchedule',
    auth: 'schedules.read',
    tag: 'triggers',
    summary: 'A schedule with its next fire times and last outcome',
    params: IdParams,
    success: { status: 200, schema: ScheduleSchema, description: 'The schedule' },
    handler: async ({ tx }, { params }) => ({ body: await getSchedule(tx, params.id) }),
  }),
  tenantRoute({
    method: 'PATCH',
    url: '/v1/schedules/:id',
    operationId: 'updateSchedule',
    auth: 'schedules.write',
    tag: 'triggers',
    summary: 'Change, pause or resume a schedule',
    description:
      'A new cron or time zone, or resuming, computes the next fire from now: time spent paused is not caught up. ',
    params: IdParams,
    body: z.strictObject({
      cron: Cron.optional(),
      timezone: TimeZone.optional(),
      input: z.unknown().optional(),
      catchUp: CatchUp.optional(),
      description: z.string().max(500).optional(),
      paused: z.boolean().optional(),
    }),
    success: { status: 200, schema: ScheduleSchema, description: 'The schedule' },
    handler: async ({ tx, deps }, { params, body }) => {
      const schedule = await updateSchedule(
        tx,
        params.id,
        Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
        nowOf(deps),
      );
      return {
        body: schedule,
        audit: { target: { type: 'schedule', id: schedule.id }, details: { changed: Object.keys(body) } },
      };
    },
  }),
  tenantRoute({
    method: 'DELETE',
    url: '/v1/schedules/:id',
    operationId: 'deleteSchedule',
    auth: 'schedules.write',
    tag: 'triggers',
    summary: 'Delete a schedule (runs it started are kept)',
    params: IdParams,
    success: { status: 200, schema: ScheduleSchema, description: 'The deleted schedule' },
    handler: async ({ tx }, { params }) => {
      const schedule = await deleteSchedule(tx, params.id);
      return {
        body: schedule,
        audit: {
          target: { type: 'schedule', id: schedule.id },
          details: { workflow: schedule.workflowName },
        },
      };
    },
  }),
];
