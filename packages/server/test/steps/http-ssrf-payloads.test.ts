import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpStepExecutor, HttpStepError, type StepExecutor } from '../../src/steps/index.ts';
import {
  fakeResolver,
  guardedConnector,
  startCountingListener,
  startHttpServer,
  stepContext,
} from './http-support.ts';

/**
 * Issue 3, security: at least 100 SSRF payloads against a listener on loopback that counts its
 * connections; not one may reach it. The only host the executor may reach is `redirector.test`,
 * listed by name on the tenant's allow-list, whose redirects must each be vetted again.
 */

let target: Awaited<ReturnType<typeof startCountingListener>>;
let redirector: Awaited<ReturnType<typeof startHttpServer>>;
let executor: StepExecutor;
const connector = guardedConnector();

const resolver = fakeResolver({
  'redirector.test': ['127.0.0.1'],
  'evil.test': ['127.0.0.1'],
  'evil6.test': ['::1'],
  'evil-mapped.test': ['::ffff:127.0.0.1'],
  'evil-private.test': ['10.0.0.5'],
  'evil-metadata.test': ['169.254.169.254'],
  'evil-zero.test': ['0.0.0.0'],
  // One good answer does not excuse a bad one: every answer must pass.
  'evil-mixed.test': ['93.184.215.14', '127.0.0.1'],
  'evil-decimal.test': ['2130706433'],
  'evil-garbage.test': ['not-an-address'],
  'evil-ula.test': ['fd00::1'],
  'evil-cgnat.test': ['100.64.1.1'],
  'evil-nat64.test': ['64:ff9b::7f00:1'],
  'redirector.test.evil.test': ['127.0.0.1'],
  'api.public-looking.example.com': ['127.0.0.1'],
  'metadata.google.internal': ['169.254.169.254'],
  localhost: ['127.0.0.1'],
});

/** Hosts written into `http://HOST:PORT/`, aimed at the counting listener. */
const LITERAL_HOSTS = [
  // IPv4 loopback in every spelling inet_aton accepts
  '127.0.0.1',
  '127.0.0.2',
  '127.255.255.254',
  '127.1',
  '127.0.1',
  '2130706433',
  '0x7f000001',
  '0X7F000001',
  '0x7f.1',
  '0x7f.0.0.1',
  '0x7f.0x0.0x0.0x1',
  '0177.0.0.1',
  '0177.1',
  '00000177.0.0.1',
  '017700000001',
  '0x7f.0.01',
  '127.0.0.1.',
  '0177.0x0.1',
  '127.000.000.001',
  '0x00007f.1',
  '127。0。0。1',
  '①②⑦.⓪.⓪.①',
  // unspecified: connecting to it reaches this machine
  '0.0.0.0',
  '0',
  '0x0',
  '000.0.0.0',
  '0.1.2.3',
  // private, shared, link-local and metadata, in several encodings
  '10.0.0.1',
  '10.1',
  '167772161',
  '012.0.0.1',
  '0xa.0.0.1',
  '172.16.0.1',
  '172.31.255.254',
  '0xac.0x10.0.1',
  '192.168.0.1',
  '192.168.1.1',
  '3232235777',
  '0300.0250.1.1',
  '0xc0a80101',
  '169.254.169.254',
  '2852039166',
  '0xa9fea9fe',
  '0251.0376.0251.0376',
  '169.254.43518',
  '169.254.0.1',
  '100.64.0.1',
  '100.100.100.200',
  '100.127.255.254',
  '168.63.129.16',
  '192.0.0.192',
  // benchmarking, documentation, protocol assignments, multicast, reserved, broadcast
  '198.18.0.1',
  '198.19.255.254',
  '192.0.2.1',
  '198.51.100.7',
  '203.0.113.9',
  '192.0.0.8',
  '192.88.99.1',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6 literals, with every form that carries an IPv4 address
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  '[0000:0000:0000:0000:0000:0000:0000:0001]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[::FFFF:7F00:1]',
  '[0:0:0:0:0:ffff:127.0.0.1]',
  '[::127.0.0.1]',
  '[::7f00:1]',
  '[64:ff9b::7f00:1]',
  '[64:ff9b::127.0.0.1]',
  '[2002:7f00:1::]',
  '[2002:7f00:0001:0:0:0:0:0]',
  '[::ffff:0:7f00:1]',
  '[::]',
  '[::ffff:0.0.0.0]',
  '[::ffff:10.0.0.1]',
  '[::ffff:169.254.169.254]',
  '[::ffff:a9fe:a9fe]',
  '[64:ff9b::a9fe:a9fe]',
  '[2002:a9fe:a9fe::]',
  '[fd00:ec2::254]',
  '[fe80::1]',
  '[fc00::1]',
  '[fd12:3456:789a::1]',
  '[fec0::1]',
  '[ff02::1]',
  '[2001:db8::1]',
  '[100::1]',
  '[2001::1]',
  '[64:ff9b:1::1]',
  '[::ffff:192.168.1.1]',
  '[2002:c0a8:101::1]',
  '[3fff::1]',
  // names: loopback and metadata by name, and names that resolve to forbidden addresses
  'localhost',
  'LOCALHOST',
  'localhost.',
  'app.localhost',
  'metadata.google.internal',
  'METADATA.GOOGLE.INTERNAL.',
  'metadata',
  'instance-data.ec2.internal',
  'evil.test',
  'EVIL.TEST',
  'evil.test.',
  'evil6.test',
  'evil-mapped.test',
  'evil-private.test',
  'evil-metadata.test',
  'evil-zero.test',
  'evil-mixed.test',
  'evil-decimal.test',
  'evil-garbage.test',
  'evil-ula.test',
  'evil-cgnat.test',
  'evil-nat64.test',
  'redirector.test.evil.test',
  'api.public-looking.example.com',
];

/** Whole URLs, for tricks a host alone cannot show; PORT is the counting listener's port. */
const URL_PAYLOADS = [
  'http://redirector.test@127.0.0.1:PORT/',
  'http://127.0.0.1:PORT#@redirector.test/',
  'http://127.0.0.1:PORT\\@redirector.test/',
  'https://127.0.0.1:PORT/',
  'http://[::1]:PORT/?next=http://redirector.test/',
  'http://0x7f.1:80/',
  'https://evil.test/',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
];

/** Where the allow-listed redirector sends the step, with the status it redirects with. */
const REDIRECT_TARGETS: ReadonlyArray<readonly [number, string]> = [
  [302, 'http://127.0.0.1:PORT/'],
  [301, 'http://2130706433:PORT/'],
  [303, 'http://[::1]:PORT/'],
  [307, 'http://0x7f.1:PORT/'],
  [308, 'http://[::ffff:127.0.0.1]:PORT/'],
  [302, 'http://evil.test:PORT/'],
  [302, 'http://localhost:PORT/'],
  [302, 'http://169.254.169.254/latest/meta-data/'],
  [302, 'http://metadata.google.internal/computeMetadata/v1/'],
  [302, 'http://[fd00:ec2::254]/latest/meta-data/'],
  [302, '//127.0.0.1:PORT/'],
  [302, 'http://10.0.0.1/'],
  [302, 'https://127.0.0.1:PORT/'],
  [302, 'http://redirector.test@127.0.0.1:PORT/'],
  [307, 'http://evil-mapped.test:PORT/'],
];

const withPort = (text: string) => text.replaceAll('PORT', String(target.port));
const redirectUrl = (status: number, to: string, hops = 0) =>
  `http://redirector.test:${redirector.port}/redirect?status=${status}&hops=${hops}&to=${encodeURIComponent(withPort(to))}`;

beforeAll(async () => {
  target = await startCountingListener();
  // Redirects `hops` more times to itself, then to `to`.
  redirector = await startHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://redirector.test');
    const hops = Number(url.searchParams.get('hops'));
    const status = Number(url.searchParams.get('status'));
    const to = url.searchParams.get('to') ?? '/';
    if (hops > 0) url.searchParams.set('hops', String(hops - 1));
    response.writeHead(status, { location: hops > 0 ? `${url.pathname}${url.search}` : to }).end();
  });
  executor = createHttpStepExecutor({
    allowList: ['redirector.test'],
    resolve: resolver.resolve,
    connect: connector.connect,
  });
});

afterAll(async () => {
  await target?.close();
  await redirector?.close();
});

async function expectForbidden(url: string) {
  const error = await executor.execute(stepContext({ url })).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, url).toBeInstanceOf(HttpStepError);
  expect((error as HttpStepError).code, `${url}: ${(error as Error).message}`).toBe(
    'HTTP_DESTINATION_FORBIDDEN',
  );
  expect((error as HttpStepError).retryable).toBe(false);
}

describe('the http step refuses SSRF payloads and no connection reaches loopback', () => {
  it('has at least 100 payloads', () => {
    expect(LITERAL_HOSTS.length + URL_PAYLOADS.length + REDIRECT_TARGETS.length + 1).toBeGreaterThanOrEqual(
      100,
    );
  });

  it.each(LITERAL_HOSTS)('refuses http://%s:PORT/', async (host) => {
    await expectForbidden(`http://${host}:${target.port}/`);
  });

  it.each(URL_PAYLOADS)('refuses %s', async (url) => {
    await expectForbidden(withPort(url));
  });

  it.each(REDIRECT_TARGETS)('refuses a %i redirect from an allow-listed host to %s', async (status, to) => {
    const before = redirector.requests.length;
    await expectForbidden(redirectUrl(status, to));
    // The redirector itself was reached: the refusal happened at the second hop.
    expect(redirector.requests.length).toBe(before + 1);
  });

  it('refuses loopback at the end of a chain of allowed redirects', async () => {
    const before = redirector.requests.length;
    await expectForbidden(redirectUrl(302, 'http://127.0.0.1:PORT/', 3));
    expect(redirector.requests.length).toBe(before + 4);
  });

  it('zero connections reached the listener, and only the redirector was ever dialled', () => {
    expect(target.connections).toBe(0);
    expect(connector.dials.length).toBeGreaterThan(0);
    for (const dial of connector.dials)
      expect(dial).toEqual({ address: '127.0.0.1', family: 4, port: redirector.port });
  });
});
