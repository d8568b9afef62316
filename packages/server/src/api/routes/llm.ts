import type { FastifyReply } from 'fastify';
import type {
  CallSummary,
  Gateway,
  GatewayCaller,
  GatewayChatRequest,
  ChatMessage,
} from '../../gateway/index.ts';
import type { Principal } from '../../identity/index.ts';
import { ApiError, normaliseError } from '../errors.ts';
import {
  ChatCompletionBody,
  ChatCompletionSchema,
  EmbeddingsBody,
  EmbeddingsSchema,
  LlmCallListQuery,
  LlmCallSchema,
  ModelListSchema,
  type ChatCompletionInput,
} from '../llm-schemas.ts';
import { directTenantRoute, tenantRoute, type RouteDeps } from '../route.ts';
import { securityHeaders } from '../security-headers.ts';

const UNAUDITED =
  'LLM calls are recorded one by one in llm_calls (GET /v1/llm-calls), too often for the audit log';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

const gatewayOf = (deps: RouteDeps): Gateway => {
  if (!deps.gateway)
    throw new ApiError('SERVICE_UNAVAILABLE', 'The LLM gateway is not running in this process');
  return deps.gateway;
};

const callerOf = (principal: Principal): GatewayCaller => ({
  tenantId: principal.tenantId,
  apiKeyId: principal.apiKeyId,
  keyLimits: principal.llmLimits ?? null,
});

const idempotencyKeyOf = (header: string | string[] | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header))
    throw new ApiError('VALIDATION_FAILED', 'Idempotency-Key must be 1-200 characters of [A-Za-z0-9._:-]');
  return header;
};

/** The `x-shoal-*` headers that say what the gateway did. */
const summaryHeaders = (call: CallSummary): Record<string, string> => ({
  'x-shoal-call-id': call.callId,
  'x-shoal-provider': call.provider,
  'x-shoal-model': call.model,
  'x-shoal-cost-micro-usd': String(call.costMicroUsd),
  'x-shoal-cache': call.cacheHit ? 'hit' : 'miss',
  'x-shoal-simulated': String(call.simulated),
  'x-shoal-attempts': String(call.attempts.filter((a) => a.outcome !== 'skipped').length),
  ...(call.replayed ? { 'x-shoal-replayed': 'true' } : {}),
});

function gatewayRequest(body: ChatCompletionInput, idempotencyKey: string | undefined): GatewayChatRequest {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const defined = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
  return {
    model: body.model,
    messages: body.messages as ChatMessage[],
    ...(defined(maxTokens) ? { max_tokens: maxTokens } : {}),
    ...(defined(body.temperature) ? { temperature: body.temperature } : {}),
    ...(defined(body.top_p) ? { top_p: body.top_p } : {}),
    ...(defined(body.stop) ? { stop: body.stop } : {}),
    ...(defined(body.seed) ? { seed: body.seed } : {}),
    ...(body.tools ? { tools: body.tools as GatewayChatRequest['tools'] } : {}),
    ...(body.tool_choice ? { tool_choice: body.tool_choice } : {}),
    ...(body.response_format
      ? { response_format: body.response_format as GatewayChatRequest['response_format'] }
      : {}),
    ...(body.user ? { user: body.user } : {}),
    ...(body.shoal?.tier === undefined ? {} : { tier: body.shoal.tier }),
    ...(body.shoal?.cache === undefined ? {} : { cache: body.shoal.cache }),
    ...(body.shoal?.cacheTtlSeconds === undefined ? {} : { cacheTtlSeconds: body.shoal.cacheTtlSeconds }),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}

/**
 * Streams the answer as server-sent events, as OpenAI does: `data: <chunk>` lines and
 * `data: [DONE]`. A failure after the first chunk can only be told in the stream itself.
 */
async function sendEventStream(
  reply: FastifyReply,
  requestId: string,
  stream: Awaited<ReturnType<Gateway['chatStream']>>,
  includeUsage: boolean,
) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-request-id': requestId,
    'x-shoal-provider': stream.provider,
    'x-shoal-model': stream.model,
    'x-shoal-cache': stream.cacheHit ? 'hit' : 'miss',
    'x-shoal-simulated': String(stream.simulated),
    ...securityHeaders({ html: false, hsts: false }),
  });
  try {
    for await (const chunk of stream) {
      if (!includeUsage && chunk.choices.length === 0) continue;
      const { usage: _usage, ...rest } = chunk;
      const payload = includeUsage ? chunk : rest;
      if (!raw.write(`data: ${JSON.stringify(payload)}\n\n`))
        await new Promise((resolve) => raw.once('drain', resolve));
    }
    const call = stream.summary();
    // A comment line: clients ignore it, curl users see what the call cost.
    raw.write(`: shoal call ${call.callId} cost_micro_usd=${call.costMicroUsd}\n\n`);
    raw.write('data: [DONE]\n\n');
  } catch (error) {
    const normal = normaliseError(error);
    raw.write(
      `data: ${JSON.stringify({ error: { code: normal.code, message: normal.message, requestId } })}\n\n`,
    );
  } finally {
    raw.end();
  }
}

export const llmRoutes = [
  directTenantRoute({
    method: 'POST',
    url: '/v1/chat/completions',
    operationId: 'createChatCompletion',
    auth: 'llm.invoke',
    tag: 'gateway',
    summary: 'Chat completion through the gateway (OpenAI-compatible; `stream: true` for server-sent events)',
    description:
      'Routes to the cheapest model of an alias that meets the requested tier, falls back on 429, 5xx, timeouts and streams that fail before their first token, enforces the tenant and key limits, and records the call. `Idempotency-Key` makes a retry return the first answer without a second send or charge. Response headers `x-shoal-*` say which model answered, what it cost and whether the cache served it. ',
    body: ChatCompletionBody,
    success: { status: 200, schema: ChatCompletionSchema, description: 'The completion' },
    errors: [
      { status: 402, description: 'A hard budget cannot cover the call (BUDGET_EXCEEDED)' },
      {
        status: 422,
        description: 'MODEL_UNPRICED, NO_CANDIDATE, PROVIDER_NOT_CONFIGURED or WRONG_MODEL_KIND',
      },
      { status: 502, description: 'Every candidate failed (UPSTREAM_FAILED; details list the attempts)' },
      { status: 504, description: 'Every candidate timed out (UPSTREAM_TIMEOUT)' },
    ],
    unaudited: UNAUDITED,
    handler: async ({ deps, principal, reply, signal, meta, trace }, { body }) => {
      const gateway = gatewayOf(deps);
      const request = gatewayRequest(body, idempotencyKeyOf(reply.request.headers['idempotency-key']));
      if (body.stream) {
        const stream = await gateway.chatStream(callerOf(principal), request, { signal, trace });
        await sendEventStream(
          reply,
          meta.requestId ?? '',
          stream,
          body.stream_options?.include_usage === true,
        );
        return { hijacked: true };
      }
      const result = await gateway.chat(callerOf(principal), request, { signal, trace });
      return { body: result.response, headers: summaryHeaders(result.call) };
    },
  }),
  directTenantRoute({
    method: 'POST',
    url: '/v1/embeddings',
    operationId: 'createEmbeddings',
    auth: 'llm.invoke',
    tag: 'gateway',
    summary: 'Embeddings through the gateway (OpenAI-compatible)',
    body: EmbeddingsBody,
    success: { status: 200, schema: EmbeddingsSchema, description: 'One embedding per input, in order' },
    errors: [{ status: 422, description: 'MODEL_UNPRICED, PROVIDER_NOT_CONFIGURED or WRONG_MODEL_KIND' }],
    unaudited: UNAUDITED,
    handler: async ({ deps, principal, reply, signal, trace }, { body }) => {
      const key = idempotencyKeyOf(reply.request.headers['idempotency-key']);
      const result = await gatewayOf(deps).embed(
        callerOf(principal),
        {
          model: body.model,
          input: body.input,
          ...(body.dimensions === undefined ? {} : { dimensions: body.dimensions }),
          ...(key ? { idempotencyKey: key } : {}),
        },
        { signal, trace },
      );
      const response =
        body.encoding_format === 'base64'
          ? {
              ...result.response,
              data: result.response.data.map((item) => ({
                ...item,
                embedding: Buffer.from(new Float32Array(item.embedding).buffer).toString('base64'),
              })),
            }
          : result.response;
      return { body: response, headers: summaryHeaders(result.call) };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/models',
    operationId: 'listModels',
    auth: 'llm.read',
    tag: 'gateway',
    summary: "The tenant's aliases and the models it can call (priced, with a key)",
    success: { status: 200, schema: ModelListSchema, description: 'Models, OpenAI-style' },
    handler: async ({ deps, principal }) => {
      const models = await gatewayOf(deps).listModels(principal.tenantId);
      return {
        body: {
          object: 'list',
          data: models.map((m) => ({
            id: m.id,
            object: 'model',
            created: 0,
            owned_by: m.provider ?? 'shoal-alias',
            kind: m.kind,
          })),
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/llm-calls',
    operationId: 'listLlmCalls',
    auth: 'llm.read',
    tag: 'gateway',
    summary: "The tenant's gateway calls, newest first: tokens, cost, latency, fallbacks, outcome",
    query: LlmCallListQuery,
    success: {
      status: 200,
      schema: LlmCallSchema.array().meta({ id: 'LlmCallList' }),
      description: 'Calls, newest first',
    },
    handler: async ({ tx }, { query }) => {
      const rows = await tx.query<Record<string, unknown>>(
        `select id, created_at, operation, alias, provider, model, api_key_id, run_id, step_id, tokens_in, tokens_out,
                tokens_cached, cost_micro_usd, latency_ms, ttft_ms, cache_hit, simulated, streamed, outcome, error_code,
                attempts
           from llm_calls
          where ($1::timestamptz is null or created_at < $1) and ($2::uuid is null or run_id = $2)
          order by created_at desc, id limit $3`,
        [query.before ?? null, query.runId ?? null, query.limit],
      );
      return {
        body: rows.rows.map((row) => ({
          id: row.id,
          createdAt: new Date(row.created_at as string).toISOString(),
          operation: row.operation,
          alias: row.alias,
          provider: row.provider,
          model: row.model,
          apiKeyId: row.api_key_id,
          runId: row.run_id,
          stepId: row.step_id,
          tokensIn: row.tokens_in,
          tokensOut: row.tokens_out,
          tokensCached: row.tokens_cached,
          costMicroUsd: Number(row.cost_micro_usd),
          latencyMs: row.latency_ms,
          ttftMs: row.ttft_ms,
          cacheHit: row.cache_hit,
          simulated: row.simulated,
          streamed: row.streamed,
          outcome: row.outcome,
          errorCode: row.error_code,
          attempts: row.attempts,
        })),
      };
    },
  }),
];
