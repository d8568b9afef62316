import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.ts';
import type { RunTrace } from '../../observability/index.ts';
import { EngineError } from '../errors.ts';
import { eventMatches, type EventEnvelope } from './event-filter.ts';
import { describeFailure, startTriggeredRun, withSavepoint } from './triggered-run.ts';

export interface EventRun {
  workflow: string;
  runId: string;
}

export interface EventSkip {
  workflow: string;
  code: string;
  message: string;
}

export interface EventView extends EventEnvelope {
  /** The sender's dedupe key (`id` in POST /v1/events), if it gave one. */
  dedupeKey: string | null;
  sentBy: string;
  /** One run per subscribed workflow whose filter matched. */
  runs: EventRun[];
  /** Subscribed workflows that matched, or whose filter failed, but started no run, and why. */
  skipped: EventSkip[];
}

export interface SendEventInput {
  name: string;
  payload: unknown;
  dedupeKey: string | null;
  sentBy: string;
  /** A run span's place under the sending request's span, one per run started (ADR 0011). */
  reserveTrace?: () => RunTrace | null;
}

interface EventRow {
  id: string;
  name: string;
  payload: unknown;
  dedupe_key: string | null;
  sent_by: string;
  received_at: Date;
  runs: EventRun[];
  skipped: EventSkip[];
  [key: string]: unknown;
}

const COLUMNS = 'id, name, payload, dedupe_key, sent_by, received_at, runs, skipped';

const toView = (r: EventRow): EventView => ({
  id: r.id,
  name: r.name,
  payload: r.payload,
  receivedAt: r.received_at.toISOString(),
  dedupeKey: r.dedupe_key,
  sentBy: r.sent_by,
  runs: r.runs,
  skipped: r.skipped,
});

/** The idempotency key of the run an event starts for one workflow. */
export const eventRunKey = (eventId: string, workflowName: string): string =>
  `event:${eventId}:${workflowName}`;

/**
 * Workflows whose latest, non-archived version subscribes to `name`, with their filters for it.
 * (A workflow may list the same name more than once; any matching entry starts its one run.)
 */
async function subscribersOf(
  tx: Queryable,
  name: string,
): Promise<{ workflow: string; filters: (string | undefined)[] }[]> {
  const found = await tx.query<{ name: string; subscriptions: { name: string; filter?: string }[] }>(
    `select w.name, v.definition -> 'on' -> 'events' as subscriptions
       from workflows w
       join workflow_versions v on v.tenant_id = w.tenant_id and v.workflow_id = w.id and v.version = w.latest_version
      where w.archived_at is null and v.definition -> 'on' -> 'events' @> $1::jsonb
      order by w.name`,
    [JSON.stringify([{ name }])],
  );
  return found.rows.map((row) => ({
    workflow: row.name,
    filters: row.subscriptions.filter((s) => s.name === name).map((s) => s.filter),
  }));
}

/**
 * Records a tenant event and starts one run of every subscribed workflow whose filter matches,
 * in one transaction. A repeated dedupe key returns the first event and starts nothing.
 */
export async function sendEvent(
  tx: Queryable,
  tenantId: string,
  request: SendEventInput,
  now = new Date(),
): Promise<{ event: EventView; created: boolean }> {
  const id = randomUUID();
  const inserted = await tx.query<EventRow>(
    `insert into events (tenant_id, id, name, payload, dedupe_key, sent_by, received_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing
     returning ${COLUMNS}`,
    [
      tenantId,
      id,
      request.name,
      JSON.stringify(request.payload ?? null),
      request.dedupeKey,
      request.sentBy,
      now,
    ],
  );
  if (inserted.rows.length === 0) {
    const existing = await tx.query<EventRow>(`select ${COLUMNS} from events where dedupe_key = $1`, [
      request.dedupeKey,
    ]);
    const row = existing.rows[0];
    if (!row) throw new Error('event dedupe conflict without an existing event');
    return { event: toView(row), created: false };
  }
  const envelope: EventEnvelope = {
    id,
    name: request.name,
    payload: request.payload ?? null,
    receivedAt: now.toISOString(),
  };
  const runs: EventRun[] = [];
  const skipped: EventSkip[] = [];
  for (const { workflow, filters } of await subscribersOf(tx, request.name)) {
    let matched = false;
    let filterError: unknown = null;
    for (const filter of filters) {
      try {
        if (await eventMatches(filter, envelope)) {
          matched = true;
          break;
        }
      } catch (error) {
        filterError = error;
      }
    }
    if (!matched) {
      if (filterError) {
        const message = filterError instanceof Error ? filterError.message : String(filterError);
        skipped.push({ workflow, code: 'EVENT_FILTER_FAILED', message: message.slice(0, 1000) });
      }
      continue;
    }
    const started = await withSavepoint(tx, () =>
      startTriggeredRun(tx, tenantId, {
        workflowName: workflow,
        input: envelope.payload,
        idempotencyKey: eventRunKey(id, workflow),
        triggerKind: 'event',
        triggerRef: `event:${id}`,
        trace: request.reserveTrace?.() ?? null,
      }),
    );
    if (started.ok) runs.push({ workflow, runId: started.value.runId });
    else skipped.push({ workflow, ...describeFailure(started.error) });
  }
  await tx.query('update events set runs = $2, skipped = $3 where id = $1', [
    id,
    JSON.stringify(runs),
    JSON.stringify(skipped),
  ]);
  return { event: { ...toView(inserted.rows[0] as EventRow), runs, skipped }, created: true };
}

export async function getEvent(tx: Queryable, id: string): Promise<EventView> {
  const found = await tx.query<EventRow>(`select ${COLUMNS} from events where id = $1`, [id]);
  const row = found.rows[0];
  if (!row) throw new EngineError('EVENT_NOT_FOUND');
  return toView(row);
}

/** Events, newest first, optionally of one name; `before` is the id of the last event of the previous page. */
export async function listEvents(
  tx: Queryable,
  filter: { name?: string | undefined; limit: number; before?: string | undefined },
): Promise<EventView[]> {
  const found = await tx.query<EventRow>(
    `select ${COLUMNS} from events
      where ($1::text is null or name = $1)
        and ($2::uuid is null or (received_at, id) < (select received_at, id from events where id = $2))
      order by received_at desc, id desc limit $3`,
    [filter.name ?? null, filter.before ?? null, filter.limit],
  );
  return found.rows.map(toView);
}
