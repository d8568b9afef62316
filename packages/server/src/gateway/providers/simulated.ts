import { setTimeout as delay } from 'node:timers/promises';
import { createTokenCounter } from '../tokens.ts';
import type { TokenCounter } from '../tokens.ts';
import { makeChatStream } from './chat-stream.ts';
import { ProviderError } from './provider.ts';
import type {
  CallOptions,
  ChatChunk,
  ChatRequest,
  ChatResponse,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResponse,
  FinishReason,
  LlmProvider,
  ProviderConnection,
  ToolCall,
  Usage,
} from './provider.ts';
import { generateJsonValue, generateText } from './simulated-content.ts';
import { hashSeed, seededRandom } from './seeded-random.ts';
import { compileSimulatedOptions } from './simulated-options.ts';
import type { SimulatedOptions } from './simulated-options.ts';
import { abortError, throwIfAborted } from './upstream-errors.ts';

export const SIMULATED_FINGERPRINT = 'shoal-simulated';
const DEFAULT_DIMENSIONS = 256;
const MAX_DIMENSIONS = 8192;
/** Characters of tool-call arguments per streamed chunk. */
const ARGUMENT_CHUNK = 16;

export interface SimulatedProviderOptions {
  /** Wall clock in ms, for `created`. */
  now?: () => number;
  /** Waits `ms` or rejects once `signal` aborts; tests pass one that returns at once. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  tokens?: TokenCounter;
}

/** One answer, decided before any time passes so that plain and streamed calls say the same. */
interface Answer {
  id: string;
  /** Chunks of the content as a stream sends them (empty for a tool call). */
  pieces: string[];
  content: string | null;
  toolCall: ToolCall | null;
  finishReason: FinishReason;
  usage: Usage;
}

/**
 * A provider without a network. The answer depends only on the request: its `seed`, or else a
 * hash of the request without `max_tokens` (so a smaller `max_tokens` cuts the same text).
 * Text is words from a fixed list; `response_format` JSON gets valid JSON (matching a given
 * schema's simple types); `tool_choice` `required` or a named function gets a tool call with
 * arguments matching the tool's parameters. `auto` answers in text. Token counts are the
 * tokenizer's. Every answer has `system_fingerprint: 'shoal-simulated'`.
 *
 * Injected failures are deterministic: the n-th call of one connection (counted per provider
 * instance and connection name) fails when hash(request seed, n) / 2^32 < errorRate, so a test
 * that makes the same calls in the same order sees the same failures.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions = {}): LlmProvider {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const tokens = options.tokens ?? createTokenCounter();
  const compiled = new WeakMap<object, SimulatedOptions>();
  const callCounts = new Map<string, number>();

  function settings(connection: ProviderConnection): SimulatedOptions {
    let found = compiled.get(connection.options);
    if (found === undefined) {
      found = compileSimulatedOptions(connection);
      compiled.set(connection.options, found);
    }
    return found;
  }

  async function wait(ms: number, signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (ms <= 0) return;
    try {
      await sleep(ms, signal);
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      throw error;
    }
    throwIfAborted(signal);
  }

  /** The injected failure of this call, if its turn came up. */
  function injectedFailure(
    connection: ProviderConnection,
    config: SimulatedOptions,
    seed: number,
  ): ProviderError | null {
    const call = (callCounts.get(connection.name) ?? 0) + 1;
    callCounts.set(connection.name, call);
    if (config.errorRate === 0) return null;
    if (hashSeed(`${seed}:${call}`) / 4294967296 >= config.errorRate) return null;
    return config.errorStatus === 429
      ? new ProviderError(
          'rate_limited',
          `${connection.name} (simulated) answered 429: injected rate limit`,
          {
            status: 429,
            retryAfterMs: config.retryAfterMs,
          },
        )
      : new ProviderError('server', `${connection.name} (simulated) answered 500: injected server error`, {
          status: 500,
        });
  }

  function requestSeed(request: ChatRequest): number {
    if (request.seed !== undefined) return request.seed >>> 0;
    const { max_tokens: _ignored, ...rest } = request;
    return hashSeed(JSON.stringify(rest));
  }

  function answer(request: ChatRequest, seed: number): Answer {
    const random = seededRandom(seed);
    const id = `chatcmpl-sim-${seed.toString(16).padStart(8, '0')}`;
    const prompt = tokens.estimateChatTokens(request.messages, request.tools);
    const usage = (completion: number): Usage => ({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    });

    const tool = chosenTool(request, random);
    if (tool) {
      const args = JSON.stringify(generateJsonValue(tool.function.parameters ?? { type: 'object' }, random));
      const toolCall: ToolCall = {
        id: `call_sim_${seed.toString(16).padStart(8, '0')}`,
        type: 'function',
        function: { name: tool.function.name, arguments: args },
      };
      return {
        id,
        pieces: [],
        content: null,
        toolCall,
        finishReason: 'tool_calls',
        usage: usage(tokens.countTokens(tool.function.name) + tokens.countTokens(args)),
      };
    }

    const format = request.response_format;
    if (format !== undefined && format.type !== 'text') {
      const value =
        format.type === 'json_schema' && format.json_schema.schema !== undefined
          ? generateJsonValue(format.json_schema.schema, random)
          : { answer: generateText(random, tokens, undefined, 12).text };
      const content = JSON.stringify(value);
      return {
        id,
        pieces: [content],
        content,
        toolCall: null,
        finishReason: 'stop',
        usage: usage(tokens.countTokens(content)),
      };
    }

    const text = generateText(random, tokens, request.max_tokens);
    return {
      id,
      pieces: text.pieces,
      content: text.text,
      toolCall: null,
      finishReason: text.truncated ? 'length' : 'stop',
      usage: usage(tokens.countTokens(text.text)),
    };
  }

  async function chat(
    connection: ProviderConnection,
    request: ChatRequest,
    call: CallOptions,
  ): Promise<ChatResult> {
    const started = performance.now();
    const config = settings(connection);
    const seed = requestSeed(request);
    const failure = injectedFailure(connection, config, seed);
    if (failure) {
      await wait(config.ttftMs, call.signal);
      throw failure;
    }
    const result = answer(request, seed);
    await wait(Math.max(config.latencyMs, config.ttftMs), call.signal);
    const response: ChatResponse = {
      id: result.id,
      object: 'chat.completion',
      created: Math.floor(now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: result.content,
            ...(result.toolCall ? { tool_calls: [result.toolCall] } : {}),
          },
          finish_reason: result.finishReason,
        },
      ],
      usage: result.usage,
      system_fingerprint: SIMULATED_FINGERPRINT,
    };
    return { response, latencyMs: performance.now() - started };
  }

  function chatStream(connection: ProviderConnection, request: ChatRequest, call: CallOptions) {
    return makeChatStream(async function* (setUsage) {
      const config = settings(connection);
      const seed = requestSeed(request);
      const failure = injectedFailure(connection, config, seed);
      await wait(config.ttftMs, call.signal);
      if (failure) throw failure;
      const result = answer(request, seed);
      const created = Math.floor(now() / 1000);
      const chunk = (
        delta: ChatChunk['choices'][number]['delta'],
        finishReason: FinishReason | null = null,
      ): ChatChunk => ({
        id: result.id,
        object: 'chat.completion.chunk',
        created,
        model: request.model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
        system_fingerprint: SIMULATED_FINGERPRINT,
      });

      const deltas: ChatChunk['choices'][number]['delta'][] = [];
      if (result.toolCall) {
        const { id, function: fn } = result.toolCall;
        deltas.push({
          role: 'assistant',
          tool_calls: [{ index: 0, id, type: 'function', function: { name: fn.name, arguments: '' } }],
        });
        for (let at = 0; at < fn.arguments.length; at += ARGUMENT_CHUNK) {
          deltas.push({
            tool_calls: [{ index: 0, function: { arguments: fn.arguments.slice(at, at + ARGUMENT_CHUNK) } }],
          });
        }
      } else {
        result.pieces.forEach((piece, index) =>
          deltas.push(index === 0 ? { role: 'assistant', content: piece } : { content: piece }),
        );
        if (deltas.length === 0) deltas.push({ role: 'assistant', content: '' });
      }

      // What the latency leaves after the first token is spread evenly over the later chunks.
      const pace =
        deltas.length > 1 ? Math.max(0, config.latencyMs - config.ttftMs) / (deltas.length - 1) : 0;
      for (const [index, delta] of deltas.entries()) {
        if (index > 0) await wait(pace, call.signal);
        yield chunk(delta);
      }
      throwIfAborted(call.signal);
      yield chunk({}, result.finishReason);
      yield { ...chunk({}), choices: [], usage: result.usage };
      setUsage(result.usage);
    });
  }

  async function embed(
    connection: ProviderConnection,
    request: EmbeddingRequest,
    call: CallOptions,
  ): Promise<EmbeddingResponse> {
    const config = settings(connection);
    const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new ProviderError('bad_request', `dimensions must be an integer from 1 to ${MAX_DIMENSIONS}`);
    }
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    const failure = injectedFailure(connection, config, hashSeed(JSON.stringify(inputs)));
    if (failure) {
      await wait(config.ttftMs, call.signal);
      throw failure;
    }
    await wait(Math.max(config.latencyMs, config.ttftMs), call.signal);
    const promptTokens = inputs.reduce((sum, input) => sum + tokens.countTokens(input), 0);
    return {
      object: 'list',
      data: inputs.map((input, index) => ({
        object: 'embedding',
        index,
        embedding: unitVector(input, dimensions),
      })),
      model: request.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    };
  }

  return { kind: 'simulated', chat, chatStream, embed };
}

function chosenTool(request: ChatRequest, random: () => number) {
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (tools.length === 0 || choice === undefined || choice === 'none' || choice === 'auto') return undefined;
  if (choice === 'required') return tools[Math.floor(random() * tools.length)];
  const named = tools.find((tool) => tool.function.name === choice.function.name);
  if (!named) {
    throw new ProviderError(
      'bad_request',
      `tool_choice names ${choice.function.name}, which is not among the tools`,
    );
  }
  return named;
}

/** A deterministic unit vector of an input: equal inputs embed equally, different ones apart. */
function unitVector(input: string, dimensions: number): number[] {
  const random = seededRandom(hashSeed(input));
  const vector = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
