import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVettedPost, HttpStepError } from '../../src/steps/index.ts';

/** The alert outbox's POST to tenant URLs keeps the http step's destination policy. */
describe('a vetted POST to a tenant-supplied URL', () => {
  let server: Server;
  let url: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const init = () => ({
    headers: { 'Content-Type': 'application/json' },
    body: '{"a":1}',
    signal: AbortSignal.timeout(5_000),
  });

  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpStepError);
    return error as HttpStepError;
  }

  it('refuses this machine by default and sends nothing', async () => {
    const before = received.length;
    const error = await refusal(createVettedPost()(url, init()));
    expect(error.code).toBe('HTTP_DESTINATION_FORBIDDEN');
    expect(error.message).toMatch(/^Refused to connect to 127\.0\.0\.1: a loopback address/);
    const named = await refusal(createVettedPost()(url.replace('127.0.0.1', 'localhost'), init()));
    expect(named.code).toBe('HTTP_DESTINATION_FORBIDDEN');
    expect(received.length).toBe(before);
  });

  it('delivers to an allow-listed address, with the headers and body given', async () => {
    const post = createVettedPost({ allowList: ['127.0.0.0/8'] });
    expect(await post(url, init())).toEqual({ status: 204 });
    expect(received.at(-1)).toMatchObject({
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
  });

  it('never reaches a metadata service, whatever the allow-list says', async () => {
    const post = createVettedPost({ allowList: ['169.254.0.0/16', 'metadata.google.internal'] });
    for (const target of ['https://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/']) {
      const error = await refusal(post(target, init()));
      expect(error.code, target).toBe('HTTP_DESTINATION_FORBIDDEN');
    }
  });

  it('a public name that resolves to a private address is refused (no DNS rebinding onto the VPC)', async () => {
    const post = createVettedPost({ resolve: async () => ['10.0.0.5'] });
    const error = await refusal(post('https://hooks.example.com/alerts', init()));
    expect(error.message).toMatch(/hooks\.example\.com \(10\.0\.0\.5\): a private address/);
  });
});
