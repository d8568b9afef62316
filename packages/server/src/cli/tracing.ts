import type { Config } from '../config/index.ts';
import { createTracing, type Tracing } from '../observability/index.ts';

/**
 * The process's tracing as config asks (docs/adr/0011-tracing.md): spans sent by OTLP/HTTP to
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, or off (a no-op tracer) when it is unset.
 */
export function openTracing(config: Config, role: string): Tracing {
  return createTracing({
    serviceName: config.OTEL_SERVICE_NAME,
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    attributes: { 'shoal.role': role },
  });
}
