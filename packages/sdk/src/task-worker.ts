import type { ShoalClient } from './client.ts';
import { ShoalApiError } from './errors.ts';
import type { ResponseBody } from './types.ts';

/** A task as a poll delivers it. */
export type Task = Exclude<ResponseBody<'pollTask'>, undefined>;

export interface TaskContext {
  task: Task;
  /** Aborted when the run is cancelled, the step times out, or this worker lost the task. */
  signal: AbortSignal;
}

export type TaskHandler = (input: unknown, ctx: TaskContext) => Promise<unknown>;

/** Throw this from a handler to fail the step for good, whatever its retry policy says. */
export class NonRetryableTaskError extends Error {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NonRetryableTaskError';
    this.code = options.code ?? 'TASK_FAILED';
  }
}

export interface TaskWorkerOptions {
  client: ShoalClient;
  queue: string;
  handler: TaskHandler;
  /** Tasks handled at once (default 1). */
  concurrency?: number;
  /** Names this worker on the tasks it takes (default: a random id). */
  workerId?: string;
  /** Default: a third of the task's heartbeat timeout. */
  heartbeatIntervalMs?: number;
  /** How long each poll waits for a task (default 20 s, at most 30 s). */
  pollWaitMs?: number;
  /** Failed polls, heartbeats and results; the worker goes on. Default: ignored. */
  onError?: (error: unknown, task: Task | null) => void;
}

export interface TaskWorker {
  /** Stops polling, lets running handlers finish and report, then resolves. */
  stop(): Promise<void>;
  /** Handlers running now. */
  readonly running: number;
}

/** The server says this delivery is over: stop and report nothing. */
const LOST = new Set(['TASK_LEASE_LOST', 'TASK_CANCELLED', 'TASK_TIMED_OUT', 'TASK_NOT_FOUND']);
const isLost = (error: unknown) => error instanceof ShoalApiError && LOST.has(error.code);
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,99}$/;

const delay = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Runs `handler` for the tasks of a queue: long-polls, heartbeats while the handler runs,
 * completes with what it returns or fails with what it throws (an error's `code` if it has a
 * stable one; `NonRetryableTaskError` or `retryable: false` fails the step for good).
 */
export function createTaskWorker(options: TaskWorkerOptions): TaskWorker {
  const { client, queue, handler } = options;
  const workerId = options.workerId ?? `sdk-${Math.random().toString(36).slice(2, 10)}`;
  const waitMs = Math.min(options.pollWaitMs ?? 20_000, 30_000);
  const report = options.onError ?? (() => undefined);
  const stopping = new AbortController();
  let running = 0;

  const work = async (task: Task) => {
    const lost = new AbortController();
    const beatEvery = options.heartbeatIntervalMs ?? Math.max(100, Math.floor(task.heartbeatTimeoutMs / 3));
    const beat = setInterval(() => {
      client.heartbeatTask({ id: task.id }, { token: task.token }).then(
        (answer) => {
          if (answer.cancelled)
            lost.abort(new Error(`Task ${task.id} was cancelled (${answer.reason ?? ''})`));
        },
        (error: unknown) => {
          if (isLost(error)) lost.abort(error);
          else report(error, task);
        },
      );
    }, beatEvery);
    try {
      let output: unknown;
      try {
        output = await handler(task.input, { task, signal: lost.signal });
      } catch (error) {
        if (lost.signal.aborted) return;
        const e = error as { code?: unknown; message?: unknown; retryable?: unknown };
        await client.failTask(
          { id: task.id },
          {
            token: task.token,
            error: {
              code: typeof e.code === 'string' && ERROR_CODE.test(e.code) ? e.code : 'TASK_FAILED',
              message: String(e.message ?? error).slice(0, 2000),
            },
            retryable: !(error instanceof NonRetryableTaskError) && e.retryable !== false,
          },
        );
        return;
      }
      if (lost.signal.aborted) return;
      await client.completeTask({ id: task.id }, { token: task.token, output: output ?? null });
    } catch (error) {
      if (!isLost(error)) report(error, task);
    } finally {
      clearInterval(beat);
    }
  };

  const slot = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let task: Task | undefined;
      try {
        task = await client.pollTask({ queue }, { workerId, waitMs }, { signal: stopping.signal });
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        report(error, null);
        failures += 1;
        await delay(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), stopping.signal);
        continue;
      }
      if (!task) continue;
      running += 1;
      try {
        await work(task);
      } finally {
        running -= 1;
      }
    }
  };

  const slots = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => slot());
  return {
    async stop() {
      // A poll cut short may have just leased a task: it goes to another worker after its heartbeat timeout.
      stopping.abort();
      await Promise.all(slots);
    },
    get running() {
      return running;
    },
  };
}
