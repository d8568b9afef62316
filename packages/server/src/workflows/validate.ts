import type { z } from 'zod';
import { contentHash } from './canonical.ts';
import { findCycles, upstreamOf } from './dag.ts';
import {
  EVENT_FILTER_ROOTS,
  STEP_TYPE_PATTERN,
  WorkflowSchema,
  type WorkflowDefinition,
} from './definition-schema.ts';
import type { Problem, ProblemCode } from './errors.ts';
import { compileExpression, EXPRESSION_ROOTS, hasExpression, scanTemplate } from './expressions.ts';
import { compileInputSchema } from './input-schema.ts';
import { toPointer, type PathSegment } from './json-pointer.ts';
import { parseSource, type SourceFormat, type SourceLocator } from './source.ts';
import type { StepTypeRegistry } from './step-type.ts';

export type ValidationResult =
  { ok: true; definition: WorkflowDefinition; contentHash: string } | { ok: false; problems: Problem[] };

export interface ValidateOptions {
  stepTypes: StepTypeRegistry;
}

/** Parses YAML or JSON text and validates it; problems carry line and column. */
export function validateWorkflowSource(
  text: string,
  format: SourceFormat,
  options: ValidateOptions,
): ValidationResult {
  const parsed = parseSource(text, format);
  if (!parsed.ok) return parsed;
  return validateWorkflowDefinition(parsed.value, options, parsed.locator);
}

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a definition and reports every problem at once: its shape, each step's `with`
 * against its type, the graph of `needs` (duplicates, unknown steps, cycles), the input
 * schema, and every expression (syntax, names, and steps read before they are sure to run).
 */
export function validateWorkflowDefinition(
  value: unknown,
  options: ValidateOptions,
  locator?: SourceLocator,
): ValidationResult {
  const problems: Problem[] = [];
  const add = (
    code: ProblemCode,
    message: string,
    path: PathSegment[],
    where: { stepId?: string | undefined; key?: boolean; stringIndex?: number } = {},
  ) => {
    const position =
      where.stringIndex === undefined
        ? locator?.at(path, { key: where.key ?? false })
        : locator?.inString(path, where.stringIndex);
    problems.push({
      code,
      message,
      path: toPointer(path),
      ...(where.stepId === undefined ? {} : { stepId: where.stepId }),
      ...(position ? { line: position.line, column: position.column } : {}),
    });
  };

  const rawSteps = isObject(value) && Array.isArray(value.steps) ? value.steps : [];
  const stepIdAt = (index: number): string | undefined => {
    const step: unknown = rawSteps[index];
    return isObject(step) && typeof step.id === 'string' ? step.id : undefined;
  };

  const shape = WorkflowSchema.safeParse(value);
  if (!shape.success) {
    for (const issue of flattenIssues(shape.error.issues, [])) {
      const stepId =
        issue.path[0] === 'steps' && typeof issue.path[1] === 'number' ? stepIdAt(issue.path[1]) : undefined;
      add(issue.unknownKey ? 'FIELD_UNKNOWN' : 'FIELD_INVALID', issue.message, issue.path, {
        stepId,
        key: issue.unknownKey,
      });
    }
  }

  if (isObject(value) && isObject(value.input)) {
    const compiled = compileInputSchema(value.input);
    if (!compiled.ok) {
      for (const issue of compiled.issues)
        add('INPUT_SCHEMA_INVALID', `Input schema ${issue.message}`, ['input', ...issue.path]);
    }
  }

  // The graph, from whatever steps have a string id: one bad field must not hide the rest.
  const graph = new Map<string, string[]>();
  const indexOf = new Map<string, number>();
  rawSteps.forEach((step, i) => {
    const id = stepIdAt(i);
    if (id === undefined) return;
    if (indexOf.has(id)) {
      add(
        'DUPLICATE_STEP_ID',
        `Step id "${id}" is used by more than one step (first at steps/${indexOf.get(id)})`,
        ['steps', i, 'id'],
        { stepId: id },
      );
      return;
    }
    indexOf.set(id, i);
    const needs = isObject(step) && Array.isArray(step.needs) ? step.needs : [];
    graph.set(
      id,
      needs.filter((need): need is string => typeof need === 'string'),
    );
  });
  rawSteps.forEach((step, i) => {
    const id = stepIdAt(i);
    if (!isObject(step) || !Array.isArray(step.needs)) return;
    step.needs.forEach((need, j) => {
      if (typeof need === 'string' && !indexOf.has(need))
        add(
          'UNKNOWN_NEED',
          `Step "${id ?? i}" needs "${need}", which is not a step of this workflow`,
          ['steps', i, 'needs', j],
          { stepId: id },
        );
    });
  });
  for (const cycle of findCycles(graph)) {
    const [from, to] = cycle as [string, string];
    const i = indexOf.get(from) as number;
    const j = (graph.get(from) ?? []).indexOf(to);
    add('CYCLE', `Steps form a cycle through needs: ${cycle.join(' -> ')}`, ['steps', i, 'needs', j], {
      stepId: from,
    });
  }

  const upstream = upstreamOf(graph);
  const allSteps = new Set(indexOf.keys());
  const checkContextSteps = new Map([...graph].map(([id, needs]) => [id, { needs }]));

  const checkExpressions = (
    root: unknown,
    path: PathSegment[],
    context: {
      stepId?: string | undefined;
      roots: readonly string[];
      visible: ReadonlySet<string>;
      skip?: ReadonlySet<string>;
    },
  ) => {
    const visit = (item: unknown, at: PathSegment[]) => {
      if (context.skip?.has(toPointer(at))) return;
      if (typeof item === 'string') {
        if (hasExpression(item)) checkString(item, at);
      } else if (Array.isArray(item)) item.forEach((child, i) => visit(child, [...at, i]));
      else if (isObject(item)) for (const [key, child] of Object.entries(item)) visit(child, [...at, key]);
    };
    const checkString = (text: string, at: PathSegment[]) => {
      const scanned = scanTemplate(text);
      if (!scanned.ok) {
        add('EXPRESSION_INVALID', scanned.message, at, {
          stepId: context.stepId,
          stringIndex: scanned.index,
        });
        return;
      }
      for (const part of scanned.parts) {
        if (part.kind !== 'expression') continue;
        const compiled = compileExpression(part.source, context.roots);
        for (const issue of compiled.issues) {
          add(
            issue.kind === 'syntax' ? 'EXPRESSION_INVALID' : 'EXPRESSION_UNKNOWN_NAME',
            issue.kind === 'syntax' ? `Expression is invalid: ${issue.message}` : issue.message,
            at,
            { stepId: context.stepId, stringIndex: part.start + issue.index },
          );
        }
        if (!compiled.ok) continue;
        for (const ref of compiled.expression.stepReferences) {
          const where = { stepId: context.stepId, stringIndex: part.start + ref.index };
          if (!allSteps.has(ref.stepId)) {
            add(
              'EXPRESSION_UNKNOWN_STEP',
              `Expression reads steps.${ref.stepId}, but there is no step "${ref.stepId}"`,
              at,
              where,
            );
          } else if (ref.stepId === context.stepId) {
            add(
              'EXPRESSION_NOT_UPSTREAM',
              `Expression reads steps.${ref.stepId}: a step cannot read its own output`,
              at,
              where,
            );
          } else if (!context.visible.has(ref.stepId)) {
            add(
              'EXPRESSION_NOT_UPSTREAM',
              `Expression reads steps.${ref.stepId}, but step "${context.stepId}" does not need "${ref.stepId}" (directly or through other steps), so it may not have run`,
              at,
              where,
            );
          }
        }
      }
    };
    visit(root, path);
  };

  /** A step's type and `with`, and those of the steps nested in it. */
  const checkStepBody = (
    step: Raw,
    path: PathSegment[],
    stepId: string | undefined,
    roots: readonly string[],
    visible: ReadonlySet<string>,
  ) => {
    const type = typeof step.type === 'string' ? step.type : undefined;
    const spec = type === undefined ? undefined : options.stepTypes.get(type);
    const withValue = step.with === undefined ? {} : step.with;
    const nested = (isObject(withValue) ? (spec?.nestedSteps ?? []) : [])
      .filter(({ field }) => (withValue as Raw)[field] !== undefined)
      .map(({ field, roots: innerRoots }) => ({
        path: [field],
        step: (withValue as Raw)[field],
        roots: innerRoots,
      }));
    if (type !== undefined && !spec && STEP_TYPE_PATTERN.test(type)) {
      add(
        'UNKNOWN_STEP_TYPE',
        `Unknown step type "${type}"; known types: ${[...options.stepTypes.keys()].join(', ')}`,
        [...path, 'type'],
        { stepId },
      );
    }
    if (spec && isObject(withValue)) {
      const parsed = spec.with.safeParse(withValue);
      if (!parsed.success) {
        for (const issue of flattenIssues(parsed.error.issues, [...path, 'with'])) {
          add(
            'WITH_INVALID',
            issue.unknownKey ? `${issue.message} for step type ${type}` : `${issue.message}`,
            issue.path,
            { stepId, key: issue.unknownKey },
          );
        }
      } else if (spec.check && stepId !== undefined) {
        for (const problem of spec.check(parsed.data, { stepId, steps: checkContextSteps }))
          add(problem.code, problem.message, [...path, 'with', ...problem.path], { stepId });
      }
    }
    checkExpressions(withValue, [...path, 'with'], {
      stepId,
      roots,
      visible,
      skip: new Set(nested.map((n) => toPointer([...path, 'with', ...n.path]))),
    });
    for (const inner of nested) {
      if (isObject(inner.step))
        checkStepBody(inner.step, [...path, 'with', ...inner.path], stepId, inner.roots, visible);
    }
  };

  rawSteps.forEach((step, i) => {
    if (!isObject(step)) return;
    const stepId = stepIdAt(i);
    const visible =
      (stepId !== undefined && indexOf.get(stepId) === i ? upstream.get(stepId) : undefined) ??
      new Set<string>();
    checkStepBody(step, ['steps', i], stepId, EXPRESSION_ROOTS, visible);
    if (typeof step.when === 'string')
      checkExpressions(step.when, ['steps', i, 'when'], { stepId, roots: EXPRESSION_ROOTS, visible });
  });
  if (isObject(value) && value.output !== undefined) {
    checkExpressions(value.output, ['output'], { roots: EXPRESSION_ROOTS, visible: allSteps });
  }
  const subscriptions = isObject(value) && isObject(value.on) ? value.on.events : undefined;
  if (Array.isArray(subscriptions)) {
    subscriptions.forEach((subscription, i) => {
      if (isObject(subscription) && typeof subscription.filter === 'string')
        checkExpressions(subscription.filter, ['on', 'events', i, 'filter'], {
          roots: EVENT_FILTER_ROOTS,
          visible: new Set(),
        });
    });
  }

  if (problems.length > 0 || !shape.success) {
    return { ok: false, problems: sortProblems(problems) };
  }
  const { $schema: _schema, ...definition } = shape.data;
  return { ok: true, definition, contentHash: contentHash(definition) };
}

/** Problems in source order where positions are known; the rest keep the order found. */
function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort(
      (a, b) =>
        (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) ||
        (a.problem.column ?? Infinity) - (b.problem.column ?? Infinity) ||
        a.order - b.order,
    )
    .map(({ problem }) => problem);
}

interface FlatIssue {
  path: PathSegment[];
  message: string;
  unknownKey: boolean;
}

/**
 * zod issues as one entry per problem: an unknown key becomes its own entry pointing at the key,
 * and a failed union (`literal or {{ expression }}`) reports why its last, literal branch failed.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], base: PathSegment[]): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: [...path, key], message: `Unknown field "${key}"`, unknownKey: true });
    } else if (issue.code === 'invalid_key') {
      // A record key that failed its own schema: report the key's own messages at the key.
      out.push(...flattenIssues(issue.issues, path).map((inner) => ({ ...inner, path })));
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...flattenIssues(issue.errors[issue.errors.length - 1] ?? [], path));
    } else {
      const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
      out.push({ path, message: missing ? 'is required' : issue.message, unknownKey: false });
    }
  }
  return out;
}
