import type { FastifyReply } from 'fastify';
import type { Principal } from '../identity/index.ts';
import type { LongPoll, RouteDeps, RouteResult } from './route.ts';

/** Between notifications, a long-poll still tries again this often (a lost NOTIFY costs latency only). */
const SAFETY_NET_MS = 5_000;

/**
 * Runs a long-polling route: `tryOnce` (one tenant transaction) until it answers something else
 * than 204, the wait ends, the client goes away or the server closes. Nothing is held while it
 * waits: no transaction, no connection (one listener per process wakes every poll).
 */
export async function runLongPoll<I>(
  poll: LongPoll<I>,
  ctx: { deps: RouteDeps; principal: Principal },
  input: I,
  reply: FastifyReply,
  tryOnce: () => Promise<RouteResult>,
): Promise<RouteResult> {
  const until = Date.now() + poll.waitMs(input);
  const gone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) gone.abort();
  };
  reply.raw.on('close', onClose);
  const watch = await poll.watch(ctx, input);
  try {
    for (;;) {
      const result = await tryOnce();
      const left = until - Date.now();
      if (result.status !== 204 || left <= 0 || gone.signal.aborted) return result;
      if (!(await watch.next(Math.min(left, SAFETY_NET_MS), gone.signal))) {
        // The server is closing: without this the kept-alive socket would hold the shutdown up.
        reply.header('connection', 'close');
        return result;
      }
    }
  } finally {
    watch.close();
    reply.raw.off('close', onClose);
  }
}
