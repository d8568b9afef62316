import { z } from 'zod';
import { actorRef } from '../../identity/index.ts';
import {
  cancelRun,
  decideApproval,
  DECISIONS,
  getRun,
  listRuns,
  MAX_RUN_PRIORITY,
  MIN_RUN_PRIORITY,
  retryRun,
  RUN_STATES,
  startRun,
  TRIGGER_KINDS,
} from '../../engine/index.ts';
import { ApiError } from '../errors.ts';
import { tenantRoute } from '../route.ts';
import { IdParams } from '../schemas.ts';

const timestamp = z.iso.datetime();
const RunState = z.enum(RUN_STATES).meta({ id: 'RunState' });
const RunSummarySchema = z
  .object({
    id: z.uuid(),
    workflowId: z.uuid(),
    workflowName: z.string(),
    workflowVersion: z.number().int(),
    state: RunState,
    trigger: z.string(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    parentRunId: z.uuid().nullable().meta({ description: 'The run whose `workflow` step started this one' }),
    parentStepKey: z.string().nullable(),
    deadlineAt: timestamp.nullable().meta({ description: "When the workflow's timeout ends the run" }),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'RunSummary' });
const AttemptSchema = z.object({
  attempt: z.number().int(),
  workerId: z.string(),
  startedAt: timestamp,
  endedAt: timestamp.nullable(),
  outcome: z.string(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
});
const RunDetailSchema = RunSummarySchema.extend({
  input: z.unknown(),
  inputTruncated: z.boolean(),
  output: z.unknown(),
  outputTruncated: z.boolean().meta({ description: 'The output is larger than 64 KiB and was left out' }),
  steps: z.array(
    z.object({
      key: z.string(),
      id: z.string(),
      type: z.string(),
      state: z.string(),
      attempt: z.number().int(),
      needs: z.array(z.string()),
      output: z.unknown(),
      outputTruncated: z.boolean(),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
      waitReason: z.string().nullable(),
      wakeAt: timestamp.nullable(),
      startedAt: timestamp.nullable(),
      finishedAt: timestamp.nullable(),
      attempts: z.array(AttemptSchema),
    }),
  ),
}).meta({ id: 'RunDetail' });

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+Z)\|([0-9a-f-]{36})$/;

export const runRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/workflows/:name/runs',
    operationId: 'startRun',
    auth: 'runs.start',
    tag: 'runs',
    summary: "Start a run of the workflow's latest version",
    description:
      'Send an `Idempotency-Key` header to make retries safe: the same key returns the same run (200) ' +
      'for as long as the run is kept; a key reused for another workflow or input is refused. ' +
      '`priority` (0 to 9, default 0) orders the run among your own queued work: each level goes ahead ' +
      'of work queued up to 10 s before it, so a low priority is delayed, never starved. ',
    params: z.strictObject({ name: z.string().min(1).max(100) }),
    body: z.strictObject({
      input: z.unknown().optional(),
      priority: z.number().int().min(MIN_RUN_PRIORITY).max(MAX_RUN_PRIORITY).optional(),
    }),
    success: {
      status: 201,
      schema: z.object({ run: RunSummarySchema, created: z.boolean() }),
      description: 'The run (201 when started now, 200 when the Idempotency-Key named an earlier one)',
    },
    handler: async ({ deps, tx, principal, reply, trace }, { params, body }) => {
      const header = reply.request.headers['idempotency-key'];
      if (header !== undefined && (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header))) {
        throw new ApiError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
          issues: [
            {
              path: 'headers.idempotency-key',
              code: 'invalid_format',
              message: 'must be 1 to 255 visible ASCII characters',
            },
          ],
        });
      }
      const started = await startRun(tx, principal.tenantId, {
        workflowName: params.name,
        input: body.input ?? {},
        idempotencyKey: header ?? null,
        priority: body.priority ?? 0,
        // The run span's place under this request's span; a replay keeps the first run's.
        trace: trace && deps.tracing ? deps.tracing.reserveChild(trace) : null,
      });
      const run = await getRun(tx, started.runId);
      const { input: _i, inputTruncated: _it, output: _o, outputTruncated: _ot, steps: _s, ...summary } = run;
      return {
        status: started.created ? 201 : 200,
        body: { run: summary, created: started.created },
        audit: {
          target: { type: 'run', id: run.id },
          details: { workflow: params.name, created: started.created },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/runs',
    operationId: 'listRuns',
    auth: 'runs.read',
    tag: 'runs',
    summary: 'Runs, newest first, filtered by workflow, state, trigger, parent run and time',
    query: z.strictObject({
      workflow: z.string().max(100).optional(),
      state: RunState.optional(),
      trigger: z.enum(TRIGGER_KINDS).optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      parent: z.uuid().optional().meta({ description: 'Only the child runs of this run' }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().regex(CURSOR, 'must be a cursor from nextCursor').optional(),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(RunSummarySchema), nextCursor: z.string().nullable() }),
      description: 'A page of runs; pass nextCursor as cursor for the next',
    },
    handler: async ({ tx }, { query }) => {
      const cursor = query.cursor ? CURSOR.exec(query.cursor) : null;
      const runs = await listRuns(tx, {
        workflowName: query.workflow,
        state: query.state,
        trigger: query.trigger,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
        parentRunId: query.parent,
        cursor: cursor?.[1] && cursor[2] ? { createdAt: new Date(cursor[1]), id: cursor[2] } : undefined,
        limit: query.limit,
      });
      const last = runs.at(-1);
      return {
        body: {
          data: runs,
          nextCursor: runs.length === query.limit && last ? `${last.createdAt}|${last.id}` : null,
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/runs/:id',
    operationId: 'getRun',
    auth: 'runs.read',
    tag: 'runs',
    summary: 'A run with its step timeline, inputs, outputs and every attempt',
    params: IdParams,
    success: { status: 200, schema: RunDetailSchema, description: 'The run' },
    handler: async ({ tx }, { params }) => ({ body: await getRun(tx, params.id) }),
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/runs/:id/cancel',
    operationId: 'cancelRun',
    auth: 'runs.cancel',
    tag: 'runs',
    summary: 'Cancel a run; running steps see their abort signal',
    params: IdParams,
    body: z.strictObject({ reason: z.string().max(500).optional() }).optional(),
    success: { status: 200, schema: RunDetailSchema, description: 'The cancelled run' },
    handler: async ({ tx, principal }, { params, body }) => {
      await cancelRun(
        tx,
        principal.tenantId,
        params.id,
        body?.reason ?? `Cancelled by ${principal.actor.type}`,
      );
      const run = await getRun(tx, params.id);
      return {
        body: run,
        audit: { target: { type: 'run', id: run.id }, details: { reason: body?.reason ?? null } },
      };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/runs/:id/steps/:stepKey/decision',
    operationId: 'decideApproval',
    auth: 'runs.decide',
    tag: 'runs',
    summary: 'Approve or reject a waiting approval step (the first decision counts)',
    params: z.strictObject({ id: z.uuid(), stepKey: z.string().min(1).max(200) }),
    body: z.strictObject({ decision: z.enum(DECISIONS), comment: z.string().max(2000).optional() }),
    success: { status: 200, schema: RunDetailSchema, description: 'The run after the decision' },
    handler: async ({ tx, principal, deps }, { params, body }) => {
      await decideApproval(
        tx,
        principal.tenantId,
        { runId: params.id, stepKey: params.stepKey },
        { decision: body.decision, comment: body.comment ?? null, decidedBy: actorRef(principal.actor) },
        { pool: deps.config.SHOAL_WORKER_POOL },
      );
      const run = await getRun(tx, params.id);
      return {
        body: run,
        audit: {
          target: { type: 'run', id: run.id },
          details: { step: params.stepKey, decision: body.decision },
        },
      };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/runs/:id/retry',
    operationId: 'retryRun',
    auth: 'runs.retry',
    tag: 'runs',
    summary: 'Run a failed or cancelled run again from the steps that did not succeed',
    description: 'Steps that succeeded keep their outputs and do not run again. ',
    params: IdParams,
    success: { status: 200, schema: RunDetailSchema, description: 'The run, running again' },
    handler: async ({ tx, principal }, { params }) => {
      const { resetSteps } = await retryRun(tx, principal.tenantId, params.id);
      const run = await getRun(tx, params.id);
      return { body: run, audit: { target: { type: 'run', id: run.id }, details: { steps: resetSteps } } };
    },
  }),
];
