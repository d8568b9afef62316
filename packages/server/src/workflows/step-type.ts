import type { z } from 'zod';
import type { ProblemCode } from './errors.ts';
import type { PathSegment } from './json-pointer.ts';

/** What a step type's whole-workflow check can see. */
export interface StepCheckContext {
  /** The id of the step being checked. */
  stepId: string;
  /** Every step of the workflow by id, with its direct `needs`. */
  steps: ReadonlyMap<string, { needs: readonly string[] }>;
}

export interface StepTypeProblem {
  code: ProblemCode;
  message: string;
  /** Relative to the step's `with`. */
  path: PathSegment[];
}

/**
 * A field of `with` that holds a whole step (map's `step`): validated like a top-level step
 * against its own type, and offered per type in the published JSON Schema.
 */
export interface NestedStepField {
  field: string;
  /** What the nested step's expressions can read, e.g. `item` and `index` as well. */
  roots: readonly string[];
}

/**
 * The definition of a step type: its name, what it does, and the schema of its `with`.
 * Validation takes a registry of these; executors are the engine's and are registered there.
 */
export interface StepTypeSpec<W extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  with: W;
  /** Fields of `with` that hold a nested step. */
  nestedSteps?: readonly NestedStepField[];
  /** Checks that need the rest of the workflow, run when `with` is valid. */
  check?(value: z.output<W>, context: StepCheckContext): StepTypeProblem[];
}

export type StepTypeRegistry = ReadonlyMap<string, StepTypeSpec>;

/** Keeps the `with` type of a spec while storing it next to others. */
export const defineStepType = <W extends z.ZodType>(spec: StepTypeSpec<W>): StepTypeSpec =>
  spec as unknown as StepTypeSpec;

/** A registry of step types; a type defined twice is a programming error. */
export function createStepTypeRegistry(specs: readonly StepTypeSpec[]): StepTypeRegistry {
  const registry = new Map<string, StepTypeSpec>();
  for (const spec of specs) {
    if (registry.has(spec.type)) throw new Error(`Step type ${spec.type} is defined twice`);
    registry.set(spec.type, spec);
  }
  return registry;
}
