import { ProviderError } from './provider.ts';
import { errorFromFetch, errorFromResponse, throwIfAborted } from './upstream-errors.ts';

/** What the HTTP providers share: the fetch to use and the wall clock (for `Retry-After` dates). */
export interface UpstreamHttp {
  fetch: typeof fetch;
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
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError(
      'invalid_response',
      `${upstream} answered with a body that is not JSON`,
      {
        status: response.status,
      },
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
