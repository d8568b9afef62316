import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Logger,
  type Span,
  TRACING_OFF,
  type Tracing,
} from '../observability/index.ts';
import { GatewayError } from './errors.ts';
import type {
  CallSummary,
  Gateway,
  GatewayCallOptions,
  GatewayCaller,
  GatewayChatStream,
} from './gateway-types.ts';

type Operation = 'chat' | 'chat_stream' | 'embeddings';

// With tracing off no span is made at all: the gateway's hot path pays one branch.
const NO_SPAN = TRACING_OFF.tracer.startSpan('off');

/**
 * The gateway with a span per call (ADR 0011), a child of the caller's span (a step attempt or
 * an HTTP request). Attributes are what the call record holds besides content: provider, model,
 * alias, tokens, cost, cache hit, outcome. Messages, prompts, answers and keys never go in.
 * Failed upstream calls are logged (with tracing off too), their error scrubbed by the logger.
 */
export function withCallSpans(gateway: Gateway, tracing: Tracing, logger: Logger): Gateway {
  const start = (operation: Operation, caller: GatewayCaller, model: string, options: GatewayCallOptions) =>
    !tracing.enabled
      ? NO_SPAN
      : tracing.tracer.startSpan(
          `shoal.gateway.${operation}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'gen_ai.operation.name': operation === 'embeddings' ? 'embeddings' : 'chat',
              'gen_ai.request.model': model,
              'shoal.tenant_id': caller.tenantId,
              ...(caller.runId ? { 'shoal.run_id': caller.runId } : {}),
              ...(caller.stepId ? { 'shoal.step_key': caller.stepId } : {}),
              ...(caller.apiKeyId ? { 'shoal.api_key_id': caller.apiKeyId } : {}),
            },
          },
          options.trace ?? ROOT_CONTEXT,
        );

  const succeeded = (span: Span, call: CallSummary) => {
    if (span === NO_SPAN) return;
    span.setAttributes({
      'gen_ai.provider.name': call.provider,
      'gen_ai.response.model': call.model,
      'gen_ai.usage.input_tokens': call.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': call.usage.completion_tokens,
      'shoal.llm.call_id': call.callId,
      'shoal.llm.cost_micro_usd': call.costMicroUsd,
      'shoal.llm.cache_hit': call.cacheHit,
      'shoal.llm.replayed': call.replayed,
      'shoal.llm.simulated': call.simulated,
      'shoal.llm.attempts': call.attempts.length,
      'shoal.llm.outcome': 'succeeded',
      ...(call.alias ? { 'shoal.llm.alias': call.alias } : {}),
    });
    span.end();
  };

  // The code only: an upstream's message can echo what was sent, keys included.
  const failed = (span: Span, error: unknown, caller: GatewayCaller) => {
    const code = error instanceof GatewayError ? error.code : 'INTERNAL';
    span.setAttribute('shoal.llm.outcome', code);
    span.setAttribute('shoal.error.code', code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    span.end();
    if (!(error instanceof GatewayError) || error.status >= 500)
      logger.warn({ err: error, tenantId: caller.tenantId, code }, 'llm call failed');
  };

  const traced = <Q extends { model: string }, R extends { call: CallSummary }>(
    operation: Operation,
    call: (caller: GatewayCaller, request: Q, options?: GatewayCallOptions) => Promise<R>,
  ) => {
    return async (caller: GatewayCaller, request: Q, options: GatewayCallOptions = {}): Promise<R> => {
      const span = start(operation, caller, request.model, options);
      try {
        const result = await call(caller, request, options);
        succeeded(span, result.call);
        return result;
      } catch (error) {
        failed(span, error, caller);
        throw error;
      }
    };
  };

  const chatStream: Gateway['chatStream'] = async (caller, request, options = {}) => {
    const span = start('chat_stream', caller, request.model, options);
    let stream: GatewayChatStream;
    try {
      stream = await gateway.chatStream(caller, request, options);
    } catch (error) {
      failed(span, error, caller);
      throw error;
    }
    return {
      get provider() {
        return stream.provider;
      },
      get model() {
        return stream.model;
      },
      get simulated() {
        return stream.simulated;
      },
      get cacheHit() {
        return stream.cacheHit;
      },
      summary: () => stream.summary(),
      async *[Symbol.asyncIterator]() {
        let ended = false;
        try {
          yield* stream;
          ended = true;
          succeeded(span, stream.summary());
        } catch (error) {
          ended = true;
          failed(span, error, caller);
          throw error;
        } finally {
          // The client stopped reading: what was streamed so far is the call.
          if (!ended) {
            span.setAttribute('shoal.llm.outcome', 'abandoned');
            span.end();
          }
        }
      },
    };
  };

  return {
    ...gateway,
    chat: traced('chat', gateway.chat),
    embed: traced('embeddings', gateway.embed),
    chatStream,
  };
}
