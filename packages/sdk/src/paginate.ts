import type { RequestOptions } from './types.ts';

/** A page of a cursor-paginated list: pass `nextCursor` back as `cursor` until it is null. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Every item of a cursor-paginated list operation, fetching one page at a time as the loop
 * asks for more: `for await (const event of paginate(client.listAuditEvents, { action }))`.
 */
export async function* paginate<Q extends { cursor?: string }, T>(
  list: (query?: Q, options?: RequestOptions) => Promise<Page<T>>,
  query?: Q,
  options?: RequestOptions,
): AsyncGenerator<T, void, undefined> {
  let cursor = query?.cursor;
  for (;;) {
    const page = await list({ ...query, ...(cursor === undefined ? {} : { cursor }) } as Q, options);
    yield* page.data;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
