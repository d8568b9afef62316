import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** Where a connection goes: always an IP address the destination policy has vetted, never a name. */
export interface DialTarget {
  address: string;
  family: 4 | 6;
  port: number;
  signal: AbortSignal;
}

/** Opens a TCP connection and resolves once it is established. Tests wrap it to watch every dial. */
export type Connector = (target: DialTarget) => Promise<Socket>;

export const tcpConnector: Connector = ({ address, family, port, signal }) =>
  new Promise<Socket>((resolve, reject) => {
    signal.throwIfAborted();
    // An IP literal and an explicit family: net never calls a resolver for this socket.
    const socket = connect({ host: address, family, port, autoSelectFamily: false });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
