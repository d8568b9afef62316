import type { IncomingHttpHeaders } from 'node:http';
import { ProviderError } from './provider.ts';
import { errorFromAnswer, errorFromFetch, errorFromResponse, throwIfAborted } from './upstream-errors.ts';

/** A whole answer to a POST: status, headers as node:http gives them, and the body's text. */
export interface BufferedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** What the HTTP providers share: how to reach an upstream and the wall clock (for `Retry-After` dates). */
export interface UpstreamHttp {
  /** Streamed answers; and every answer when `post` is absent (a fetch a test injected). */
  fetch: typeof fetch;
  /** A POST answered whole, rejecting as `fetch` does on a network failure or an abort. */
  post?: (
    url: string,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ) => Promise<BufferedAnswer>;
  now: () => number;
}

/**
 * POSTs a JSON body and returns the answer once it is a 2xx; otherwise throws the ProviderError
 * of its status, of the network, or the caller's abort. Node's global fetch keeps connections
 * alive in its default agent, so calls to one upstream reuse sockets.
 */
export async function postJson(
  http: UpstreamHttp,
  upstream: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
): Promise<Response> {
  throwIfAborted(signal);
  let response: Response;
  try {
    response = await http.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    throw errorFromFetch(upstream, error, signal);
  }
  if (!response.ok) throw await errorFromResponse(upstream, response, http.now, credentialsIn(headers));
  return response;
}

/**
 * POSTs a JSON body and returns the 2xx answer's body as JSON, with the errors of `postJson`
 * and `readJson`; through `http.post` when there is one, which skips Response and web streams.
 */
export async function postForJson(
  http: UpstreamHttp,
  upstream: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
): Promise<unknown> {
  if (!http.post)
    return readJson(upstream, await postJson(http, upstream, url, headers, body, signal), signal);
  throwIfAborted(signal);
  let answer: BufferedAnswer;
  try {
    answer = await http.post(
      url,
      { 'content-type': 'application/json', ...headers },
      JSON.stringify(body),
      signal,
    );
  } catch (error) {
    throw errorFromFetch(upstream, error, signal);
  }
  if (answer.status < 200 || answer.status > 299) {
    const get = (name: string) => {
      const value = answer.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    throw errorFromAnswer(upstream, answer.status, { get }, answer.text, http.now, credentialsIn(headers));
  }
  return parseJson(upstream, answer.text, answer.status);
}

/**
 * The credentials a request carries, which an upstream's error body may echo back: its message
 * reaches the caller and the logs, and the key may be the operator's, shared by every tenant.
 */
function credentialsIn(headers: Record<string, string>): string[] {
  return Object.values(headers).flatMap((value) => {
    const token = /^(?:bearer|basic)\s+(\S+)$/i.exec(value)?.[1];
    return token ? [token, value] : [value];
  });
}

/** The answer's body as JSON: a body that breaks off is a network failure, one that is not JSON is invalid. */
export async function readJson(upstream: string, response: Response, signal: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw errorFromFetch(upstream, error, signal);
  }
  return parseJson(upstream, text, response.status);
}

function parseJson(upstream: string, text: string, status: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError(
      'invalid_response',
      `${upstream} answered with a body that is not JSON`,
      { status },
      { cause: error },
    );
  }
}

/**
 * The body of a streamed answer as chunks, or invalid_response when the upstream sent none.
 * Read through the stream's reader, so it is the same whichever lib (DOM or Node) types it; a
 * reader that stops early cancels the body, which closes the upstream connection.
 */
export function streamBody(upstream: string, response: Response): AsyncIterable<Uint8Array> {
  const body = response.body;
  if (body === null) {
    throw new ProviderError('invalid_response', `${upstream} answered a stream request without a body`, {
      status: response.status,
    });
  }
  return {
    async *[Symbol.asyncIterator]() {
      const reader = body.getReader();
      let finished = false;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            finished = true;
            return;
          }
          yield value;
        }
      } finally {
        if (!finished) await reader.cancel().catch(() => undefined);
        reader.releaseLock();
      }
    },
  };
}
