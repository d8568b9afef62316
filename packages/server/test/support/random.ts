/** The seed of this run: SHOAL_TEST_SEED to replay a failure, else a fresh one. */
export const TEST_SEED = process.env.SHOAL_TEST_SEED
  ? Number(process.env.SHOAL_TEST_SEED)
  : Math.floor(Math.random() * 2 ** 32);

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  return { next, int, pick };
}
