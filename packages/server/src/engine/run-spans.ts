import type { Queryable } from '../db/index.ts';
import { contextFromIds, SpanKind, SpanStatusCode, type Tracing } from '../observability/index.ts';

interface EndedRunRow {
  tenant_id: string;
  id: string;
  workflow_id: string;
  workflow_version: number;
  state: string;
  trigger_kind: string;
  error_code: string | null;
  trace_context: string;
  trace_parent_span_id: string | null;
  created_at: Date;
  finished_at: Date;
  [key: string]: unknown;
}

/**
 * Takes finished runs whose span is still to be emitted, and closes them in the same statement,
 * so each run's span is emitted once whichever worker sweeps. Runs locked by a completion are
 * skipped (the next sweep takes them). `$1` is the batch size.
 */
const TAKE_ENDED_RUNS_SQL = `with due as (
       select tenant_id, id from runs
        where trace_open and finished_at is not null
        order by finished_at
        limit $1
        for update skip locked)
     update runs r set trace_open = false
       from due where r.tenant_id = due.tenant_id and r.id = due.id
     returning r.tenant_id, r.id, r.workflow_id, r.workflow_version, r.state, r.trigger_kind, r.error_code,
               r.trace_context, r.trace_parent_span_id, r.created_at, r.finished_at`;

const FAILED_STATES = new Set(['failed', 'timed_out']);

/**
 * Emits the span of every run that finished since the last sweep (system role): one span from
 * the run's creation to its end, with the id the API reserved when it started the run, under
 * the HTTP span that started it (ADR 0011). Returns how many it emitted.
 */
export async function emitEndedRunSpans(sys: Queryable, tracing: Tracing, batch = 200): Promise<number> {
  const ended = await sys.query<EndedRunRow>(TAKE_ENDED_RUNS_SQL, [batch]);
  for (const run of ended.rows) {
    const [, traceId, spanId, flags] = run.trace_context.split('-');
    if (!traceId || !spanId) continue;
    const span = tracing.startSpanWithId(
      { traceId, spanId },
      'shoal.run',
      {
        kind: SpanKind.INTERNAL,
        startTime: run.created_at,
        attributes: {
          'shoal.tenant_id': run.tenant_id,
          'shoal.workflow_id': run.workflow_id,
          'shoal.workflow_version': run.workflow_version,
          'shoal.run_id': run.id,
          'shoal.run.state': run.state,
          'shoal.trigger_kind': run.trigger_kind,
          ...(run.error_code ? { 'shoal.error.code': run.error_code } : {}),
        },
      },
      contextFromIds(traceId, run.trace_parent_span_id, flags !== '00'),
    );
    if (FAILED_STATES.has(run.state))
      span.setStatus({ code: SpanStatusCode.ERROR, message: run.error_code ?? run.state });
    span.end(run.finished_at);
  }
  return ended.rows.length;
}
