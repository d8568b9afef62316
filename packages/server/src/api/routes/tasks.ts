import { z } from 'zod';
import { claimTask, completeTask, failTask, heartbeatTask } from '../../engine/index.ts';
import { TASK_QUEUE_PATTERN } from '../../workflows/index.ts';
import { tenantRoute } from '../route.ts';
import { IdParams } from '../schemas.ts';

const timestamp = z.iso.datetime();
const DEFAULT_WAIT_MS = 20_000;
const MAX_WAIT_MS = 30_000;

const TaskSchema = z
  .object({
    id: z.uuid(),
    token: z.string().meta({ description: 'Send with every heartbeat, complete and fail of this delivery' }),
    queue: z.string(),
    runId: z.uuid(),
    stepKey: z.string(),
    attempt: z.number().int().meta({ description: "The step's attempt this task belongs to" }),
    delivery: z.number().int().meta({ description: '1, or more when earlier workers went silent' }),
    input: z.unknown(),
    heartbeatTimeoutMs: z.number().int(),
    leaseExpiresAt: timestamp.meta({
      description: 'Heartbeat before this or the task goes to another worker',
    }),
    deadline: timestamp.nullable().meta({ description: 'When the step times out, if it has a timeout' }),
  })
  .meta({ id: 'Task' });

const Token = z.string().min(1).max(200);
const LEASE_ERRORS = [
  { status: 404, description: 'No such task in this tenant (TASK_NOT_FOUND)' },
  {
    status: 409,
    description:
      'TASK_LEASE_LOST: another delivery holds the task or it finished; TASK_CANCELLED: its run ended; ' +
      'TASK_TIMED_OUT: its step timed out',
  },
] as const;

export const taskRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/task-queues/:queue/poll',
    operationId: 'pollTask',
    auth: 'tasks.work',
    tag: 'tasks',
    summary: 'Long-poll a task queue: the next task, or 204 when none came within waitMs',
    description:
      'Answers as soon as a task is put on the queue. The task is leased to this call: heartbeat ' +
      'within heartbeatTimeoutMs or it is delivered to another worker with a new token. ',
    unaudited: 'lease traffic: deliveries are recorded on the task (worker, count, time)',
    params: z.strictObject({ queue: z.string().regex(TASK_QUEUE_PATTERN, 'must be a task queue name') }),
    body: z.strictObject({
      workerId: z.string().min(1).max(200).meta({ description: 'Names the worker on the task, for people' }),
      waitMs: z.number().int().min(0).max(MAX_WAIT_MS).default(DEFAULT_WAIT_MS),
    }),
    success: { status: 200, schema: TaskSchema, description: 'A task, leased to this caller (204: none)' },
    longPoll: {
      waitMs: ({ body }) => body.waitMs,
      async watch({ deps, principal }, { params }) {
        const subscription = await deps.taskSignals.subscribe(principal.tenantId, params.queue);
        return {
          next: async (ms, signal) => (await subscription.next(ms, signal)) !== 'closed',
          close: () => subscription.close(),
        };
      },
    },
    handler: async ({ tx, principal }, { params, body }) => {
      const task = await claimTask(tx, principal.tenantId, { queue: params.queue, workerId: body.workerId });
      return task ? { body: task } : { status: 204 };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/tasks/:id/heartbeat',
    operationId: 'heartbeatTask',
    auth: 'tasks.work',
    tag: 'tasks',
    summary: "Extend a delivery's heartbeat deadline; says when the task was cancelled",
    unaudited: 'lease traffic: a worker heartbeats every few seconds',
    params: IdParams,
    body: z.strictObject({ token: Token }),
    success: {
      status: 200,
      schema: z.object({
        cancelled: z.boolean().meta({ description: 'Stop working: the run ended or the step timed out' }),
        reason: z.string().optional(),
        leaseExpiresAt: timestamp.optional(),
      }),
      description: 'The delivery still holds the task (or it was cancelled: stop)',
    },
    errors: LEASE_ERRORS,
    handler: async ({ tx, principal }, { params, body }) => ({
      body: await heartbeatTask(tx, principal.tenantId, params.id, body.token),
    }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/tasks/:id/complete',
    operationId: 'completeTask',
    auth: 'tasks.work',
    tag: 'tasks',
    summary: 'Complete a task: its step succeeds with the output and the run goes on',
    params: IdParams,
    body: z.strictObject({ token: Token, output: z.unknown().optional() }),
    success: {
      status: 200,
      schema: z.object({ id: z.uuid(), runId: z.uuid(), state: z.literal('completed') }),
      description: 'Completed',
    },
    errors: LEASE_ERRORS,
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const done = await completeTask(
        tx,
        principal.tenantId,
        params.id,
        { token: body.token, output: body.output ?? null },
        { pool: deps.config.SHOAL_WORKER_POOL },
      );
      return {
        body: { id: params.id, runId: done.runId, state: 'completed' as const },
        audit: {
          target: { type: 'task', id: params.id },
          details: { runId: done.runId, outcome: 'completed' },
        },
      };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/tasks/:id/fail',
    operationId: 'failTask',
    auth: 'tasks.work',
    tag: 'tasks',
    summary: "Fail a task: the step's retry policy decides between a new attempt and failing the run",
    params: IdParams,
    body: z.strictObject({
      token: Token,
      error: z.strictObject({
        code: z
          .string()
          .regex(/^[A-Z][A-Z0-9_]{0,99}$/, 'must be an error code such as INVALID_DOCUMENT')
          .default('TASK_FAILED'),
        message: z.string().max(2000),
      }),
      retryable: z
        .boolean()
        .default(true)
        .meta({ description: 'false: no further attempt, whatever the retry policy says' }),
    }),
    success: {
      status: 200,
      schema: z.object({
        id: z.uuid(),
        runId: z.uuid(),
        state: z.literal('failed'),
        outcome: z.enum(['retrying', 'failed']).meta({
          description:
            'retrying: the step gets a new attempt (a new task); failed: the step and its run failed',
        }),
      }),
      description: 'Failed',
    },
    errors: LEASE_ERRORS,
    handler: async ({ tx, principal, deps }, { params, body }) => {
      const done = await failTask(
        tx,
        principal.tenantId,
        params.id,
        { token: body.token, code: body.error.code, message: body.error.message, retryable: body.retryable },
        { pool: deps.config.SHOAL_WORKER_POOL },
      );
      return {
        body: { id: params.id, runId: done.runId, state: 'failed' as const, outcome: done.outcome },
        audit: {
          target: { type: 'task', id: params.id },
          details: { runId: done.runId, outcome: done.outcome, code: body.error.code },
        },
      };
    },
  }),
];
