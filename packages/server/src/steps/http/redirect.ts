import { HttpStepError } from './errors.ts';
import type { HopRequest } from './send-request.ts';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Credentials meant for one origin: dropped when a redirect leaves it (as fetch and curl do). */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The request a redirect asks for. 303, and 301/302 after a POST, become a GET without a body;
 * 307 and 308 repeat the request as it was. The new URL is vetted again like the first one.
 */
export function redirectedRequest(previous: HopRequest, status: number, location: string): HopRequest {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    throw new HttpStepError(
      'HTTP_REDIRECT_INVALID',
      `The response redirected to an invalid URL: ${location.slice(0, 200)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpStepError(
      'HTTP_REDIRECT_INVALID',
      `The response redirected to a ${url.protocol} URL; only http and https are followed`,
    );
  }
  url.hash = '';
  const headers = new Map(previous.headers);
  if (url.origin !== previous.url.origin) for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
  const becomesGet =
    (status === 303 && previous.method !== 'HEAD') ||
    ((status === 301 || status === 302) && previous.method === 'POST');
  if (!becomesGet) return { method: previous.method, url, headers, body: previous.body };
  headers.delete('content-type');
  return { method: 'GET', url, headers, body: null };
}
