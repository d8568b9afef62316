import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import type { Connector } from './connector.ts';
import type { VettedDestination } from './destination-policy.ts';

/** One request of one hop; `headers` are final (lowercase names, Host excluded). */
export interface HopRequest {
  method: string;
  url: URL;
  headers: ReadonlyMap<string, string>;
  body: Buffer | null;
}

export interface Transport {
  connect: Connector;
  /** Extra trust anchors, added to Node's bundled roots. */
  ca: readonly string[] | undefined;
}

/** Tries the vetted addresses in order (the resolver's order), as a client would try A records. */
async function connectToAny(
  transport: Transport,
  destination: VettedDestination,
  port: number,
  signal: AbortSignal,
): Promise<Socket> {
  let lastError: unknown;
  for (const { address, family } of destination.addresses) {
    try {
      return await transport.connect({ address, family, port, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Sends one request over a connection to a vetted address. For https the certificate is checked
 * against the URL's host name, which is also sent as SNI and Host, so pinning the address changes
 * nothing the server can see. Resolves with the response head; the body is still to be read.
 */
export async function sendRequest(
  transport: Transport,
  destination: VettedDestination,
  hop: HopRequest,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const https = hop.url.protocol === 'https:';
  const port = hop.url.port === '' ? (https ? 443 : 80) : Number(hop.url.port);
  const tcp = await connectToAny(transport, destination, port, signal);
  const socket = https
    ? tlsConnect({
        socket: tcp,
        // Never an IP literal as SNI (RFC 6066); an address is checked against the IP SANs.
        servername: destination.isAddressLiteral ? undefined : destination.hostname,
        host: destination.hostname,
        ca: transport.ca ? [...rootCertificates, ...transport.ca] : undefined,
        ALPNProtocols: ['http/1.1'],
      })
    : tcp;

  return new Promise<IncomingMessage>((resolve, reject) => {
    const headers: Record<string, string> = { host: hop.url.host };
    for (const [name, value] of hop.headers) headers[name] = value;
    if (hop.body !== null) headers['content-length'] = String(hop.body.length);
    const request = httpRequest({
      method: hop.method,
      path: `${hop.url.pathname}${hop.url.search}`,
      headers,
      setHost: false,
      // The one connection this request may use: to the address the policy vetted.
      createConnection: () => socket,
      signal,
    });
    request.once('response', resolve);
    request.on('error', (error) => {
      socket.destroy();
      reject(error);
    });
    request.end(hop.body ?? undefined);
  });
}
