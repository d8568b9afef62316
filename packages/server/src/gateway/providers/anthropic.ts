import { createNodeHttp } from './node-http-fetch.ts';
import type { z } from 'zod';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, toAnthropicRequest } from './anthropic-request.ts';
import {
  AnthropicEventSchemas,
  AnthropicMessageSchema,
  failureForErrorType,
  mergeUsage,
  toFinishReason,
  toMessage,
  toUsage,
} from './anthropic-response.ts';
import type { AnthropicUsage } from './anthropic-response.ts';
import { makeChatStream } from './chat-stream.ts';
import { ProviderError } from './provider.ts';
import type {
  CallOptions,
  ChatChunk,
  ChatRequest,
  ChatResult,
  EmbeddingResponse,
  LlmProvider,
  ProviderConnection,
} from './provider.ts';
import { parseSse } from './sse.ts';
import { errorFromBrokenStream, truncate } from './upstream-errors.ts';
import { postForJson, postJson, streamBody } from './upstream-request.ts';
import type { UpstreamHttp } from './upstream-request.ts';

export const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicProviderOptions {
  /** Defaults to node:http keep-alive agents (createNodeHttp); a fetch given is used for every call. */
  fetch?: typeof fetch;
  /** Agents shared with other providers (createProviders); ignored when `fetch` is given. */
  transport?: Omit<UpstreamHttp, 'now'>;
  /** Wall clock in ms, for `Retry-After` dates and `created`. */
  now?: () => number;
}

export { ANTHROPIC_DEFAULT_MAX_TOKENS };

/**
 * Anthropic's Messages API behind the OpenAI shape. The base URL is the host without the
 * version (`https://api.anthropic.com`); `/v1/messages` is appended. Errors map like OpenAI's,
 * with 529 (overloaded) as a server failure.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions = {}): LlmProvider {
  const http: UpstreamHttp = {
    ...(options.fetch ? { fetch: options.fetch } : (options.transport ?? createNodeHttp())),
    now: options.now ?? Date.now,
  };

  function endpoint(connection: ProviderConnection): string {
    return `${(connection.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}/v1/messages`;
  }

  function headers(connection: ProviderConnection, accept: string): Record<string, string> {
    return {
      accept,
      'anthropic-version': ANTHROPIC_VERSION,
      ...(connection.apiKey ? { 'x-api-key': connection.apiKey } : {}),
    };
  }

  function invalid(connection: ProviderConnection, what: string, error: z.ZodError, afterFirstToken = false) {
    const issue = error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : error.message;
    return new ProviderError(
      'invalid_response',
      `${connection.name} sent ${what} the Anthropic protocol does not allow (${truncate(where, 200)})`,
      { afterFirstToken },
      { cause: error },
    );
  }

  async function chat(
    connection: ProviderConnection,
    request: ChatRequest,
    call: CallOptions,
  ): Promise<ChatResult> {
    const started = performance.now();
    const body = toAnthropicRequest(request);
    const answer = await postForJson(
      http,
      connection.name,
      endpoint(connection),
      headers(connection, 'application/json'),
      body,
      call.signal,
    );
    const parsed = AnthropicMessageSchema.safeParse(answer);
    if (!parsed.success) throw invalid(connection, 'a message', parsed.error);
    const message = toMessage(parsed.data.content);
    return {
      response: {
        id: parsed.data.id,
        object: 'chat.completion',
        created: Math.floor(http.now() / 1000),
        model: parsed.data.model ?? request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: message.content,
              ...(message.toolCalls.length > 0 ? { tool_calls: message.toolCalls } : {}),
            },
            finish_reason: toFinishReason(parsed.data.stop_reason),
          },
        ],
        usage: toUsage(parsed.data.usage),
      },
      latencyMs: performance.now() - started,
    };
  }

  function chatStream(connection: ProviderConnection, request: ChatRequest, call: CallOptions) {
    return makeChatStream(async function* (setUsage) {
      const response = await postJson(
        http,
        connection.name,
        endpoint(connection),
        headers(connection, 'text/event-stream'),
        { ...toAnthropicRequest(request), stream: true },
        call.signal,
      );
      const body = streamBody(connection.name, response);
      const created = Math.floor(http.now() / 1000);
      let id = '';
      let model = request.model;
      let usage: AnthropicUsage = {};
      let sawStop = false;
      let afterFirstToken = false;
      let roleSent = false;
      /** Anthropic numbers every content block; OpenAI numbers only the tool calls. */
      const toolIndexOfBlock = new Map<number, number>();

      const chunk = (
        delta: ChatChunk['choices'][number]['delta'],
        finishReason: ChatChunk['choices'][number]['finish_reason'] = null,
      ): ChatChunk => {
        const withRole = roleSent ? delta : { role: 'assistant' as const, ...delta };
        roleSent = true;
        return {
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [{ index: 0, delta: withRole, finish_reason: finishReason }],
        };
      };

      try {
        for await (const event of parseSse(body)) {
          let data: unknown;
          try {
            data = JSON.parse(event.data);
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
          const type =
            typeof data === 'object' && data !== null && 'type' in data && typeof data.type === 'string'
              ? data.type
              : event.event;
          let out: ChatChunk | undefined;
          switch (type) {
            case 'message_start': {
              const parsed = AnthropicEventSchemas.message_start.safeParse(data);
              if (!parsed.success)
                throw invalid(connection, 'a message_start', parsed.error, afterFirstToken);
              id = parsed.data.message.id;
              model = parsed.data.message.model ?? model;
              usage = mergeUsage(usage, parsed.data.message.usage ?? {});
              break;
            }
            case 'content_block_start': {
              const parsed = AnthropicEventSchemas.content_block_start.safeParse(data);
              if (!parsed.success)
                throw invalid(connection, 'a content_block_start', parsed.error, afterFirstToken);
              const block = parsed.data.content_block;
              if (block.type === 'tool_use' && 'name' in block) {
                const toolIndex = toolIndexOfBlock.size;
                toolIndexOfBlock.set(parsed.data.index, toolIndex);
                out = chunk({
                  tool_calls: [
                    {
                      index: toolIndex,
                      id: block.id,
                      type: 'function',
                      function: { name: block.name, arguments: '' },
                    },
                  ],
                });
              } else if (block.type === 'text' && 'text' in block && block.text) {
                out = chunk({ content: block.text });
              }
              break;
            }
            case 'content_block_delta': {
              const parsed = AnthropicEventSchemas.content_block_delta.safeParse(data);
              if (!parsed.success)
                throw invalid(connection, 'a content_block_delta', parsed.error, afterFirstToken);
              const delta = parsed.data.delta;
              if (delta.type === 'text_delta' && 'text' in delta) {
                out = chunk({ content: delta.text });
              } else if (delta.type === 'input_json_delta' && 'partial_json' in delta) {
                const toolIndex = toolIndexOfBlock.get(parsed.data.index);
                if (toolIndex === undefined) {
                  throw new ProviderError(
                    'invalid_response',
                    `${connection.name} sent tool input for a block that is no tool call`,
                    {
                      afterFirstToken,
                    },
                  );
                }
                out = chunk({
                  tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }],
                });
              }
              break;
            }
            case 'message_delta': {
              const parsed = AnthropicEventSchemas.message_delta.safeParse(data);
              if (!parsed.success)
                throw invalid(connection, 'a message_delta', parsed.error, afterFirstToken);
              usage = mergeUsage(usage, parsed.data.usage ?? {});
              const stopReason = parsed.data.delta?.stop_reason;
              if (stopReason) out = chunk({}, toFinishReason(stopReason));
              break;
            }
            case 'message_stop':
              sawStop = true;
              break;
            case 'error': {
              const parsed = AnthropicEventSchemas.error.safeParse(data);
              const detail = parsed.success ? parsed.data.error : {};
              throw new ProviderError(
                failureForErrorType(detail.type),
                `${connection.name} failed inside the stream: ${truncate(detail.message ?? detail.type ?? 'error', 300)}`,
                { afterFirstToken },
              );
            }
            default:
              // ping, content_block_stop and event types added later carry nothing to forward.
              break;
          }
          if (out) {
            yield out;
            afterFirstToken = true;
          }
          if (sawStop) break;
        }
      } catch (error) {
        throw errorFromBrokenStream(connection.name, error, call.signal, afterFirstToken);
      }
      if (!sawStop) {
        throw new ProviderError(
          'stream_cut',
          `${connection.name} ended the stream ${afterFirstToken ? 'before message_stop' : 'before its first token'}`,
          { afterFirstToken },
        );
      }
      const total = toUsage(usage);
      yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage: total };
      setUsage(total);
    });
  }

  function embed(connection: ProviderConnection): Promise<EmbeddingResponse> {
    return Promise.reject(
      new ProviderError('bad_request', `${connection.name}: anthropic has no embeddings API`),
    );
  }

  return { kind: 'anthropic', chat, chatStream, embed };
}
