import type { Database, Queryable } from './types.ts';

/** Something a transaction did that a process reports once the transaction committed. */
export interface CommitEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

// Events of the transactions in flight of databases made by `observeCommits`, by their handle.
const pending = new WeakMap<Queryable, CommitEvent[]>();

/**
 * Notes an event of the caller's transaction: delivered to the observer after the commit, dropped
 * on rollback. A no-op for transactions nobody observes (tests that open their own database).
 */
export function noteCommitEvent(tx: Queryable, event: CommitEvent): void {
  pending.get(tx)?.push(event);
}

/** How many events the transaction noted so far: a savepoint's mark (see `dropCommitEventsSince`). */
export function commitEventMark(tx: Queryable): number {
  return pending.get(tx)?.length ?? 0;
}

/** A savepoint rolled back: the events noted since its mark did not happen. */
export function dropCommitEventsSince(tx: Queryable, mark: number): void {
  pending.get(tx)?.splice(mark);
}

/**
 * The same database, whose tenant and system transactions hand their noted events to `onCommit`
 * once they committed: counters of runs and audit events count what exists, never a rollback.
 */
export function observeCommits(db: Database, onCommit: (events: readonly CommitEvent[]) => void): Database {
  const run = async <T>(
    open: (inner: (tx: Queryable) => Promise<T>) => Promise<T>,
    fn: (tx: Queryable) => Promise<T>,
  ): Promise<T> => {
    const events: CommitEvent[] = [];
    const result = await open(async (tx) => {
      // A driver retrying the transaction starts it afresh.
      events.length = 0;
      pending.set(tx, events);
      try {
        return await fn(tx);
      } finally {
        pending.delete(tx);
      }
    });
    if (events.length > 0) onCommit(events);
    return result;
  };
  return {
    driver: db.driver,
    tenantTx: (tenantId, fn) => run((inner) => db.tenantTx(tenantId, inner), fn),
    systemTx: (fn) => run((inner) => db.systemTx(inner), fn),
    systemQuery: (text, params) => db.systemQuery(text, params),
    ownerTx: (fn) => db.ownerTx(fn),
    withMigrationLock: (fn) => db.withMigrationLock(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    keepWarm: (connections) => db.keepWarm(connections),
    close: () => db.close(),
  };
}
