import type { Database } from '../../db/index.ts';
import { TASK_READY_CHANNEL } from './create-task.ts';

export type WakeReason = 'notified' | 'timeout' | 'aborted' | 'closed';

/** One long-poll's view of a queue: notifications that arrive between waits are kept, not lost. */
export interface TaskSubscription {
  /** Resolves when a task may have arrived on the queue, after `ms`, on `signal` or on close. */
  next(ms: number, signal: AbortSignal): Promise<WakeReason>;
  close(): void;
}

/** Wakes long-polls when tasks are put on their queue; one database listener per process. */
export interface TaskSignals {
  /** Resolves once listening, so a task created after it resolves is never missed. */
  subscribe(tenantId: string, queue: string): Promise<TaskSubscription>;
  /** Ends every wait (they resolve `closed`) and stops listening. */
  close(): Promise<void>;
}

interface Waiter {
  pending: boolean;
  wake: ((reason: WakeReason) => void) | null;
}

export function createTaskSignals(db: Database): TaskSignals {
  const waiters = new Map<string, Set<Waiter>>();
  let listening: Promise<() => Promise<void>> | null = null;
  let closed = false;

  const onNotify = (payload: string) => {
    for (const waiter of waiters.get(payload) ?? []) {
      if (waiter.wake) waiter.wake('notified');
      else waiter.pending = true;
    }
  };

  return {
    async subscribe(tenantId, queue) {
      const key = `${tenantId}:${queue}`;
      const waiter: Waiter = { pending: false, wake: null };
      let set = waiters.get(key);
      if (!set) waiters.set(key, (set = new Set()));
      set.add(waiter);
      if (!closed) {
        listening ??= db.listen(TASK_READY_CHANNEL, onNotify);
        await listening;
      }
      return {
        next(ms, signal) {
          if (closed) return Promise.resolve('closed');
          if (signal.aborted) return Promise.resolve('aborted');
          if (waiter.pending) {
            waiter.pending = false;
            return Promise.resolve('notified');
          }
          return new Promise<WakeReason>((resolve) => {
            const done = (reason: WakeReason) => {
              clearTimeout(timer);
              signal.removeEventListener('abort', onAbort);
              waiter.wake = null;
              resolve(reason);
            };
            const onAbort = () => done('aborted');
            const timer = setTimeout(() => done('timeout'), ms);
            signal.addEventListener('abort', onAbort, { once: true });
            waiter.wake = done;
          });
        },
        close() {
          waiter.wake?.('aborted');
          set.delete(waiter);
          if (set.size === 0) waiters.delete(key);
        },
      };
    },
    async close() {
      closed = true;
      for (const set of waiters.values()) for (const waiter of set) waiter.wake?.('closed');
      const unlisten = await listening?.catch(() => null);
      listening = null;
      await unlisten?.();
    },
  };
}
