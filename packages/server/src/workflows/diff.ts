import { canonicalJson } from './canonical.ts';
import type { WorkflowDefinition } from './definition-schema.ts';
import { toPointer, type PathSegment } from './json-pointer.ts';

export const CHANGE_OPS = ['add', 'remove', 'change', 'reorder'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/**
 * One difference. Paths are JSON Pointers into the definition except that steps are addressed
 * by id (`/steps/fetch/with/url`), so inserting a step does not renumber every later one.
 */
export interface DefinitionChange {
  op: ChangeOp;
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface DefinitionDiff {
  identical: boolean;
  steps: { added: string[]; removed: string[]; changed: string[]; reordered: boolean };
  changes: DefinitionChange[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** A structural diff of two definitions: steps matched by id, then field by field. */
export function diffDefinitions(from: WorkflowDefinition, to: WorkflowDefinition): DefinitionDiff {
  const changes: DefinitionChange[] = [];
  const { steps: fromSteps, ...fromRest } = from;
  const { steps: toSteps, ...toRest } = to;
  diffValue(fromRest, toRest, [], changes);

  const before = new Map(fromSteps.map((step) => [step.id, step]));
  const after = new Map(toSteps.map((step) => [step.id, step]));
  const removed = fromSteps.filter((step) => !after.has(step.id)).map((step) => step.id);
  const added = toSteps.filter((step) => !before.has(step.id)).map((step) => step.id);
  const changed: string[] = [];
  for (const id of removed)
    changes.push({ op: 'remove', path: toPointer(['steps', id]), from: before.get(id) });
  for (const step of toSteps) {
    const old = before.get(step.id);
    if (!old) {
      changes.push({ op: 'add', path: toPointer(['steps', step.id]), to: step });
      continue;
    }
    const count = changes.length;
    diffValue(old, step, ['steps', step.id], changes);
    if (changes.length > count) changed.push(step.id);
  }
  const keptBefore = fromSteps.map((step) => step.id).filter((id) => after.has(id));
  const keptAfter = toSteps.map((step) => step.id).filter((id) => before.has(id));
  const reordered = !same(keptBefore, keptAfter);
  if (reordered) changes.push({ op: 'reorder', path: '/steps', from: keptBefore, to: keptAfter });
  return {
    identical: changes.length === 0,
    steps: { added, removed, changed, reordered },
    changes,
  };
}

function diffValue(a: unknown, b: unknown, path: PathSegment[], out: DefinitionChange[]): void {
  if (same(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((key) => !(key in a))];
    for (const key of keys) {
      if (a[key] === undefined) out.push({ op: 'add', path: toPointer([...path, key]), to: b[key] });
      else if (b[key] === undefined)
        out.push({ op: 'remove', path: toPointer([...path, key]), from: a[key] });
      else diffValue(a[key], b[key], [...path, key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (i >= b.length) out.push({ op: 'remove', path: toPointer([...path, i]), from: a[i] });
      else if (i >= a.length) out.push({ op: 'add', path: toPointer([...path, i]), to: b[i] });
      else diffValue(a[i], b[i], [...path, i], out);
    }
    return;
  }
  out.push({ op: 'change', path: toPointer(path), from: a, to: b });
}
