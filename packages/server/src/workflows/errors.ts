/** Kinds of problem a workflow definition can have; `docs/workflows.md` explains each. */
export const PROBLEM_CODES = [
  'SOURCE_INVALID',
  'FIELD_INVALID',
  'FIELD_UNKNOWN',
  'DUPLICATE_STEP_ID',
  'UNKNOWN_NEED',
  'CYCLE',
  'UNKNOWN_STEP_TYPE',
  'WITH_INVALID',
  'STEP_REFERENCE_INVALID',
  'EXPRESSION_INVALID',
  'EXPRESSION_UNKNOWN_NAME',
  'EXPRESSION_UNKNOWN_STEP',
  'EXPRESSION_NOT_UPSTREAM',
  'INPUT_SCHEMA_INVALID',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One thing wrong with a definition; `path` is a JSON Pointer into the definition. */
export interface Problem {
  code: ProblemCode;
  message: string;
  path: string;
  stepId?: string;
  /** 1-based, in the source text, when the definition came from text. */
  line?: number;
  column?: number;
}

/** Most problems one error carries; past this `details.truncated` is true. */
export const MAX_REPORTED_PROBLEMS = 500;

/** Errors of the workflows layer, with stable codes and HTTP status (docs/errors.md). */
export const WORKFLOW_ERRORS = {
  // 422, not 400: the request is well-formed, the document it carries is not (docs/workflows.md).
  WORKFLOW_INVALID: { status: 422, message: 'The workflow definition is invalid' },
} as const satisfies Record<string, { status: number; message: string }>;

export type WorkflowErrorCode = keyof typeof WORKFLOW_ERRORS;

export class WorkflowError extends Error {
  readonly status: number;
  constructor(
    readonly code: WorkflowErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? WORKFLOW_ERRORS[code].message);
    this.name = 'WorkflowError';
    this.status = WORKFLOW_ERRORS[code].status;
  }
}

/** The WORKFLOW_INVALID error for a list of problems (at least one). */
export function workflowInvalid(problems: readonly Problem[]): WorkflowError {
  const first = problems[0];
  const where = first?.line ? ` at line ${first.line}, column ${first.column ?? 1}` : '';
  const summary = first ? `: ${first.message}${where}` : '';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new WorkflowError(
    'WORKFLOW_INVALID',
    `The workflow definition is invalid${summary}${more}`,
    problems.length > MAX_REPORTED_PROBLEMS
      ? { problems: problems.slice(0, MAX_REPORTED_PROBLEMS), truncated: true }
      : { problems: [...problems] },
  );
}
