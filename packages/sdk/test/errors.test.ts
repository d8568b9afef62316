import { describe, expect, it } from 'vitest';
import { createShoalClient, ShoalApiError } from '../src/index.ts';
import { parseRetryAfter } from '../src/errors.ts';
import { encodeQuery } from '../src/url.ts';

/** A fetch that answers every request with one canned response. */
const answering =
  (body: string, init: ResponseInit): typeof fetch =>
  async () =>
    new Response(body, init);

describe('SDK edge cases without a server', () => {
  it('a non-2xx answer that is not the API error shape is UNEXPECTED_RESPONSE', async () => {
    const client = createShoalClient({
      baseUrl: 'http://shoal.test',
      fetch: answering('<html>Bad gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'retry-after': '7' },
      }),
    });
    const error = await client.health().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShoalApiError);
    expect(error).toMatchObject({
      status: 502,
      code: 'UNEXPECTED_RESPONSE',
      requestId: null,
      retryAfterSeconds: 7,
    });
    expect((error as ShoalApiError).message).toContain('Bad gateway');
  });

  it('a 2xx answer that is not JSON is UNEXPECTED_RESPONSE', async () => {
    const client = createShoalClient({
      baseUrl: 'http://shoal.test',
      fetch: answering('ok', { status: 200, headers: { 'x-request-id': 'req_1' } }),
    });
    await expect(client.health()).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', requestId: 'req_1' });
  });

  it('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('query parameters skip unset values and repeat arrays', () => {
    expect(encodeQuery({ a: 'x y', b: undefined, c: 3, d: ['1', '2'], e: null })).toBe('?a=x+y&c=3&d=1&d=2');
    expect(encodeQuery({})).toBe('');
  });

  it('options are checked when the client is made', () => {
    expect(() => createShoalClient({ baseUrl: 'localhost:8080' })).toThrow(TypeError);
    expect(() => createShoalClient({ baseUrl: 'http://x/?a=1' })).toThrow(/query or fragment/);
    expect(() => createShoalClient({ baseUrl: 'http://x', apiKey: '' })).toThrow(/apiKey/);
  });

  it('a base URL with a path prefix keeps it', async () => {
    const urls: string[] = [];
    const client = createShoalClient({
      baseUrl: 'http://shoal.test/api/',
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('{"status":"ok"}', { status: 200 });
      },
    });
    await client.health();
    expect(urls).toEqual(['http://shoal.test/api/healthz']);
  });
});
