import { describe, expect, it } from 'vitest';
import { stepsReadBy } from '../../src/workflows/index.ts';

describe('stepsReadBy: which outputs an attempt has to load', () => {
  it('collects every step named through steps.<id>, anywhere in the value', () => {
    expect(
      stepsReadBy({
        with: {
          value: '{{ steps.a.output * 2 }}',
          text: 'from {{ steps.b.output.name }} and {{ $$.steps.c.state }}',
          nested: [{ deep: '{{ steps.a.output + item.n + index }}' }],
        },
        when: '{{ steps.d.state = "succeeded" }}',
      })?.sort(),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads nothing when no expression names a step', () => {
    expect(stepsReadBy({ with: { value: 3, text: 'hello {{ input.name }}' } })).toEqual([]);
  });

  it('answers null (load them all) when steps is read as a whole', () => {
    expect(stepsReadBy({ with: { value: '{{ $keys(steps) }}' } })).toBeNull();
    expect(stepsReadBy({ with: { value: '{{ $lookup(steps, input.which).output }}' } })).toBeNull();
  });

  it('names inside a predicate or lambda are not steps of the workflow', () => {
    expect(stepsReadBy({ with: { value: '{{ steps.a.output.items[steps > 2] }}' } })).toEqual(['a']);
  });
});
