import { createNodeHttp } from './node-http-fetch.ts';
import type { z } from 'zod';
import { createTokenCounter } from '../tokens.ts';
import type { TokenCounter } from '../tokens.ts';
import { makeChatStream } from './chat-stream.ts';
import {
  OpenAiChatResponseSchema,
  OpenAiChunkSchema,
  OpenAiEmbeddingResponseSchema,
  toFinishReason,
  toUsage,
} from './openai-wire.ts';
import { ProviderError } from './provider.ts';
import type {
  CallOptions,
  ChatChunk,
  ChatRequest,
  ChatResponse,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResponse,
  LlmProvider,
  ProviderConnection,
  Usage,
} from './provider.ts';
import { parseSse } from './sse.ts';
import { errorFromBrokenStream, failureForStatus, truncate } from './upstream-errors.ts';
import { postForJson, postJson, streamBody } from './upstream-request.ts';
import type { UpstreamHttp } from './upstream-request.ts';

export interface OpenAiProviderOptions {
  /** Defaults to node:http keep-alive agents (createNodeHttp); a fetch given is used for every call. */
  fetch?: typeof fetch;
  /** Agents shared with other providers (createProviders); ignored when `fetch` is given. */
  transport?: Omit<UpstreamHttp, 'now'>;
  /** Wall clock in ms, for `Retry-After` dates and `created`. */
  now?: () => number;
  /** Counts tokens when an OpenAI-compatible server leaves `usage` out, so the call is still metered. */
  tokens?: TokenCounter;
}

/**
 * Any OpenAI-compatible upstream. The connection's base URL is the prefix to which
 * `/chat/completions` and `/embeddings` are appended, so it names the API version itself:
 * `https://api.openai.com/v1`, `http://localhost:11434/v1`, `https://openrouter.ai/api/v1`.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions = {}): LlmProvider {
  const http: UpstreamHttp = {
    ...(options.fetch ? { fetch: options.fetch } : (options.transport ?? createNodeHttp())),
    now: options.now ?? Date.now,
  };
  const tokens = options.tokens ?? createTokenCounter();

  function endpoint(connection: ProviderConnection, path: string): string {
    if (connection.baseUrl === null) {
      throw new ProviderError('bad_request', `provider ${connection.name} has no base URL`);
    }
    return `${connection.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  function headers(
    connection: ProviderConnection,
    options: CallOptions,
    accept: string,
  ): Record<string, string> {
    return {
      accept,
      ...(connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {}),
      ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
    };
  }

  function invalid(connection: ProviderConnection, what: string, error: z.ZodError): ProviderError {
    const issue = error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : error.message;
    return new ProviderError(
      'invalid_response',
      `${connection.name} sent ${what} the OpenAI protocol does not allow (${truncate(where, 200)})`,
      {},
      { cause: error },
    );
  }

  function estimatedUsage(request: ChatRequest, completion: string): Usage {
    const prompt = tokens.estimateChatTokens(request.messages, request.tools);
    const completionTokens = tokens.countTokens(completion);
    return {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
    };
  }

  async function chat(
    connection: ProviderConnection,
    request: ChatRequest,
    call: CallOptions,
  ): Promise<ChatResult> {
    const started = performance.now();
    const answer = await postForJson(
      http,
      connection.name,
      endpoint(connection, '/chat/completions'),
      headers(connection, call, 'application/json'),
      { ...request, stream: false },
      call.signal,
    );
    const parsed = OpenAiChatResponseSchema.safeParse(answer);
    if (!parsed.success) throw invalid(connection, 'a chat completion', parsed.error);
    const body = parsed.data;
    const choices = body.choices.map((choice, position) => ({
      index: choice.index ?? position,
      message: {
        role: 'assistant' as const,
        content: choice.message.content ?? null,
        ...(choice.message.tool_calls?.length
          ? {
              tool_calls: choice.message.tool_calls.map((toolCall) => ({
                id: toolCall.id,
                type: 'function' as const,
                function: toolCall.function,
              })),
            }
          : {}),
      },
      finish_reason: toFinishReason(choice.finish_reason),
    }));
    const text = choices
      .map(
        (choice) =>
          (choice.message.content ?? '') +
          (choice.message.tool_calls ?? []).map((t) => t.function.arguments).join(''),
      )
      .join('');
    const result: ChatResponse = {
      id: body.id ?? `chatcmpl-${started.toFixed(0)}`,
      object: 'chat.completion',
      created: body.created ?? Math.floor(http.now() / 1000),
      model: body.model ?? request.model,
      choices,
      usage: body.usage ? toUsage(body.usage) : estimatedUsage(request, text),
      ...(body.system_fingerprint ? { system_fingerprint: body.system_fingerprint } : {}),
    };
    return { response: result, latencyMs: performance.now() - started };
  }

  function chatStream(connection: ProviderConnection, request: ChatRequest, call: CallOptions) {
    return makeChatStream(async function* (setUsage) {
      const response = await postJson(
        http,
        connection.name,
        endpoint(connection, '/chat/completions'),
        headers(connection, call, 'text/event-stream'),
        { ...request, stream: true, stream_options: { include_usage: true } },
        call.signal,
      );
      const body = streamBody(connection.name, response);
      let afterFirstToken = false;
      let sawDone = false;
      let sawFinish = false;
      let usage: Usage | undefined;
      let id = '';
      let created = Math.floor(http.now() / 1000);
      let model = request.model;
      let fingerprint: string | undefined;
      let text = '';
      try {
        for await (const event of parseSse(body)) {
          if (event.data === '[DONE]') {
            sawDone = true;
            break;
          }
          const chunk = parseChunk(connection, event.data, afterFirstToken);
          id = chunk.id ?? id;
          created = chunk.created ?? created;
          model = chunk.model ?? model;
          fingerprint = chunk.system_fingerprint ?? fingerprint;
          if (chunk.usage) usage = toUsage(chunk.usage);
          const choices = chunk.choices ?? [];
          if (choices.length === 0) continue;
          const out: ChatChunk = {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: choices.map((choice, position) => {
              if (choice.finish_reason) sawFinish = true;
              const delta = choice.delta ?? {};
              text += delta.content ?? '';
              for (const toolCall of delta.tool_calls ?? []) text += toolCall.function?.arguments ?? '';
              return {
                index: choice.index ?? position,
                delta: {
                  ...(delta.role === 'assistant' ? { role: 'assistant' as const } : {}),
                  ...(delta.content === undefined || delta.content === null
                    ? {}
                    : { content: delta.content }),
                  ...(delta.tool_calls?.length
                    ? {
                        tool_calls: delta.tool_calls.map((toolCall) => ({
                          index: toolCall.index,
                          ...(toolCall.id ? { id: toolCall.id } : {}),
                          ...(toolCall.type ? { type: toolCall.type } : {}),
                          ...(toolCall.function
                            ? {
                                function: {
                                  ...(toolCall.function.name ? { name: toolCall.function.name } : {}),
                                  ...(toolCall.function.arguments === undefined ||
                                  toolCall.function.arguments === null
                                    ? {}
                                    : { arguments: toolCall.function.arguments }),
                                },
                              }
                            : {}),
                        })),
                      }
                    : {}),
                },
                finish_reason: choice.finish_reason ? toFinishReason(choice.finish_reason) : null,
              };
            }),
            ...(fingerprint ? { system_fingerprint: fingerprint } : {}),
          };
          yield out;
          afterFirstToken = true;
        }
      } catch (error) {
        throw errorFromBrokenStream(connection.name, error, call.signal, afterFirstToken);
      }
      // A clean end after a finish_reason is complete even without `[DONE]` (some servers omit it).
      if (!afterFirstToken || (!sawDone && !sawFinish)) {
        throw new ProviderError(
          'stream_cut',
          `${connection.name} ended the stream ${afterFirstToken ? 'before its finish' : 'before its first token'}`,
          { afterFirstToken },
        );
      }
      const total = usage ?? estimatedUsage(request, text);
      yield {
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [],
        usage: total,
        ...(fingerprint ? { system_fingerprint: fingerprint } : {}),
      };
      setUsage(total);
    });
  }

  function parseChunk(connection: ProviderConnection, data: string, afterFirstToken: boolean) {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (error) {
      throw new ProviderError(
        'invalid_response',
        `${connection.name} sent a stream event that is not JSON`,
        {
          afterFirstToken,
        },
        { cause: error },
      );
    }
    // OpenAI reports a failure inside an open stream as an event `{error: {...}}`.
    if (typeof json === 'object' && json !== null && 'error' in json) {
      const error = (json as { error: unknown }).error;
      const message =
        typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : 'error';
      const code = typeof error === 'object' && error !== null && 'code' in error ? Number(error.code) : NaN;
      const failure = Number.isInteger(code) && code >= 400 ? failureForStatus(code) : 'server';
      throw new ProviderError(
        failure,
        `${connection.name} failed inside the stream: ${truncate(message, 300)}`,
        {
          afterFirstToken,
          ...(Number.isInteger(code) && code >= 400 ? { status: code } : {}),
        },
      );
    }
    const parsed = OpenAiChunkSchema.safeParse(json);
    if (!parsed.success) throw invalid(connection, 'a stream chunk', parsed.error);
    return parsed.data;
  }

  async function embed(
    connection: ProviderConnection,
    request: EmbeddingRequest,
    call: CallOptions,
  ): Promise<EmbeddingResponse> {
    const answer = await postForJson(
      http,
      connection.name,
      endpoint(connection, '/embeddings'),
      headers(connection, call, 'application/json'),
      request,
      call.signal,
    );
    const parsed = OpenAiEmbeddingResponseSchema.safeParse(answer);
    if (!parsed.success) throw invalid(connection, 'an embeddings answer', parsed.error);
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    if (parsed.data.data.length !== inputs.length) {
      throw new ProviderError(
        'invalid_response',
        `${connection.name} returned ${parsed.data.data.length} embeddings for ${inputs.length} inputs`,
      );
    }
    const promptTokens =
      parsed.data.usage?.prompt_tokens ?? inputs.reduce((sum, input) => sum + tokens.countTokens(input), 0);
    return {
      object: 'list',
      data: parsed.data.data.map((item, position) => ({
        object: 'embedding',
        index: item.index ?? position,
        embedding: item.embedding,
      })),
      model: parsed.data.model ?? request.model,
      usage: { prompt_tokens: promptTokens, total_tokens: parsed.data.usage?.total_tokens ?? promptTokens },
    };
  }

  return { kind: 'openai', chat, chatStream, embed };
}
