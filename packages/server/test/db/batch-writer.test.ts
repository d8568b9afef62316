import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../src/db/index.ts';

/** The buffer behind the gateway's call log and the usage ledger. */
describe('batch writer', () => {
  it('writes what is buffered in one batch, at once when the batch is full', async () => {
    const written: number[][] = [];
    const batch = createBatchWriter<number>(async (rows) => void written.push(rows), {
      flushMs: 60_000,
      maxBatch: 3,
      onError: () => undefined,
    });
    batch.add([1, 2]);
    expect(written).toEqual([]);
    batch.add([3]);
    await batch.flush();
    expect(written).toEqual([[1, 2, 3]]);
    batch.add([4]);
    await batch.flush();
    expect(written).toEqual([[1, 2, 3], [4]]);
  });

  it('a failed write keeps its rows for the next flush and reports the failure', async () => {
    const written: number[][] = [];
    const failures: number[] = [];
    let fail = true;
    const batch = createBatchWriter<number>(
      async (rows) => {
        if (fail) {
          fail = false;
          throw new Error('database away');
        }
        written.push(rows);
      },
      { flushMs: 60_000, maxBatch: 100, onError: (_error, rows) => failures.push(rows) },
    );
    batch.add([1, 2]);
    await batch.flush();
    expect(failures).toEqual([2]);
    expect(written).toEqual([]);
    batch.add([3]);
    await batch.flush();
    expect(written).toEqual([[1, 2, 3]]);
  });
});
