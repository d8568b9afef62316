import { z } from 'zod';
import { EVENT_NAME_PATTERN } from '../../workflows/index.ts';
import { getEvent, listEvents, sendEvent } from '../../engine/index.ts';
import { actorRef } from '../../identity/index.ts';
import type { ApiDeps } from '../route.ts';
import { tenantRoute } from '../route.ts';
import { IdParams } from '../schemas.ts';

const EventName = z
  .string()
  .regex(EVENT_NAME_PATTERN, 'must be 1-200 letters, digits and . _ : / -, starting with a letter or digit')
  .meta({ example: 'order.created' });
const EventSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    payload: z.unknown(),
    receivedAt: z.iso.datetime(),
    dedupeKey: z.string().nullable().meta({ description: 'The id the sender gave, if any' }),
    sentBy: z.string(),
    runs: z
      .array(z.object({ workflow: z.string(), runId: z.uuid() }))
      .meta({ description: 'One run per subscribed workflow whose filter matched' }),
    skipped: z
      .array(z.object({ workflow: z.string(), code: z.string(), message: z.string() }))
      .meta({ description: 'Subscribed workflows that started no run, and why' }),
  })
  .meta({ id: 'Event' });

const nowOf = (deps: ApiDeps) => deps.now?.() ?? new Date();

export const eventRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/events',
    operationId: 'sendEvent',
    auth: 'events.send',
    tag: 'triggers',
    summary: 'Send a tenant event: starts a run of every workflow subscribed to its name',
    description:
      'Workflows subscribe with `on.events` in their latest version (docs/triggers.md); each matching ' +
      'workflow gets one run with the payload as input. `id` deduplicates: the same id again returns ' +
      'the first event (200) and starts nothing. ',
    body: z.strictObject({
      name: EventName,
      payload: z.unknown().optional().meta({ description: 'Any JSON; the input of the runs (default {})' }),
      id: z
        .string()
        .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters')
        .optional()
        .meta({ description: "The sender's id for this event: sending it again starts nothing new" }),
    }),
    success: {
      status: 201,
      schema: z.object({ event: EventSchema, created: z.boolean() }),
      description: 'The event and the runs it started (200 when the id named an earlier event)',
    },
    handler: async ({ tx, principal, deps, trace }, { body }) => {
      const { event, created } = await sendEvent(
        tx,
        principal.tenantId,
        {
          name: body.name,
          payload: body.payload ?? {},
          dedupeKey: body.id ?? null,
          sentBy: actorRef(principal.actor),
          reserveTrace: () => (trace && deps.tracing ? deps.tracing.reserveChild(trace) : null),
        },
        nowOf(deps),
      );
      return {
        status: created ? 201 : 200,
        body: { event, created },
        audit: {
          target: { type: 'event', id: event.id },
          details: { name: event.name, created, runs: event.runs.length },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/events',
    operationId: 'listEvents',
    auth: 'events.read',
    tag: 'triggers',
    summary: 'Events received, newest first, with the runs each started',
    query: z.strictObject({
      name: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.uuid().optional().meta({ description: 'nextCursor of the previous page' }),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(EventSchema), nextCursor: z.string().nullable() }),
      description: 'A page of events',
    },
    handler: async ({ tx }, { query }) => {
      const data = await listEvents(tx, { name: query.name, limit: query.limit, before: query.cursor });
      return { body: { data, nextCursor: data.length === query.limit ? (data.at(-1)?.id ?? null) : null } };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/events/:id',
    operationId: 'getEvent',
    auth: 'events.read',
    tag: 'triggers',
    summary: 'An event with the runs it started and the workflows it skipped',
    params: IdParams,
    success: { status: 200, schema: EventSchema, description: 'The event' },
    handler: async ({ tx }, { params }) => ({ body: await getEvent(tx, params.id) }),
  }),
];
