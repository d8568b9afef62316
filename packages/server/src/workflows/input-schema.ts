import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { PathSegment } from './json-pointer.ts';

export interface InputSchemaIssue {
  /** Relative to the schema. */
  path: PathSegment[];
  message: string;
}

export type CompiledInputSchema =
  | { ok: true; validate(input: unknown): { ok: true } | { ok: false; errors: InputSchemaIssue[] } }
  | { ok: false; issues: InputSchemaIssue[] };

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => void;

const pointerPath = (pointer: string): PathSegment[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part));

const describe = (error: ErrorObject): string =>
  error.keyword === 'additionalProperties'
    ? `has unknown field "${String((error.params as { additionalProperty?: string }).additionalProperty)}"`
    : (error.message ?? 'is invalid');

/**
 * Checks a workflow's `input` JSON Schema (draft 2020-12) and compiles it. Strict mode turns
 * typos such as `requried` and unknown formats into problems instead of silently ignoring them.
 * A fresh ajv per schema: ajv caches every schema it compiled, which would grow without end.
 */
export function compileInputSchema(schema: unknown): CompiledInputSchema {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  if (!ajv.validateSchema(schema as object)) {
    return {
      ok: false,
      issues: (ajv.errors ?? []).map((error) => ({
        path: pointerPath(error.instancePath),
        message: `${error.message ?? 'is invalid'}`,
      })),
    };
  }
  let check: ReturnType<Ajv2020['compile']>;
  try {
    check = ajv.compile(schema as object);
  } catch (error) {
    return { ok: false, issues: [{ path: [], message: (error as Error).message }] };
  }
  return {
    ok: true,
    validate(input) {
      if (check(input)) return { ok: true };
      return {
        ok: false,
        errors: (check.errors ?? []).map((error) => ({
          path: pointerPath(error.instancePath),
          message: describe(error),
        })),
      };
    },
  };
}
