import jsonata from 'jsonata';

/**
 * Expressions are JSONata inside `{{ … }}` in any string of `with`, `when` or `output`
 * (docs/workflows.md). A string that is one expression and nothing else evaluates to the
 * expression's value (a number stays a number); a string mixing text and expressions is
 * a template whose expressions are turned into text.
 */

/** What every expression can read; a map step's sub-step also has `item` and `index`. */
export const EXPRESSION_ROOTS = ['input', 'steps', 'run', 'env'] as const;
export const MAP_ITEM_ROOTS = ['item', 'index'] as const;
const READABLE_ROOTS = [...EXPRESSION_ROOTS, ...MAP_ITEM_ROOTS];

export type TemplatePart =
  | { kind: 'text'; text: string }
  | {
      kind: 'expression';
      /** The JSONata text between the braces. */
      source: string;
      /** Index of `source` in the whole string. */
      start: number;
    };

export type ScannedTemplate =
  { ok: true; parts: TemplatePart[]; whole: boolean } | { ok: false; index: number; message: string };

/** Whether a string holds an expression at all (cheap test before scanning). */
export const hasExpression = (text: string): boolean => text.includes('{{');

/**
 * Splits a string into text and `{{ … }}` expressions. The closing `}}` is the first one
 * outside JSONata strings, comments and braces, so `{{ {"a": {"b": 1}} }}` is one expression.
 */
export function scanTemplate(text: string): ScannedTemplate {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  for (;;) {
    const open = text.indexOf('{{', cursor);
    if (open === -1) break;
    if (open > cursor) parts.push({ kind: 'text', text: text.slice(cursor, open) });
    const start = open + 2;
    const close = findClose(text, start);
    if (close === -1) return { ok: false, index: open, message: 'Expression has no closing }}' };
    const source = text.slice(start, close);
    if (source.trim() === '') return { ok: false, index: open, message: 'Expression is empty' };
    parts.push({ kind: 'expression', source, start });
    cursor = close + 2;
  }
  if (cursor < text.length) parts.push({ kind: 'text', text: text.slice(cursor) });
  const meaningful = parts.filter((part) => part.kind === 'expression' || part.text.trim() !== '');
  return { ok: true, parts, whole: meaningful.length === 1 && meaningful[0]?.kind === 'expression' };
}

function findClose(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (c === '}' && depth === 0 && text[i + 1] === '}') return i;
    else if (c === '{') depth += 1;
    else if (c === '}') depth -= 1;
  }
  return -1;
}

export interface ExpressionIssue {
  kind: 'syntax' | 'unknown_name';
  /** Index in the expression source where the problem starts. */
  index: number;
  message: string;
}

export interface CompiledExpression {
  source: string;
  /** Steps read through `steps.<id>` (or `$$.steps.<id>`), with where they are named. */
  stepReferences: { stepId: string; index: number }[];
  /** True when `steps` is read as a whole (`$keys(steps)`, `steps[...]`), not one step at a time. */
  readsAllSteps: boolean;
  evaluate(context: Record<string, unknown>): Promise<unknown>;
}

type Node = Omit<jsonata.ExprNode, 'type'> & {
  type: string;
  stages?: Node[];
  predicate?: Node[];
  group?: { lhs: [Node, Node][] };
  expr?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  body?: Node;
  pattern?: Node;
  update?: Node;
  delete?: Node;
  [key: string]: unknown;
};

/**
 * Compiles one expression; a syntax error comes back as an issue with JSONata's position
 * (which points just past the offending token) turned into an index of the source.
 */
export function compileExpression(
  source: string,
  roots: readonly string[] = EXPRESSION_ROOTS,
):
  | { ok: true; expression: CompiledExpression; issues: ExpressionIssue[] }
  | { ok: false; issues: ExpressionIssue[] } {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(source);
  } catch (error) {
    const e = error as Partial<jsonata.JsonataError>;
    const position = typeof e.position === 'number' ? e.position : 1;
    const index = Math.min(Math.max(position - 1, 0), Math.max(source.length - 1, 0));
    const code = typeof e.code === 'string' ? ` (${e.code})` : '';
    return {
      ok: false,
      issues: [{ kind: 'syntax', index, message: `${e.message ?? 'Invalid expression'}${code}` }],
    };
  }
  const issues: ExpressionIssue[] = [];
  const stepReferences: { stepId: string; index: number }[] = [];
  walk(compiled.ast() as Node, true, roots, issues, stepReferences);
  return {
    ok: true,
    issues,
    expression: {
      source,
      stepReferences: stepReferences.filter((r) => r.stepId !== WHOLE_STEPS),
      readsAllSteps: stepReferences.some((r) => r.stepId === WHOLE_STEPS),
      evaluate: async (context) => toJson(await compiled.evaluate(context)),
    },
  };
}

/** A reference to `steps` itself rather than to one step (step ids cannot be empty). */
const WHOLE_STEPS = '';

/** Start index of a name node: JSONata records the position just past the token. */
const startOf = (node: Node): number => Math.max((node.position ?? 0) - String(node.value ?? '').length, 0);

/**
 * Finds the names a path reads from the expression's root (`input`, `steps.fetch`, …). Only
 * the head of a path evaluated against the root counts: names after a `.`, in a predicate or
 * in a lambda are relative to something else.
 */
function walk(
  node: Node | undefined,
  atRoot: boolean,
  roots: readonly string[],
  issues: ExpressionIssue[],
  refs: { stepId: string; index: number }[],
): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'path' && node.steps) {
    const [head, next] = node.steps as Node[];
    // `$$` is always the root; `$` is the root only where the context is the root.
    const fromRoot = head?.type === 'variable' && (head.value === '$' || (head.value === '' && atRoot));
    const rootName = fromRoot ? next : atRoot ? head : undefined;
    if (rootName?.type === 'name') {
      const name = String(rootName.value);
      if (!roots.includes(name)) {
        issues.push({
          kind: 'unknown_name',
          index: startOf(rootName),
          message: `Expression reads "${name}", which is not in its context; use ${roots.join(', ')}`,
        });
      } else if (name === 'steps') {
        const stepIndex = (node.steps as Node[]).indexOf(rootName) + 1;
        const step = (node.steps as Node[])[stepIndex];
        refs.push(
          step?.type === 'name'
            ? { stepId: String(step.value), index: startOf(step) }
            : { stepId: WHOLE_STEPS, index: startOf(rootName) },
        );
      }
    }
    (node.steps as Node[]).forEach((step, i) => {
      walkStep(step, atRoot && i === 0, roots, issues, refs);
    });
    for (const [key, value] of node.group?.lhs ?? []) {
      walk(key, false, roots, issues, refs);
      walk(value, false, roots, issues, refs);
    }
    return;
  }
  walkStep(node, atRoot, roots, issues, refs);
}

function walkStep(
  node: Node,
  atRoot: boolean,
  roots: readonly string[],
  issues: ExpressionIssue[],
  refs: { stepId: string; index: number }[],
): void {
  const same = (child: Node | undefined) => walk(child, atRoot, roots, issues, refs);
  const relative = (child: Node | undefined) => walk(child, false, roots, issues, refs);
  for (const stage of node.stages ?? []) relative(stage.expr ?? stage);
  for (const predicate of node.predicate ?? []) relative(predicate.expr ?? predicate);
  for (const [key, value] of node.group?.lhs ?? []) {
    relative(key);
    relative(value);
  }
  switch (node.type) {
    case 'binary':
      same(node.lhs as Node);
      same(node.rhs as Node);
      return;
    case 'unary':
      if (node.value === '{' || node.value === '[') {
        for (const item of (node.lhs ?? node.expressions ?? []) as (Node | [Node, Node])[]) {
          if (Array.isArray(item)) item.forEach(same);
          else same(item);
        }
      } else same(node.expression as Node);
      return;
    case 'function':
    case 'partial':
      for (const arg of node.arguments ?? []) same(arg as Node);
      same(node.procedure as Node);
      return;
    case 'condition':
      same(node.condition);
      same(node.then);
      same(node.else);
      return;
    case 'block':
      for (const expression of node.expressions ?? []) same(expression as Node);
      return;
    case 'lambda':
      relative(node.body);
      return;
    case 'transform':
      relative(node.pattern);
      relative(node.update);
      relative(node.delete);
      return;
    case 'apply':
    case 'bind':
      same(node.lhs as Node);
      same(node.rhs as Node);
      return;
    default:
      return;
  }
}

/** JSONata returns sequences and may return functions; results are plain JSON from here on. */
function toJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

/** Text for a value placed inside a template string: strings as they are, the rest as JSON. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Resolves every expression in a value (the engine calls this with a step's `with`, its
 * `when`, or the workflow's `output`). The value must have passed validation.
 */
export async function resolveTemplate(value: unknown, context: Record<string, unknown>): Promise<unknown> {
  if (typeof value === 'string') {
    if (!hasExpression(value)) return value;
    const scanned = scanTemplate(value);
    if (!scanned.ok) throw new Error(scanned.message);
    const results: unknown[] = [];
    for (const part of scanned.parts) {
      if (part.kind === 'text') {
        results.push(part.text);
        continue;
      }
      const compiled = compileExpression(part.source, []);
      if (!compiled.ok) throw new Error(compiled.issues[0]?.message ?? 'Invalid expression');
      results.push(await compiled.expression.evaluate(context));
    }
    if (scanned.whole) return results.find((_r, i) => scanned.parts[i]?.kind === 'expression');
    return results.map((result, i) => (scanned.parts[i]?.kind === 'text' ? result : asText(result))).join('');
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveTemplate(item, context)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = await resolveTemplate(item, context);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return value;
}

/**
 * The step ids the expressions anywhere in `value` read, or null when one reads `steps` as a
 * whole: what the engine loads for an attempt instead of every finished step's output.
 */
export function stepsReadBy(value: unknown): string[] | null {
  // Every root a step's expressions may read, so that `steps.<id>` is recognised as a root path.
  const read = new Set<string>();
  const visit = (node: unknown): boolean => {
    if (typeof node === 'string') {
      if (!hasExpression(node)) return true;
      const scanned = scanTemplate(node);
      if (!scanned.ok) return false;
      for (const part of scanned.parts) {
        if (part.kind !== 'expression') continue;
        const compiled = compileExpression(part.source, READABLE_ROOTS);
        if (!compiled.ok || compiled.expression.readsAllSteps) return false;
        for (const ref of compiled.expression.stepReferences) read.add(ref.stepId);
      }
      return true;
    }
    if (Array.isArray(node)) return node.every(visit);
    if (typeof node === 'object' && node !== null) return Object.values(node).every(visit);
    return true;
  };
  return visit(value) ? [...read] : null;
}

/** JSONata's `$boolean`: how `when` and branch conditions are read. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}
