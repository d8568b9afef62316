import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/index.ts';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  entries.sort(([a], [b]) => ((a.length * seed) % 7) - ((b.length * seed) % 7) || b.localeCompare(a));
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, seed)]));
}

describe('canonical JSON', () => {
  it('is independent of key order and round-trips through JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 97 }), (value, seed) => {
        const a = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(a);
        expect(canonicalJson(JSON.parse(a))).toBe(a);
      }),
    );
  });

  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});
