import { compileAllowList } from './allow-list.ts';
import { vetDestination } from './destination-policy.ts';
import { compileHttpStepOptions, type HttpStepOptions } from './options.ts';
import { sendRequest } from './send-request.ts';

/** What a platform sender (the alert outbox) posts: one request, no redirects followed. */
export interface VettedPostInit {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export type VettedPost = (url: string, init: VettedPostInit) => Promise<{ status: number }>;

/**
 * POSTs to a tenant-supplied URL under the http step's destination policy: public addresses,
 * or `allowList`, never metadata or link-local; the connection is pinned to the vetted address
 * (no DNS rebinding). Redirects are not followed. Refusals throw HTTP_DESTINATION_FORBIDDEN.
 */
export function createVettedPost(
  options: Pick<HttpStepOptions, 'allowList' | 'neverAllow' | 'resolve' | 'connect' | 'ca'> = {},
): VettedPost {
  const compiled = compileHttpStepOptions(options);
  if (typeof compiled.allowList === 'function') throw new TypeError('a vetted post takes a fixed allow-list');
  const allowList = compileAllowList(compiled.allowList.entries);
  return async (target, init) => {
    const url = new URL(target);
    const destination = await vetDestination(compiled, allowList, url, init.signal);
    const headers = new Map(Object.entries(init.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const response = await sendRequest(
      compiled,
      destination,
      { method: 'POST', url, headers, body: Buffer.from(init.body) },
      init.signal,
    );
    // Only the status matters to the sender; the body is not read.
    response.destroy();
    return { status: response.statusCode ?? 0 };
  };
}
