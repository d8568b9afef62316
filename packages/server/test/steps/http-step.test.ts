import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpStepExecutor,
  StepError,
  type HttpStepError,
  type HttpStepOptions,
  type HttpStepOutput,
  type StepResult,
} from '../../src/steps/index.ts';
import {
  fakeResolver,
  guardedConnector,
  sleep,
  startCountingListener,
  startHttpServer,
  stepContext,
} from './http-support.ts';

/**
 * The http step against real servers on loopback. Loopback is reachable only because each
 * executor here lists it on its allow-list, which is exactly what a tenant does for its VPC.
 */

const FIXTURES = new URL('./fixtures/', import.meta.url);
const CERT = readFileSync(new URL('public-test.cert.pem', FIXTURES), 'utf8');
const KEY = readFileSync(new URL('public-test.key.pem', FIXTURES), 'utf8');

let server: Awaited<ReturnType<typeof startHttpServer>>;
const closed: Record<string, Promise<void>> = {};

function route(
  response: ServerResponse,
  url: URL,
  method: string,
  headers: Record<string, unknown>,
  body: string,
) {
  const param = (name: string) => url.searchParams.get(name) ?? '';
  const json = (status: number, value: unknown, type = 'application/json') =>
    response.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
  const onClose = () => new Promise<void>((resolve) => response.once('close', resolve));
  switch (url.pathname) {
    case '/json':
      return json(200, { ok: true, n: 1 });
    case '/problem':
      return json(200, { title: 'x' }, 'application/problem+json; charset=utf-8');
    case '/text':
      return response.writeHead(200, { 'content-type': 'text/plain' }).end('{"looks":"like json"}');
    case '/latin1':
      return response
        .writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    case '/not-json':
      return response.writeHead(200, { 'content-type': 'application/json' }).end('not json {');
    case '/echo':
      return json(200, { method, path: `${url.pathname}${url.search}`, headers, body });
    case '/status':
      return json(Number(param('code')), { error: 'nope' });
    case '/redirect':
      return response.writeHead(Number(param('status') || 302), { location: param('to') }).end();
    case '/loop':
      return response.writeHead(302, { location: '/loop' }).end();
    case '/big':
      // Chunked, no Content-Length: only counting can stop it.
      response.writeHead(200, { 'content-type': 'text/plain' });
      return response.end('x'.repeat(Number(param('bytes'))));
    case '/endless': {
      closed.endless = onClose();
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('y'.repeat(64 * 1024)), 5);
      response.once('close', () => clearInterval(timer));
      return;
    }
    case '/declared':
      response.writeHead(200, { 'content-length': '50000000', 'content-type': 'text/plain' });
      return response.write('z');
    case '/gzip':
      return response
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(JSON.stringify({ zipped: true })));
    case '/broken-gzip':
      return response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end('this is not gzip');
    case '/bomb':
      return response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(20 * 1024 * 1024)));
    case '/hang':
      closed.hang = onClose();
      return;
    case '/trickle': {
      closed.trickle = onClose();
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('.'), 50);
      response.once('close', () => clearInterval(timer));
      return;
    }
    default:
      return json(404, { error: 'no route' });
  }
}

beforeAll(async () => {
  server = await startHttpServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://x');
    route(response, url, request.method ?? '', request.headers, body);
  });
});
afterAll(async () => {
  await server?.close();
});

const resolver = () =>
  fakeResolver({
    'public.test': ['127.0.0.1'],
    'other.test': ['127.0.0.1'],
    'evil.test': ['127.0.0.1'],
    'meta.test': ['169.254.169.254'],
  });

/** An executor that may reach the loopback server as `public.test` (and whatever else `options` lists). */
function makeExecutor(options: HttpStepOptions = {}) {
  const dns = resolver();
  const connector = guardedConnector();
  const executor = createHttpStepExecutor({
    allowList: ['public.test'],
    resolve: dns.resolve,
    connect: connector.connect,
    ...options,
  });
  return { executor, dns, connector };
}

const at = (path: string, host = 'public.test') => `http://${host}:${server.port}${path}`;
const outputOf = (result: StepResult): HttpStepOutput => {
  if (result.kind !== 'completed') throw new Error(`expected a completed step, got ${result.kind}`);
  return result.output as HttpStepOutput;
};
const failure = (promise: Promise<unknown>): Promise<HttpStepError> =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (error: unknown) => error as HttpStepError,
  );

describe('allow-list', () => {
  it('a loopback service is reachable only through an explicit allow-list entry', async () => {
    const before = server.connections;
    const denied = makeExecutor({ allowList: [] });
    const error = await failure(denied.executor.execute(stepContext({ url: at('/json') })));
    expect(error.code).toBe('HTTP_DESTINATION_FORBIDDEN');
    expect(error.message).toBe(
      "Refused to connect to public.test (127.0.0.1): a loopback address, not on the tenant's allow-list",
    );
    expect(server.connections).toBe(before);

    const { executor } = makeExecutor();
    const output = outputOf(await executor.execute(stepContext({ url: at('/json') })));
    expect(output.status).toBe(200);
    expect(output.body).toEqual({ ok: true, n: 1 });
    expect(output.headers['content-type']).toBe('application/json');
  });

  it("a tenant's allow-list opens its hosts to that tenant only", async () => {
    const { executor } = makeExecutor({
      allowList: async (tenantId) => (tenantId === 'tenant-a' ? ['public.test'] : []),
    });
    const before = server.connections;
    const error = await failure(
      executor.execute(stepContext({ url: at('/json') }, { tenantId: 'tenant-b' })),
    );
    expect(error.code).toBe('HTTP_DESTINATION_FORBIDDEN');
    expect(server.connections).toBe(before);
    const output = outputOf(
      await executor.execute(stepContext({ url: at('/json') }, { tenantId: 'tenant-a' })),
    );
    expect(output.status).toBe(200);
  });

  it('a CIDR entry opens the addresses in it, written as literals or behind a name', async () => {
    const { executor } = makeExecutor({ allowList: ['127.0.0.0/8'] });
    expect(outputOf(await executor.execute(stepContext({ url: at('/json', '127.0.0.1') }))).status).toBe(200);
    expect(outputOf(await executor.execute(stepContext({ url: at('/json', 'evil.test') }))).status).toBe(200);
    const narrow = makeExecutor({ allowList: ['127.0.0.2/32'] });
    const error = await failure(narrow.executor.execute(stepContext({ url: at('/json', '127.0.0.1') })));
    expect(error.code).toBe('HTTP_DESTINATION_FORBIDDEN');
  });

  it('no allow-list entry opens a metadata address, and a deployment can close loopback to all', async () => {
    const wide = makeExecutor({ allowList: ['0.0.0.0/0', '::/0', 'meta.test', 'metadata.google.internal'] });
    for (const url of [
      'http://meta.test/',
      'http://169.254.169.254/latest/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/',
    ]) {
      const error = await failure(wide.executor.execute(stepContext({ url })));
      expect(error.code, url).toBe('HTTP_DESTINATION_FORBIDDEN');
      expect(error.message, url).toMatch(/which no allow-list can open/);
    }
    expect(wide.connector.dials).toEqual([]);

    const closed = makeExecutor({ neverAllow: ['loopback'] });
    const error = await failure(closed.executor.execute(stepContext({ url: at('/json') })));
    expect(error.message).toBe(
      'Refused to connect to public.test (127.0.0.1): a loopback address, which no allow-list can open',
    );
  });

  it('an invalid allow-list from tenant settings fails with HTTP_ALLOW_LIST_INVALID', async () => {
    const { executor } = makeExecutor({ allowList: () => ['10.0.0.0/8', 'http://nope'] });
    const error = await failure(executor.execute(stepContext({ url: at('/json') })));
    expect(error.code).toBe('HTTP_ALLOW_LIST_INVALID');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/"http:\/\/nope" is neither an address, a CIDR nor a host name/);
  });
});

describe('the request', () => {
  it('carries the attempt’s Idempotency-Key, the method, query, headers and a JSON body', async () => {
    const { executor } = makeExecutor();
    const ctx = stepContext({
      method: 'POST',
      url: at('/echo?a=1'),
      query: { b: 2, c: true, d: ['x', 'y'], e: null },
      headers: { 'X-Custom': 'yes', Accept: 'application/json' },
      body: { hello: 'world' },
    });
    const echoed = outputOf(await executor.execute(ctx)).body as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed.method).toBe('POST');
    expect(echoed.path).toBe('/echo?a=1&b=2&c=true&d=x&d=y');
    expect(echoed.headers['idempotency-key']).toBe(ctx.idempotencyKey);
    expect(echoed.headers.host).toBe(`public.test:${server.port}`);
    expect(echoed.headers['x-custom']).toBe('yes');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.headers['user-agent']).toBe('Shoal-http-step/1');
    expect(JSON.parse(echoed.body)).toEqual({ hello: 'world' });
  });

  it('sends a string body as it is, and URL credentials as Basic authorization', async () => {
    const { executor } = makeExecutor();
    const url = at('/echo').replace('http://', 'http://ann:s%20cret@');
    const echoed = outputOf(await executor.execute(stepContext({ method: 'PUT', url, body: 'plain text' })))
      .body as {
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed.body).toBe('plain text');
    expect(echoed.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(echoed.headers.authorization).toBe(`Basic ${Buffer.from('ann:s cret').toString('base64')}`);
  });

  it('an evaluated input that is not a valid request fails with HTTP_INPUT_INVALID', async () => {
    const { executor, connector } = makeExecutor();
    const cases: [unknown, RegExp][] = [
      [{ url: 42 }, /with\.url/],
      [{ url: 'not a url' }, /with\.url must be an absolute URL/],
      [{ url: 'ftp://public.test/' }, /with\.url must be an http:\/\/ or https:\/\/ URL/],
      [
        { url: at('/json'), headers: { 'X-A': 'one\r\nInjected: yes' } },
        /with\.headers\.X-A must be one line/,
      ],
      [{ url: at('/json'), headers: { Host: 'other' } }, /is set by Shoal/],
      [{ url: at('/json'), body: { a: 1 } }, /with\.body is not allowed with GET or HEAD/],
      [{ url: at('/json'), surprise: true }, /Invalid http step input/],
      [{ url: at('/json'), query: { a: { nested: true } } }, /with\.query\.a/],
      [null, /Invalid http step input/],
    ];
    for (const [input, message] of cases) {
      const error = await failure(executor.execute(stepContext(input)));
      expect(error.code, JSON.stringify(input)).toBe('HTTP_INPUT_INVALID');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(message);
    }
    expect(connector.dials).toEqual([]);
  });
});

describe('the response', () => {
  it('responseType auto parses JSON only when the content type says JSON', async () => {
    const { executor } = makeExecutor();
    const body = async (path: string, responseType?: string) =>
      outputOf(
        await executor.execute(stepContext({ url: at(path), ...(responseType ? { responseType } : {}) })),
      ).body;
    expect(await body('/problem')).toEqual({ title: 'x' });
    expect(await body('/text')).toBe('{"looks":"like json"}');
    expect(await body('/text', 'json')).toEqual({ looks: 'like json' });
    expect(await body('/json', 'text')).toBe('{"ok":true,"n":1}');
    expect(await body('/latin1')).toBe('café');
    expect(await body('/gzip')).toEqual({ zipped: true });
  });

  it('a body that is not the JSON it claims fails with HTTP_RESPONSE_INVALID', async () => {
    const { executor } = makeExecutor();
    const error = await failure(executor.execute(stepContext({ url: at('/not-json') })));
    expect(error.code).toBe('HTTP_RESPONSE_INVALID');
    expect(error.message).toMatch(/^The response body is not valid JSON/);
  });

  it('a compressed body that does not decompress fails with HTTP_RESPONSE_INVALID', async () => {
    const { executor } = makeExecutor();
    const error = await failure(executor.execute(stepContext({ url: at('/broken-gzip') })));
    expect(error.code).toBe('HTTP_RESPONSE_INVALID');
    expect(error.message).toMatch(/^The response could not be read: /);
  });

  it('HEAD outputs no body', async () => {
    const { executor } = makeExecutor();
    const output = outputOf(await executor.execute(stepContext({ method: 'HEAD', url: at('/json') })));
    expect(output).toMatchObject({ status: 200, body: null });
  });

  it.each([
    [503, 'HTTP_STATUS_5XX', true],
    [500, 'HTTP_STATUS_5XX', true],
    [404, 'HTTP_STATUS_4XX', false],
    [400, 'HTTP_STATUS_4XX', false],
    [408, 'HTTP_STATUS_4XX', true],
    [429, 'HTTP_STATUS_4XX', true],
  ])('status %i fails with %s, retryable %s, keeping the response', async (status, code, retryable) => {
    const { executor } = makeExecutor();
    const error = await failure(
      executor.execute(stepContext({ url: at(`/status?code=${status}&secret=1`) })),
    );
    expect(error).toBeInstanceOf(StepError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(
      new RegExp(`^HTTP ${status} .* from http://public\\.test:${server.port}/status$`),
    );
    expect(error.response).toMatchObject({ status, body: { error: 'nope' } });
  });

  it('with failOnHttpError false an error status is an output', async () => {
    const { executor } = makeExecutor();
    const output = outputOf(
      await executor.execute(stepContext({ url: at('/status?code=500'), failOnHttpError: false })),
    );
    expect(output).toMatchObject({ status: 500, body: { error: 'nope' } });
  });
});

describe('limits', () => {
  it('a body past maxResponseBytes is cut off with HTTP_RESPONSE_TOO_LARGE', async () => {
    const { executor } = makeExecutor();
    const fits = outputOf(
      await executor.execute(stepContext({ url: at('/big?bytes=1000'), maxResponseBytes: 1000 })),
    );
    expect(fits.body).toHaveLength(1000);
    const error = await failure(
      executor.execute(stepContext({ url: at('/big?bytes=1001'), maxResponseBytes: 1000 })),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/larger than maxResponseBytes \(1000 bytes\)/);
  });

  it('an endless body is aborted as soon as it passes the limit, and the connection closed', async () => {
    const { executor } = makeExecutor();
    const error = await failure(
      executor.execute(stepContext({ url: at('/endless'), maxResponseBytes: 100_000 })),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    await closed.endless;
  });

  it('a declared Content-Length past the limit is refused before the body is read', async () => {
    const { executor } = makeExecutor();
    const error = await failure(executor.execute(stepContext({ url: at('/declared') })));
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/its Content-Length is 50000000/);
  });

  it('a compressed body counts at its decoded size (no zip bombs)', async () => {
    const { executor } = makeExecutor();
    const error = await failure(
      executor.execute(stepContext({ url: at('/bomb'), maxResponseBytes: 1_000_000 })),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
  });

  it("the deployment's cap bounds what a step may ask for", async () => {
    const { executor } = makeExecutor({ maxResponseBytes: 500 });
    const error = await failure(
      executor.execute(stepContext({ url: at('/big?bytes=600'), maxResponseBytes: 10_000 })),
    );
    expect(error.code).toBe('HTTP_RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/\(500 bytes\)/);
  });

  it('a server that never answers fails with HTTP_TIMEOUT at the timeout, and the connection is closed', async () => {
    const { executor } = makeExecutor();
    const started = Date.now();
    const error = await failure(executor.execute(stepContext({ url: at('/hang'), timeout: '300ms' })));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('No complete response within 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    await closed.hang;
  });

  it('the timeout covers the whole body, not just the headers', async () => {
    const { executor } = makeExecutor({ defaultTimeoutMs: 400 });
    const error = await failure(executor.execute(stepContext({ url: at('/trickle') })));
    expect(error.code).toBe('HTTP_TIMEOUT');
    await closed.trickle;
  });
});

describe('redirects', () => {
  it('each hop is vetted again: a redirect to a host off the allow-list is refused', async () => {
    const { executor, dns } = makeExecutor();
    const before = server.requests.length;
    const to = at('/json', 'other.test');
    const error = await failure(
      executor.execute(stepContext({ url: at(`/redirect?to=${encodeURIComponent(to)}`) })),
    );
    expect(error.code).toBe('HTTP_DESTINATION_FORBIDDEN');
    expect(error.message).toMatch(/^Refused to connect to other\.test \(127\.0\.0\.1\)/);
    expect(dns.calls).toEqual(['public.test', 'other.test']);
    expect(server.requests.length).toBe(before + 1);

    const allowed = makeExecutor({ allowList: ['public.test', 'other.test'] });
    const output = outputOf(
      await allowed.executor.execute(stepContext({ url: at(`/redirect?to=${encodeURIComponent(to)}`) })),
    );
    expect(output.body).toEqual({ ok: true, n: 1 });
  });

  it('more than maxRedirects fails with HTTP_TOO_MANY_REDIRECTS', async () => {
    const { executor } = makeExecutor({ maxRedirects: 3 });
    const before = server.requests.length;
    const error = await failure(executor.execute(stepContext({ url: at('/loop') })));
    expect(error.code).toBe('HTTP_TOO_MANY_REDIRECTS');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`More than 3 redirects, the last from http://public.test:${server.port}/loop`);
    expect(server.requests.length).toBe(before + 4);
  });

  it('with followRedirects false the redirect is the output', async () => {
    const { executor } = makeExecutor();
    const output = outputOf(
      await executor.execute(stepContext({ url: at('/redirect?to=/json'), followRedirects: false })),
    );
    expect(output.status).toBe(302);
    expect(output.headers.location).toBe('/json');
  });

  it('303 turns a POST into a GET without a body; 307 repeats the POST with its body', async () => {
    const { executor } = makeExecutor();
    const post = (status: number) =>
      executor.execute(
        stepContext({ method: 'POST', url: at(`/redirect?status=${status}&to=/echo`), body: { n: 1 } }),
      );
    const after303 = outputOf(await post(303)).body as {
      method: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(after303).toMatchObject({ method: 'GET', body: '' });
    expect(after303.headers['content-type']).toBeUndefined();
    const after307 = outputOf(await post(307)).body as { method: string; body: string };
    expect(after307).toMatchObject({ method: 'POST', body: '{"n":1}' });
  });

  it('a redirect to another origin drops Authorization and Cookie, and keeps the Idempotency-Key', async () => {
    const { executor } = makeExecutor({ allowList: ['public.test', 'other.test'] });
    const to = at('/echo', 'other.test');
    const ctx = stepContext({
      url: at(`/redirect?to=${encodeURIComponent(to)}`),
      headers: { Authorization: 'Bearer t', Cookie: 'a=b', 'X-Keep': '1' },
    });
    const headers = (outputOf(await executor.execute(ctx)).body as { headers: Record<string, string> })
      .headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-keep']).toBe('1');
    expect(headers['idempotency-key']).toBe(ctx.idempotencyKey);
  });

  it('a redirect to another scheme fails with HTTP_REDIRECT_INVALID', async () => {
    const { executor } = makeExecutor();
    const error = await failure(
      executor.execute(stepContext({ url: at('/redirect?to=file:///etc/passwd') })),
    );
    expect(error.code).toBe('HTTP_REDIRECT_INVALID');
    expect(error.message).toBe('The response redirected to a file: URL; only http and https are followed');
  });
});

describe('pinning the vetted address', () => {
  it('DNS rebinding: a name answering a public address, then loopback, is only ever dialled at the public one', async () => {
    const listener = await startCountingListener();
    try {
      const dns = fakeResolver({ 'rebind.test': (call) => (call === 0 ? ['93.184.215.14'] : ['127.0.0.1']) });
      const connector = guardedConnector();
      const executor = createHttpStepExecutor({ resolve: dns.resolve, connect: connector.connect });
      const url = `http://rebind.test:${listener.port}/`;
      // The guard stands in for the public host, refusing without sending anything.
      const first = await failure(executor.execute(stepContext({ url })));
      expect(first.code).toBe('HTTP_CONNECTION_FAILED');
      expect(first.retryable).toBe(true);
      expect(dns.calls).toEqual(['rebind.test']);
      expect(connector.dials).toEqual([{ address: '93.184.215.14', family: 4, port: listener.port }]);
      // The retry resolves again, and now meets the loopback answer: refused before any dial.
      const second = await failure(executor.execute(stepContext({ url })));
      expect(second.code).toBe('HTTP_DESTINATION_FORBIDDEN');
      expect(connector.dials).toHaveLength(1);
      expect(listener.connections).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('every answer is vetted, then tried in order', async () => {
    const dns = fakeResolver({ 'multi.test': ['127.0.0.3', '127.0.0.1'] });
    const connector = guardedConnector();
    const executor = createHttpStepExecutor({
      allowList: ['127.0.0.0/8'],
      resolve: dns.resolve,
      connect: connector.connect,
    });
    const output = outputOf(
      await executor.execute(stepContext({ url: `http://multi.test:${server.port}/json` })),
    );
    expect(output.status).toBe(200);
    expect(connector.dials.map((dial) => dial.address)).toEqual(['127.0.0.3', '127.0.0.1']);
  });

  it('https connects to the vetted address while SNI, certificate check and Host use the name', async () => {
    const seen: { servername: unknown; host: unknown }[] = [];
    const tlsServer = createHttpsServer({ key: KEY, cert: CERT }, (request, response) => {
      seen.push({ servername: (request.socket as TLSSocket).servername, host: request.headers.host });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"secure":true}');
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const port = (tlsServer.address() as AddressInfo).port;
    try {
      const { executor, connector } = makeExecutor({ ca: CERT });
      const output = outputOf(await executor.execute(stepContext({ url: `https://public.test:${port}/` })));
      expect(output.body).toEqual({ secure: true });
      expect(seen).toEqual([{ servername: 'public.test', host: `public.test:${port}` }]);
      expect(connector.dials).toEqual([{ address: '127.0.0.1', family: 4, port }]);

      const untrusted = makeExecutor();
      const error = await failure(
        untrusted.executor.execute(stepContext({ url: `https://public.test:${port}/` })),
      );
      expect(error.code).toBe('HTTP_TLS_FAILED');
      expect(error.retryable).toBe(false);
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });

  it('a name that does not resolve fails with HTTP_DNS_FAILED, a refused connection with HTTP_CONNECTION_FAILED', async () => {
    const { executor } = makeExecutor({ allowList: ['127.0.0.0/8'] });
    const dnsError = await failure(executor.execute(stepContext({ url: 'http://nowhere.test/' })));
    expect(dnsError.code).toBe('HTTP_DNS_FAILED');
    expect(dnsError.retryable).toBe(true);
    expect(dnsError.message).toBe('Could not resolve nowhere.test (ENOTFOUND)');
    const closedPort = await startCountingListener();
    await closedPort.close();
    const refused = await failure(
      executor.execute(stepContext({ url: `http://127.0.0.1:${closedPort.port}/` })),
    );
    expect(refused.code).toBe('HTTP_CONNECTION_FAILED');
    expect(refused.retryable).toBe(true);
  });
});

describe('abort', () => {
  it('aborting the step stops a request in flight with STEP_ABORTED and closes the connection', async () => {
    const { executor } = makeExecutor();
    const controller = new AbortController();
    const started = Date.now();
    const pending = failure(
      executor.execute(stepContext({ url: at('/hang') }, { signal: controller.signal })),
    );
    await sleep(100);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(StepError);
    expect(error.code).toBe('STEP_ABORTED');
    expect(error.retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    await closed.hang;
  });

  it('an already aborted step connects nowhere', async () => {
    const { executor, connector, dns } = makeExecutor();
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      executor.execute(stepContext({ url: at('/json') }, { signal: controller.signal })),
    );
    expect(error.code).toBe('STEP_ABORTED');
    expect(dns.calls).toEqual([]);
    expect(connector.dials).toEqual([]);
  });
});
