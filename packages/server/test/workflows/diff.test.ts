import { describe, expect, it } from 'vitest';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  diffDefinitions,
  validateWorkflowDefinition,
  type WorkflowDefinition,
} from '../../src/workflows/index.ts';

const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
function definition(value: unknown): WorkflowDefinition {
  const result = validateWorkflowDefinition(value, { stepTypes });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

const base = {
  name: 'orders',
  description: 'Order pipeline',
  steps: [
    { id: 'fetch', type: 'http', with: { url: 'https://shop.example/orders/{{ input.id }}' } },
    {
      id: 'check',
      type: 'transform',
      needs: ['fetch'],
      with: { value: '{{ steps.fetch.output.body.total }}' },
    },
    {
      id: 'notify',
      type: 'http',
      needs: ['check'],
      with: { method: 'POST', url: 'https://hooks.example/x' },
    },
  ],
};

describe('structural diff of two versions', () => {
  it('identical definitions have no changes', () => {
    expect(diffDefinitions(definition(base), definition(base))).toEqual({
      identical: true,
      steps: { added: [], removed: [], changed: [], reordered: false },
      changes: [],
    });
  });

  it('reports added, removed and changed steps, and changed fields by path', () => {
    const next = {
      ...base,
      description: 'Order pipeline v2',
      steps: [
        {
          id: 'fetch',
          type: 'http',
          with: { url: 'https://shop.example/v2/orders/{{ input.id }}' },
          timeout: '10s',
        },
        {
          id: 'check',
          type: 'transform',
          needs: ['fetch'],
          with: { value: '{{ steps.fetch.output.body.total }}' },
        },
        { id: 'archive', type: 'task', needs: ['check'], with: { queue: 'archive' } },
      ],
    };
    const diff = diffDefinitions(definition(base), definition(next));
    expect(diff.identical).toBe(false);
    expect(diff.steps).toEqual({
      added: ['archive'],
      removed: ['notify'],
      changed: ['fetch'],
      reordered: false,
    });
    expect(diff.changes).toEqual([
      { op: 'change', path: '/description', from: 'Order pipeline', to: 'Order pipeline v2' },
      { op: 'remove', path: '/steps/notify', from: expect.objectContaining({ id: 'notify', type: 'http' }) },
      {
        op: 'change',
        path: '/steps/fetch/with/url',
        from: 'https://shop.example/orders/{{ input.id }}',
        to: 'https://shop.example/v2/orders/{{ input.id }}',
      },
      { op: 'add', path: '/steps/fetch/timeout', to: '10s' },
      { op: 'add', path: '/steps/archive', to: expect.objectContaining({ id: 'archive', type: 'task' }) },
    ]);
  });

  it('array fields differ element by element, and fields going away are removals', () => {
    const next = {
      name: 'orders',
      steps: [
        base.steps[0],
        { ...base.steps[1], needs: [], with: { value: 1 } },
        { ...base.steps[2], needs: ['check', 'fetch'] },
      ],
    };
    const diff = diffDefinitions(definition(base), definition(next));
    expect(diff.changes).toEqual([
      { op: 'remove', path: '/description', from: 'Order pipeline' },
      { op: 'remove', path: '/steps/check/needs/0', from: 'fetch' },
      { op: 'change', path: '/steps/check/with/value', from: '{{ steps.fetch.output.body.total }}', to: 1 },
      { op: 'add', path: '/steps/notify/needs/1', to: 'fetch' },
    ]);
    expect(diff.steps.changed).toEqual(['check', 'notify']);
  });

  it('moving steps around is a reorder, not a change of each step', () => {
    const next = { ...base, steps: [base.steps[2], base.steps[0], base.steps[1]] };
    const diff = diffDefinitions(definition(base), definition(next));
    expect(diff.steps).toEqual({ added: [], removed: [], changed: [], reordered: true });
    expect(diff.changes).toEqual([
      { op: 'reorder', path: '/steps', from: ['fetch', 'check', 'notify'], to: ['notify', 'fetch', 'check'] },
    ]);
  });

  it('keys with / and ~ are escaped as JSON Pointer says', () => {
    const a = { name: 'h', steps: [{ id: 'a', type: 'transform', with: { value: { 'a/b~c': 1 } } }] };
    const b = { name: 'h', steps: [{ id: 'a', type: 'transform', with: { value: { 'a/b~c': 2 } } }] };
    expect(diffDefinitions(definition(a), definition(b)).changes).toEqual([
      { op: 'change', path: '/steps/a/with/value/a~1b~0c', from: 1, to: 2 },
    ]);
  });
});
