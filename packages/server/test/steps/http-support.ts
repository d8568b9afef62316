import { randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer, isIP, type AddressInfo, type Server as NetServer } from 'node:net';
import { createLogger } from '../../src/observability/index.ts';
import {
  tcpConnector,
  type Connector,
  type DialTarget,
  type Resolver,
  type StepContext,
} from '../../src/steps/index.ts';

/**
 * Helpers for the http step tests. This machine may only talk to loopback: every executor in
 * these tests gets `guardedConnector`, which refuses any other address before a packet is sent.
 */

const silentLogger = createLogger({ level: 'silent' });

export function stepContext(input: unknown, overrides: Partial<StepContext> = {}): StepContext {
  return {
    tenantId: 'tenant-a',
    runId: 'run-1',
    stepKey: 'call',
    stepId: 'call',
    attempt: 1,
    idempotencyKey: randomBytes(32).toString('hex'),
    input,
    signal: new AbortController().signal,
    logger: silentLogger,
    ...overrides,
  };
}

/** Answers from a table; a function answer sees how many times the name was asked before. */
export function fakeResolver(
  table: Record<string, readonly string[] | ((call: number) => readonly string[])>,
) {
  const calls: string[] = [];
  const resolve: Resolver = async (hostname) => {
    const previous = calls.filter((name) => name === hostname).length;
    calls.push(hostname);
    const answer = table[hostname];
    if (answer === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return typeof answer === 'function' ? answer(previous) : answer;
  };
  return { resolve, calls };
}

const isLoopback = (address: string) =>
  address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));

/** Records every dial; dials loopback for real and refuses anything else without sending a byte. */
export function guardedConnector() {
  const dials: Omit<DialTarget, 'signal'>[] = [];
  const connect: Connector = async (target) => {
    dials.push({ address: target.address, family: target.family, port: target.port });
    if (!isLoopback(target.address)) {
      throw Object.assign(new Error(`connect ECONNREFUSED ${target.address}:${target.port} (test guard)`), {
        code: 'ECONNREFUSED',
      });
    }
    return tcpConnector(target);
  };
  return { connect, dials };
}

/** A raw TCP listener on loopback (IPv4, and IPv6 on the same port when the host has it) that counts connections. */
export async function startCountingListener() {
  const servers: NetServer[] = [];
  let connections = 0;
  const listen = (server: NetServer, host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const make = () =>
    createNetServer((socket) => {
      connections++;
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
    });
  const v4 = make();
  const port = await listen(v4, '127.0.0.1', 0);
  servers.push(v4);
  const v6 = make();
  try {
    await listen(v6, '::1', port);
    servers.push(v6);
  } catch {
    // No IPv6 loopback here: nothing can reach [::1] then either.
  }
  return {
    port,
    get connections() {
      return connections;
    },
    close: () => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records what it received. */
export async function startHttpServer(
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => void,
) {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
