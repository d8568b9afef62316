import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  findCycles,
  validateWorkflowDefinition,
  type Problem,
} from '../../src/workflows/index.ts';
import { TEST_SEED } from '../support/random.ts';

const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
const validate = (definition: unknown) => validateWorkflowDefinition(definition, { stepTypes });
const params = { seed: TEST_SEED, numRuns: 200 };

/** A random DAG: step i may only need steps before it, so there is never a cycle. */
const dagArbitrary = fc
  .integer({ min: 1, max: 25 })
  .chain((size) =>
    fc.tuple(
      fc.constant(size),
      fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: size, maxLength: size }),
      fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
    ),
  )
  .map(([size, picks, order]) => {
    const ids = Array.from({ length: size }, (_, i) => `s${i}`);
    const needs = ids.map((_, i) =>
      i === 0 ? [] : [...new Set((picks[i] ?? []).map((p) => ids[p % i] as string))],
    );
    // Listing order is independent of the dependency order.
    return order.map((i) => ({
      id: ids[i] as string,
      type: 'transform',
      needs: needs[i] as string[],
      with: {
        value:
          (needs[i] as string[]).length > 0
            ? `{{ ${(needs[i] as string[]).map((n) => `steps.${n}.output`).join(' & ')} }}`
            : '{{ input.seed }}',
      },
    }));
  });

type Step = { id: string; type: string; needs: string[]; with: Record<string, unknown> };

/** Every step `from` can reach through needs (its upstream). */
function reachable(steps: Step[], from: string): Set<string> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const frontier = [...(byId.get(from)?.needs ?? [])];
  while (frontier.length) {
    const id = frontier.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    frontier.push(...(byId.get(id)?.needs ?? []));
  }
  return seen;
}

function expectRealCycle(problem: Problem, steps: Step[]): void {
  const path = /cycle through needs: (.+)$/.exec(problem.message)?.[1]?.split(' -> ') ?? [];
  expect(path.length).toBeGreaterThanOrEqual(2);
  expect(path[0]).toBe(path.at(-1));
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (let i = 0; i + 1 < path.length; i += 1) {
    expect(byId.get(path[i] as string)?.needs, `${path[i]} -> ${path[i + 1]}`).toContain(path[i + 1]);
  }
  // No step repeats inside the cycle: it is a simple cycle, not a walk.
  expect(new Set(path.slice(0, -1)).size).toBe(path.length - 1);
  expect(problem.stepId).toBe(path[0]);
}

describe('DAG checks (property-based)', () => {
  it('every random DAG of steps validates', () => {
    fc.assert(
      fc.property(dagArbitrary, (steps) => {
        const result = validate({ name: 'random-dag', steps });
        expect(result.ok ? [] : result.problems).toEqual([]);
      }),
      params,
    );
  });

  it('adding one back edge to a DAG is reported as a cycle whose path is a real cycle', () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), fc.nat(), (steps, a, b) => {
        // Pick u and one of its upstream steps v (or u itself: a self-loop), then make v need u.
        const u = steps[a % steps.length] as Step;
        const candidates = [u.id, ...reachable(steps, u.id)];
        const v = candidates[b % candidates.length] as string;
        const withBackEdge = steps.map((s) => (s.id === v ? { ...s, needs: [...s.needs, u.id] } : s));
        const result = validate({ name: 'cyclic', steps: withBackEdge });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const cycles = result.problems.filter((p) => p.code === 'CYCLE');
        expect(cycles.length).toBeGreaterThanOrEqual(1);
        for (const cycle of cycles) expectRealCycle(cycle, withBackEdge);
        // The new edge closes every reported cycle, so each one goes through both ends of it.
        const pathOf = (p: Problem) => p.message.split(': ')[1]?.split(' -> ') ?? [];
        expect(cycles.some((c) => pathOf(c).includes(u.id) && pathOf(c).includes(v))).toBe(true);
        // Nothing else is wrong: every expression still reads only steps upstream of it.
        expect(result.problems.filter((p) => p.code !== 'CYCLE')).toEqual([]);
      }),
      params,
    );
  });

  it('findCycles reports one real cycle per strongly connected component', () => {
    const graphArbitrary = fc
      .integer({ min: 1, max: 12 })
      .chain((size) =>
        fc.array(fc.array(fc.nat({ max: size - 1 }), { maxLength: 3 }), { minLength: size, maxLength: size }),
      );
    fc.assert(
      fc.property(graphArbitrary, (edges) => {
        const graph = new Map(edges.map((out, i) => [`n${i}`, out.map((j) => `n${j}`)]));
        const cycles = findCycles(graph);
        const members = cycles.map((cycle) => new Set(cycle));
        for (const cycle of cycles) {
          for (let i = 0; i + 1 < cycle.length; i += 1)
            expect(graph.get(cycle[i] as string)).toContain(cycle[i + 1]);
        }
        // Components are disjoint.
        for (let i = 0; i < members.length; i += 1)
          for (let j = i + 1; j < members.length; j += 1)
            expect([...(members[i] as Set<string>)].filter((id) => members[j]?.has(id))).toEqual([]);
        // A graph has a cycle exactly when findCycles finds one: check with a topological sort.
        const indegree = new Map([...graph.keys()].map((id) => [id, 0]));
        for (const out of graph.values()) for (const to of out) indegree.set(to, (indegree.get(to) ?? 0) + 1);
        const queue = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
        let sorted = 0;
        while (queue.length) {
          const id = queue.pop() as string;
          sorted += 1;
          for (const to of graph.get(id) ?? []) {
            indegree.set(to, (indegree.get(to) ?? 0) - 1);
            if (indegree.get(to) === 0) queue.push(to);
          }
        }
        expect(cycles.length > 0).toBe(sorted < graph.size);
      }),
      params,
    );
  });

  it('every fault planted in a valid workflow is reported, all in one answer', () => {
    const faults = [
      'duplicate',
      'unknownNeed',
      'unknownType',
      'badExpression',
      'badWith',
      'selfNeed',
    ] as const;
    fc.assert(
      fc.property(
        dagArbitrary.filter((steps) => steps.length >= 3),
        fc.subarray([...faults], { minLength: 1 }),
        (steps, planted) => {
          const broken: Record<string, unknown>[] = steps.map((s) => ({ ...s, needs: [...s.needs] }));
          const at = (i: number) =>
            broken[i % broken.length] as Record<string, unknown> & { needs: string[] };
          const expected: string[] = [];
          for (const fault of planted) {
            switch (fault) {
              case 'duplicate':
                broken.push({ id: at(0).id, type: 'transform', with: { value: 1 } });
                expected.push('DUPLICATE_STEP_ID');
                break;
              case 'unknownNeed':
                at(1).needs.push('nowhere');
                expected.push('UNKNOWN_NEED');
                break;
              case 'unknownType':
                broken.push({ id: 'teleporter', type: 'teleport' });
                expected.push('UNKNOWN_STEP_TYPE');
                break;
              case 'badExpression':
                broken.push({ id: 'broken_expr', type: 'transform', with: { value: '{{ input.a + }}' } });
                expected.push('EXPRESSION_INVALID');
                break;
              case 'badWith':
                broken.push({ id: 'bad_sleep', type: 'sleep', with: { duration: 'soon' } });
                expected.push('WITH_INVALID');
                break;
              case 'selfNeed':
                broken.push({ id: 'narcissus', type: 'transform', needs: ['narcissus'], with: { value: 1 } });
                expected.push('CYCLE');
                break;
            }
          }
          const result = validate({ name: 'faulty', steps: broken });
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect([...new Set(result.problems.map((p) => p.code))].sort()).toEqual(
            [...new Set(expected)].sort(),
          );
        },
      ),
      params,
    );
  });
});
