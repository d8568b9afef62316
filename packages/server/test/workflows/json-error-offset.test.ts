import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/workflows/json-error-offset.ts';
import { TEST_SEED } from '../support/random.ts';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('locating JSON syntax errors', () => {
  it('valid JSON has no error offset', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonErrorOffset(text)).toBeNull();
      }),
      { seed: TEST_SEED, numRuns: 300 },
    );
  });

  it('text JSON.parse refuses always gets an offset within the text', () => {
    const broken = fc.oneof(
      fc.string(),
      fc
        .json()
        .chain((text) =>
          fc
            .tuple(fc.nat({ max: text.length }), fc.constantFrom(',', '}', ']', '"', ':', 'x', ''))
            .map(([at, insert]) =>
              text.length > 0 && insert === ''
                ? text.slice(0, at)
                : text.slice(0, at) + insert + text.slice(at),
            ),
        ),
    );
    fc.assert(
      fc.property(
        broken.filter((text) => !parses(text)),
        (text) => {
          const offset = jsonErrorOffset(text);
          expect(offset).not.toBeNull();
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(text.length);
        },
      ),
      { seed: TEST_SEED, numRuns: 1000 },
    );
  });

  it.each([
    ['{"a" 1}', 5],
    ['[1,]', 3],
    ['{\n  "steps": [,]\n}', 14],
    ['name: x', 0],
    ['{"a": 1} x', 9],
    ['"unterminated', 13],
    ['"bad \\ escape"', 6],
    ['"\\u12G4"', 2],
  ])('%j breaks at offset %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
