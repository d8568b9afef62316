import {
  ROOT_CONTEXT,
  defaultTextMapGetter,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { parseTraceParent, W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();

/** The W3C traceparent header of a span context: `00-<trace id>-<span id>-<flags>`. */
export function formatTraceparent(context: Pick<SpanContext, 'traceId' | 'spanId' | 'traceFlags'>): string {
  const flags = (context.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** The parent context a stored traceparent names (a remote span); the root when absent or invalid. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  const parsed = traceparent ? parseTraceParent(traceparent) : null;
  return parsed && trace.isSpanContextValid(parsed)
    ? trace.setSpanContext(ROOT_CONTEXT, parsed)
    : ROOT_CONTEXT;
}

/** The parent of a span by ids: a run's span is the child of the HTTP span that started the run. */
export function contextFromIds(traceId: string, spanId: string | null, sampled = true): Context {
  if (!spanId) return ROOT_CONTEXT;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return trace.isSpanContextValid(context) ? trace.setSpanContext(ROOT_CONTEXT, context) : ROOT_CONTEXT;
}

/** The caller's trace from incoming `traceparent`/`tracestate` headers (the root without them). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** A context whose active span is `span`: the parent of the spans started under it. */
export function contextWithSpan(span: Span, parent: Context = ROOT_CONTEXT): Context {
  return trace.setSpan(parent, span);
}

/** `traceId` and `spanId` of a recording span, for log lines; empty when tracing is off. */
export function logIdsOf(span: Span): { traceId?: string; spanId?: string } {
  if (!span.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
