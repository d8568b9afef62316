/**
 * Rows buffered in memory and written together: once `flushMs` after the first is buffered, or
 * at once when `maxBatch` are waiting. Writes run one after another; a failed write puts its
 * rows back for the next flush, so `write` must be idempotent (a key per row). Used where a hot
 * path must not wait for the database (the gateway's call log, the usage ledger).
 */
export interface BatchWriter<T> {
  add(rows: readonly T[]): void;
  /** Writes what is buffered; resolves once every write started so far has ended. */
  flush(): Promise<void>;
}

export function createBatchWriter<T>(
  write: (rows: T[]) => Promise<void>,
  options: { flushMs: number; maxBatch: number; onError: (error: unknown, rows: number) => void },
): BatchWriter<T> {
  let buffer: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const writeOrKeep = async (rows: T[]) => {
    try {
      await write(rows);
    } catch (error) {
      options.onError(error, rows.length);
      buffer = rows.concat(buffer);
      schedule();
    }
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffer.length === 0) return writing;
    const rows = buffer;
    buffer = [];
    writing = writing.then(() => writeOrKeep(rows));
    return writing;
  };

  function schedule() {
    if (!timer) {
      timer = setTimeout(() => void flush(), options.flushMs);
      timer.unref();
    }
  }

  return {
    add(rows) {
      buffer.push(...rows);
      if (buffer.length >= options.maxBatch) void flush();
      else schedule();
    },
    flush,
  };
}
