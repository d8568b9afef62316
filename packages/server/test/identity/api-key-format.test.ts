import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, generateApiKey, isWellFormedApiKey } from '../../src/identity/index.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('API key format', () => {
  it('generated keys are shoal_ + 38 base62 characters and pass their checksum', () => {
    for (let i = 0; i < 200; i += 1) {
      const key = generateApiKey();
      expect(key).toMatch(/^shoal_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('any single-character change is caught by the checksum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: API_KEY_PREFIX.length, max: API_KEY_PREFIX.length + 37 }),
        fc.integer({ min: 1, max: 61 }),
        (pos, shift) => {
          const key = generateApiKey();
          const original = key.charAt(pos);
          const replaced = BASE62[(BASE62.indexOf(original) + shift) % 62] ?? '0';
          const mutated = key.slice(0, pos) + replaced + key.slice(pos + 1);
          return !isWellFormedApiKey(mutated);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects wrong prefixes, lengths and alphabets', () => {
    const key = generateApiKey();
    expect(isWellFormedApiKey(key.replace('shoal_', 'shoaL_'))).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey(`${key.slice(0, -7)}-${key.slice(-6)}`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });
});
