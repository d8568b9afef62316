import { lookup } from 'node:dns/promises';

/**
 * Resolves a host name to the addresses it has now, as IP literals. The executor calls it once
 * per request hop, vets every answer, then connects to a vetted address itself: nothing
 * downstream resolves the name again, so a second answer (DNS rebinding) is never used.
 */
export type Resolver = (hostname: string, options: { signal: AbortSignal }) => Promise<readonly string[]>;

/** getaddrinfo through libuv's thread pool, as Node's own connections do (hosts file included). */
export const systemResolver: Resolver = async (hostname, { signal }) => {
  signal.throwIfAborted();
  const answers = lookup(hostname, { all: true, order: 'verbatim' });
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return (await Promise.race([answers, aborted])).map((answer) => answer.address);
  } finally {
    signal.removeEventListener('abort', onAbort);
    answers.catch(() => {});
  }
};
