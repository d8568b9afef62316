/**
 * A fake LLM upstream: a real HTTP server on 127.0.0.1 speaking the OpenAI and Anthropic wire
 * protocols, for the provider, gateway, OpenAI-SDK tests and the gateway benchmark.
 *
 * Endpoints (any path prefix is accepted, so base-URL handling can be tested):
 *   POST …/chat/completions   OpenAI chat, plain or SSE (`stream: true`; a usage chunk when
 *                             `stream_options.include_usage`), tools, JSON mode
 *   POST …/embeddings         OpenAI embeddings (floats, or base64 with `encoding_format: 'base64'`)
 *   POST …/v1/messages        Anthropic Messages, plain or SSE events
 * `openaiBaseUrl` is `url + '/v1'`; `anthropicBaseUrl` is `url` (the provider appends `/v1/messages`).
 *
 * Answers are deterministic: the text is words chosen by a hash of the request (model,
 * messages, seed), so the same request gets the same text, plain or streamed. A request with
 * tools and a forced tool choice (OpenAI `required`/named, Anthropic `any`/`tool`) gets a tool
 * call whose arguments fill the tool's required parameters; OpenAI JSON mode gets a JSON object.
 * Token counts are rough (prompt: JSON length / 4; completion: one per word) and deterministic.
 *
 * Scripting: `script(...faults)` queues faults; each request takes the first queued fault that
 * matches it (`model`, `endpoint`), `times` times (default 1), and answers normally when none does:
 *   { kind: 'status', status: 429, retryAfterSeconds: 2 }   error body in the endpoint's protocol
 *   { kind: 'status', status: 429, retryAfterMs: 250 }      OpenAI's `retry-after-ms`
 *   { kind: 'status', status: 503, retryAfterDate: date }   `Retry-After` as an HTTP date
 *   { kind: 'hang' }                   no answer until the client gives up (for timeouts)
 *   { kind: 'close' }                  socket destroyed before any answer (a network error)
 *   { kind: 'cut', afterChunks: 2 }    streams 2 events, then destroys the socket (plain: half a body)
 *   { kind: 'end', afterChunks: 2 }    streams 2 events, then ends cleanly without [DONE]/message_stop
 *   { kind: 'empty' }                  200 and an empty body (a stream that sends nothing, then closes)
 *   { kind: 'malformed' }              200 and a body (or first event) that is not JSON
 *   { kind: 'stream-error', afterChunks: 1, errorType: 'overloaded_error' }   an error inside the stream
 *   { kind: 'reply', content: 'hi', cachedTokens: 100 }     this answer instead of the generated one
 *   { kind: 'delay', ms: 50 }          the normal answer after an extra delay
 * `requests` records every request (endpoint, path, headers, parsed body) unless `record: false`;
 * for benchmarks use `startFakeUpstream({ latencyMs: 20, record: false })`, which keeps no
 * per-request state besides a counter.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeEndpoint = 'chat' | 'embeddings' | 'messages';

export interface FakeFaultMatch {
  /** Only requests for this model take the fault. */
  model?: string;
  /** Only requests to this endpoint take the fault. */
  endpoint?: FakeEndpoint;
  /** How many matching requests take it (default 1). */
  times?: number;
}

export interface FakeToolCall {
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export type FakeFault = FakeFaultMatch &
  (
    | {
        kind: 'status';
        status: number;
        message?: string;
        retryAfterSeconds?: number;
        retryAfterMs?: number;
        retryAfterDate?: Date;
      }
    | { kind: 'hang' }
    | { kind: 'close' }
    | { kind: 'cut'; afterChunks: number }
    | { kind: 'end'; afterChunks: number }
    | { kind: 'empty' }
    | { kind: 'malformed' }
    | { kind: 'stream-error'; afterChunks: number; errorType?: string; message?: string }
    | {
        kind: 'reply';
        content?: string | null;
        toolCalls?: FakeToolCall[];
        finishReason?: string;
        /** OpenAI `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`. */
        cachedTokens?: number;
        /** Anthropic `cache_creation_input_tokens`. */
        cacheCreationTokens?: number;
        promptTokens?: number;
      }
    | { kind: 'delay'; ms: number }
  );

export interface FakeRequest {
  endpoint: FakeEndpoint | 'unknown';
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it is not JSON). */
  body: unknown;
  /** True once the client went away before the answer ended. */
  aborted: boolean;
}

export interface FakeUpstreamOptions {
  /** Wait before every answer, ms (default 0). */
  latencyMs?: number;
  /** Wait between stream events, ms (default 0). */
  chunkDelayMs?: number;
  /** Keep `requests` (default true); false for benchmarks. */
  record?: boolean;
  /** When set, requests without this key (Bearer or x-api-key) get 401. */
  apiKey?: string;
}

export interface FakeUpstream {
  url: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  readonly requests: FakeRequest[];
  /** Requests received, recorded or not. */
  requestCount(): number;
  script(...faults: FakeFault[]): void;
  /** Faults still queued. */
  pending(): number;
  setLatency(ms: number): void;
  /** Forgets recorded requests and queued faults. */
  reset(): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Reply = Extract<FakeFault, { kind: 'reply' }>;

const WORDS = [
  'alpha',
  'river',
  'stone',
  'light',
  'north',
  'green',
  'quick',
  'cloud',
  'paper',
  'field',
  'metal',
  'glass',
  'ocean',
  'tower',
  'bright',
  'quiet',
  'storm',
  'maple',
  'cedar',
  'ember',
];

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const record = options.record ?? true;
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  let latencyMs = options.latencyMs ?? 0;
  let count = 0;
  const requests: FakeRequest[] = [];
  let queue: { fault: FakeFault; left: number }[] = [];

  function takeFault(endpoint: FakeEndpoint | 'unknown', body: Body): FakeFault | undefined {
    const index = queue.findIndex(
      ({ fault }) =>
        (fault.model === undefined || fault.model === body.model) &&
        (fault.endpoint === undefined || fault.endpoint === endpoint),
    );
    const entry = queue[index];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) queue.splice(index, 1);
    return entry.fault;
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    count += 1;
    const serial = count;
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const endpoint: FakeEndpoint | 'unknown' = path.endsWith('/v1/messages')
      ? 'messages'
      : path.endsWith('/chat/completions')
        ? 'chat'
        : path.endsWith('/embeddings')
          ? 'embeddings'
          : 'unknown';
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // Recorded as text; answered 400 below.
    }
    let recorded: FakeRequest | undefined;
    if (record) {
      recorded = {
        endpoint,
        method: req.method ?? '',
        path,
        headers: flatHeaders(req),
        body,
        aborted: false,
      };
      requests.push(recorded);
    }
    res.on('close', () => {
      if (recorded && !res.writableFinished) recorded.aborted = true;
    });

    const protocol = endpoint === 'messages' ? 'anthropic' : 'openai';
    if (endpoint === 'unknown' || req.method !== 'POST') {
      return sendError(res, protocol, 404, `no route for ${req.method ?? ''} ${path}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(res, protocol, 400, 'the body is not a JSON object');
    }
    const request = body as Body;
    if (options.apiKey !== undefined) {
      const given =
        protocol === 'anthropic'
          ? req.headers['x-api-key']
          : req.headers.authorization?.replace(/^Bearer /, '');
      if (given !== options.apiKey) return sendError(res, protocol, 401, 'invalid api key');
    }

    const fault = takeFault(endpoint, request);
    if (latencyMs > 0) await sleep(latencyMs);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (res.destroyed) return;

    switch (fault?.kind) {
      case 'status':
        return sendError(
          res,
          protocol,
          fault.status,
          fault.message ?? `injected ${fault.status}`,
          retryHeaders(fault),
        );
      case 'hang':
        return; // The client's abort closes the socket.
      case 'close':
        res.socket?.destroy();
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json' });
        res.end();
        return;
      case 'malformed':
        if (request.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end('data: {"id": "chatcmpl-x", "choices": [\n\n');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id": "chatcmpl-x", "choices": [');
        }
        return;
      default:
        break;
    }

    const reply = fault?.kind === 'reply' ? fault : undefined;
    if (endpoint === 'embeddings') return sendJson(res, embeddingAnswer(request), fault);
    const answer =
      endpoint === 'messages'
        ? anthropicAnswer(request, reply, serial)
        : openAiAnswer(request, reply, serial);
    if (!request.stream) return sendJson(res, answer.plain, fault);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const events = answer.events;
    let written: Promise<void> = Promise.resolve();
    for (const [index, event] of events.entries()) {
      if (fault?.kind === 'cut' && index === fault.afterChunks) {
        // The events before the cut reach the client first; then the connection dies mid-stream.
        await written;
        res.socket?.destroy();
        return;
      }
      if (fault?.kind === 'end' && index === fault.afterChunks) {
        res.end();
        return;
      }
      if (fault?.kind === 'stream-error' && index === fault.afterChunks) {
        res.end(streamError(protocol, fault.errorType, fault.message ?? 'injected stream error'));
        return;
      }
      if (index > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
      if (res.destroyed) return;
      if (fault?.kind === 'cut') written = new Promise((resolve) => res.write(event, () => resolve()));
      else res.write(event);
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    requestCount: () => count,
    script: (...faults) => {
      for (const fault of faults) queue.push({ fault, left: fault.times ?? 1 });
    },
    pending: () => queue.length,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Answers

interface Answer {
  plain: unknown;
  /** The SSE events of the streamed answer, each a complete `…\n\n` frame. */
  events: string[];
}

/** The deterministic words of a request: the same model, messages and seed give the same words. */
export function fakeWords(request: Body): string[] {
  const digest = createHash('sha256')
    .update(JSON.stringify([request.model, request.system, request.messages, request.seed]))
    .digest();
  const length = 6 + ((digest[0] ?? 0) % 10);
  const limit = typeof request.max_tokens === 'number' ? Math.max(1, request.max_tokens) : length;
  return Array.from(
    { length: Math.min(length, limit) },
    (_, i) => WORDS[(digest[i + 1] ?? 0) % WORDS.length] ?? 'alpha',
  );
}

function promptTokens(request: Body): number {
  return Math.ceil(
    JSON.stringify([request.system ?? null, request.messages ?? request.input ?? null]).length / 4,
  );
}

/** The tool call a request forces, with its required parameters filled in. */
function forcedToolCall(request: Body, anthropic: boolean): FakeToolCall | undefined {
  const tools = Array.isArray(request.tools) ? (request.tools as Body[]) : [];
  const choice = request.tool_choice as unknown;
  const nameOf = (tool: Body | undefined): string | undefined =>
    anthropic
      ? (tool?.name as string | undefined)
      : ((tool?.function as Body | undefined)?.name as string | undefined);
  let name: string | undefined;
  if (anthropic && typeof choice === 'object' && choice !== null) {
    const c = choice as Body;
    if (c.type === 'any') name = nameOf(tools[0]);
    if (c.type === 'tool') name = c.name as string;
  } else if (!anthropic) {
    if (choice === 'required') name = nameOf(tools[0]);
    if (typeof choice === 'object' && choice !== null)
      name = ((choice as Body).function as Body).name as string;
  }
  if (name === undefined) return undefined;
  const tool = tools.find((t) => nameOf(t) === name);
  const schema = (anthropic ? tool?.input_schema : (tool?.function as Body | undefined)?.parameters) as
    Body | undefined;
  return { name, arguments: JSON.stringify(fillRequired(schema)) };
}

function fillRequired(schema: Body | undefined): Record<string, unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, Body>;
  const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
  const value: Record<string, unknown> = {};
  for (const name of required) {
    const property = properties[name] ?? {};
    if (Array.isArray(property.enum)) value[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') value[name] = 1;
    else if (property.type === 'boolean') value[name] = true;
    else if (property.type === 'object') value[name] = fillRequired(property);
    else if (property.type === 'array') value[name] = [];
    else value[name] = 'alpha';
  }
  return value;
}

function openAiAnswer(request: Body, reply: Reply | undefined, serial: number): Answer {
  const model = String(request.model);
  const id = `chatcmpl-fake-${serial}`;
  const created = 1_700_000_000;
  const words = fakeWords(request);
  const forced = forcedToolCall(request, false);
  const toolCalls = reply?.toolCalls ?? (reply || !forced ? [] : [forced]);
  const format = (request.response_format as Body | undefined)?.type;
  const content: string | null =
    reply?.content !== undefined
      ? reply.content
      : toolCalls.length > 0
        ? null
        : format === 'json_object' || format === 'json_schema'
          ? JSON.stringify({ answer: words.join(' ') })
          : words.join(' ');
  const finish = reply?.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const prompt = reply?.promptTokens ?? promptTokens(request);
  const completion = (content ?? '').split(' ').filter(Boolean).length + toolCalls.length * 5;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: reply?.cachedTokens ?? 0 },
  };
  const calls = toolCalls.map((call, index) => ({
    id: `call_fake_${index}`,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  const plain = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, ...(calls.length ? { tool_calls: calls } : {}) },
        finish_reason: finish,
      },
    ],
    usage,
    system_fingerprint: 'fp_fake',
  };
  const chunk = (delta: Body, finishReason: string | null = null) =>
    sse(undefined, {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  const events = [chunk({ role: 'assistant', content: '' })];
  if (content !== null) {
    const pieces = content.split(' ');
    pieces.forEach((piece, index) => events.push(chunk({ content: index === 0 ? piece : ` ${piece}` })));
  }
  calls.forEach((call, index) => {
    events.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    for (const part of [args.slice(0, half), args.slice(half)]) {
      if (part) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  events.push(chunk({}, finish));
  const streamOptions = request.stream_options as Body | undefined;
  if (streamOptions?.include_usage) {
    events.push(sse(undefined, { id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
  }
  events.push('data: [DONE]\n\n');
  return { plain, events };
}

function anthropicAnswer(request: Body, reply: Reply | undefined, serial: number): Answer {
  const model = String(request.model);
  const id = `msg_fake_${serial}`;
  const words = fakeWords(request);
  const forced = forcedToolCall(request, true);
  const toolCalls = reply?.toolCalls ?? (reply || !forced ? [] : [forced]);
  const text = reply?.content !== undefined ? reply.content : toolCalls.length > 0 ? null : words.join(' ');
  const stopReason = reply?.finishReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn');
  const usage = {
    input_tokens: reply?.promptTokens ?? promptTokens(request),
    cache_read_input_tokens: reply?.cachedTokens ?? 0,
    cache_creation_input_tokens: reply?.cacheCreationTokens ?? 0,
    output_tokens: (text ?? '').split(' ').filter(Boolean).length + toolCalls.length * 5,
  };
  const blocks: Body[] = [
    ...(text === null ? [] : [{ type: 'text', text }]),
    ...toolCalls.map((call, index) => ({
      type: 'tool_use',
      id: `toolu_fake_${index}`,
      name: call.name,
      input: JSON.parse(call.arguments) as unknown,
    })),
  ];
  const plain = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        }),
      );
      events.push(sse('ping', { type: 'ping' }));
      String(block.text)
        .split(' ')
        .forEach((piece, i) =>
          events.push(
            sse('content_block_delta', {
              type: 'content_block_delta',
              index,
              delta: { type: 'text_delta', text: i === 0 ? piece : ` ${piece}` },
            }),
          ),
        );
    } else {
      events.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      const args = JSON.stringify(block.input);
      const half = Math.ceil(args.length / 2);
      for (const part of [args.slice(0, half), args.slice(half)]) {
        if (part) {
          events.push(
            sse('content_block_delta', {
              type: 'content_block_delta',
              index,
              delta: { type: 'input_json_delta', partial_json: part },
            }),
          );
        }
      }
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
  );
  events.push(sse('message_stop', { type: 'message_stop' }));
  return { plain, events };
}

function embeddingAnswer(request: Body): unknown {
  const inputs =
    typeof request.input === 'string' ? [request.input] : Array.isArray(request.input) ? request.input : [];
  const dimensions = typeof request.dimensions === 'number' ? request.dimensions : 8;
  const data = inputs.map((input, index) => {
    const digest = createHash('sha256').update(String(input)).digest();
    const vector = Array.from(
      { length: dimensions },
      (_, i) => ((digest[i % digest.length] ?? 0) - 127.5) / 127.5,
    );
    const norm = Math.hypot(...vector) || 1;
    const embedding = vector.map((v) => v / norm);
    // The OpenAI SDK asks for base64 (little-endian float32) unless told otherwise.
    return request.encoding_format === 'base64'
      ? {
          object: 'embedding',
          index,
          embedding: Buffer.from(new Float32Array(embedding).buffer).toString('base64'),
        }
      : { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce<number>(
    (sum, input) => sum + String(input).split(/\s+/).filter(Boolean).length,
    0,
  );
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

// ---------------------------------------------------------------------------------------------
// Wire helpers

function sse(event: string | undefined, data: unknown): string {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

function streamError(
  protocol: 'openai' | 'anthropic',
  errorType: string | undefined,
  message: string,
): string {
  return protocol === 'anthropic'
    ? sse('error', { type: 'error', error: { type: errorType ?? 'overloaded_error', message } })
    : sse(undefined, { error: { message, type: errorType ?? 'server_error', code: null } });
}

function sendJson(res: ServerResponse, body: unknown, fault: FakeFault | undefined): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json' });
  if (fault?.kind === 'cut') {
    res.write(text.slice(0, Math.floor(text.length / 2)));
    res.socket?.destroy();
    return;
  }
  res.end(text);
}

function sendError(
  res: ServerResponse,
  protocol: 'openai' | 'anthropic',
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body =
    protocol === 'anthropic'
      ? { type: 'error', error: { type: anthropicErrorType(status), message } }
      : { error: { message, type: openAiErrorType(status), param: null, code: null } };
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function retryHeaders(fault: Extract<FakeFault, { kind: 'status' }>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterDate !== undefined) headers['retry-after'] = fault.retryAfterDate.toUTCString();
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return headers;
}

function anthropicErrorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function openAiErrorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'authentication_error';
  return 'invalid_request_error';
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
