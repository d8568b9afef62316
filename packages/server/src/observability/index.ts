export { createLogger, REDACT_PATHS } from './logger.ts';
export type { Logger } from './logger.ts';
export { redactDeep, redactFields, redactText, REDACTED } from './redact.ts';
export { createTracing, TRACING_OFF } from './tracing.ts';
export type { RunTrace, Span, SpanIds, SpanParent, Tracer, Tracing, TracingOptions } from './tracing.ts';
export {
  contextFromHeaders,
  contextFromIds,
  contextFromTraceparent,
  contextWithSpan,
  formatTraceparent,
  logIdsOf,
} from './trace-context.ts';
export { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
export { createMetrics, STEP_OUTCOMES, GATEWAY_OUTCOMES } from './metrics.ts';
export type { Metrics, MetricSources, LlmCallSample, CommittedEvent, StepOutcome } from './metrics.ts';
export { createTenantLabeller, OTHER_TENANT } from './tenant-labels.ts';
export type { TenantLabeller } from './tenant-labels.ts';
