import {
  ProxyTracerProvider,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  RandomIdGenerator,
  SimpleSpanProcessor,
  type IdGenerator,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { formatTraceparent } from './trace-context.ts';

export type { Context as SpanParent, Span, Tracer };

/** Where a run's span sits: its own traceparent, and the span it is a child of (ADR 0011). */
export interface RunTrace {
  traceparent: string;
  parentSpanId: string | null;
}

/**
 * A process's tracer and what it needs besides the OpenTelemetry API: span ids chosen ahead of
 * the span (a run's span is emitted when the run ends, often by another process).
 */
export interface Tracing {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** A span id for a span emitted later, and its traceparent under `parent`; null when off. */
  reserveChild(parent: Context): RunTrace | null;
  /** The ids of a new trace's root span emitted later (a run no request started); null when off. */
  reserveRoot(): RunTrace | null;
  /** Starts a span with the ids reserved earlier by `reserveChild` (in any process). */
  startSpanWithId(ids: SpanIds, name: string, options: SpanOptions, parent: Context): Span;
  /** Exports what is buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface SpanIds {
  traceId: string;
  spanId: string;
}

/** Hands out pinned ids once, then random ones: how a span gets ids chosen earlier. */
class PinnableIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  pinned: SpanIds | null = null;
  generateTraceId(): string {
    // Asked only for a root span, after the span id.
    return this.pinned?.traceId ?? this.random.generateTraceId();
  }
  generateSpanId(): string {
    return this.pinned?.spanId ?? this.random.generateSpanId();
  }
}

/** Tracing off: the API's no-op tracer, nothing stored on runs, nothing exported. */
export const TRACING_OFF: Tracing = {
  enabled: false,
  tracer: new ProxyTracerProvider().getTracer('shoal'),
  reserveChild: () => null,
  reserveRoot: () => null,
  startSpanWithId: (_id, name, options, parent) =>
    new ProxyTracerProvider().getTracer('shoal').startSpan(name, options, parent),
  flush: async () => undefined,
  shutdown: async () => undefined,
};

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`): spans go to `<endpoint>/v1/traces`. */
  endpoint?: string | undefined;
  /** An exporter of the caller's (tests: an InMemorySpanExporter), each span sent as it ends. */
  exporter?: SpanExporter;
  /** More resource attributes, e.g. the process's role. */
  attributes?: Record<string, string>;
}

/** Built once by the composition root; off (no-op) without an endpoint or an exporter. */
export function createTracing(options: TracingOptions): Tracing {
  if (!options.endpoint && !options.exporter) return TRACING_OFF;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.endpoint?.replace(/\/+$/, '')}/v1/traces` }),
      );
  const ids = new PinnableIdGenerator();
  // Sampler and limits given here, so the SDK's OTEL_* defaults do not decide them.
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, ...options.attributes }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanLimits: { attributeCountLimit: 64, attributeValueLengthLimit: 512, eventCountLimit: 32 },
    idGenerator: ids,
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('shoal');
  return {
    enabled: true,
    tracer,
    reserveChild(parent) {
      const context = trace.getSpanContext(parent);
      if (!context || !trace.isSpanContextValid(context)) return null;
      const spanId = ids.generateSpanId();
      return {
        traceparent: formatTraceparent({ ...context, spanId }),
        parentSpanId: context.spanId,
      };
    },
    reserveRoot() {
      const context = { traceId: ids.generateTraceId(), spanId: ids.generateSpanId(), traceFlags: 1 };
      return { traceparent: formatTraceparent(context), parentSpanId: null };
    },
    startSpanWithId(pinned, name, spanOptions, parent) {
      // startSpan takes its ids synchronously: no other span can be started while pinned.
      ids.pinned = pinned;
      try {
        return tracer.startSpan(name, spanOptions, parent);
      } finally {
        ids.pinned = null;
      }
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
