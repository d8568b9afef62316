import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from './errors.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import type { PathSegment } from './json-pointer.ts';

export const SOURCE_FORMATS = ['yaml', 'json'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface Position {
  line: number;
  column: number;
}

/** Finds where a path of the parsed value is written in the source text. */
export interface SourceLocator {
  /** The node at `path`, or its nearest ancestor that exists; `key` points at a map key instead. */
  at(path: readonly PathSegment[], options?: { key?: boolean }): Position | undefined;
  /** Character `index` of the string at `path` (an expression inside it); else the string's start. */
  inString(path: readonly PathSegment[], index: number): Position | undefined;
}

export type ParsedSource =
  { ok: true; value: unknown; locator: SourceLocator } | { ok: false; problems: Problem[] };

/** A JSON or YAML source up to this size is parsed; larger ones are refused. */
export const MAX_SOURCE_LENGTH = 1_000_000;

/**
 * Parses YAML or JSON with the `yaml` package (JSON is YAML 1.2), keeping the syntax tree so
 * every later problem can name its line and column. JSON also goes through JSON.parse, so
 * that YAML-only syntax in a `.json` file is refused.
 */
export function parseSource(text: string, format: SourceFormat): ParsedSource {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (text.length > MAX_SOURCE_LENGTH) {
    return {
      ok: false,
      problems: [
        {
          code: 'SOURCE_INVALID',
          message: `Source is longer than ${MAX_SOURCE_LENGTH} characters`,
          path: '',
        },
      ],
    };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = jsonErrorOffset(text);
      return {
        ok: false,
        problems: [
          {
            code: 'SOURCE_INVALID',
            message: `Invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*$/s, '')}`,
            path: '',
            ...(offset === null ? {} : position(Math.min(offset, Math.max(text.length - 1, 0)))),
          },
        ],
      };
    }
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        code: 'SOURCE_INVALID' as const,
        message: `Invalid ${format === 'json' ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        path: '',
        ...position(error.pos[0]),
      })),
    };
  }
  let value: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs").
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      problems: [{ code: 'SOURCE_INVALID', message: `Invalid YAML: ${(error as Error).message}`, path: '' }],
    };
  }
  return { ok: true, value, locator: createLocator(doc, text, position) };
}

type AnyNode = ReturnType<Document['createNode']>;

function createLocator(doc: Document, text: string, position: (offset: number) => Position): SourceLocator {
  /** The node at `path` and the map key node of its last segment, or the deepest ancestor found. */
  const find = (path: readonly PathSegment[]) => {
    let node: unknown = doc.contents;
    let key: unknown = null;
    let found = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        key = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        key = null;
        node = item;
      } else break;
      found += 1;
    }
    return { node: node as AnyNode | null, key: key as AnyNode | null, complete: found === path.length };
  };
  const start = (node: AnyNode | null): Position | undefined =>
    node && 'range' in node && node.range ? position(node.range[0]) : undefined;

  return {
    at(path, options = {}) {
      const { node, key, complete } = find(path);
      if (options.key && complete && key) return start(key);
      return start(node);
    },
    inString(path, index) {
      const { node, complete } = find(path);
      if (!complete || !isScalar(node) || typeof node.value !== 'string' || !node.range) return start(node);
      const value = node.value;
      const raw = text.slice(node.range[0], node.range[1]);
      const lineStart = value.lastIndexOf('\n', index - 1) + 1;
      const newline = value.indexOf('\n', index);
      const lineText = value.slice(lineStart, newline === -1 ? value.length : newline);
      // Find the value's lines in the raw text in order: block scalars keep lines verbatim.
      let cursor = 0;
      for (const earlier of lineStart > 0 ? value.slice(0, lineStart - 1).split('\n') : []) {
        const at = raw.indexOf(earlier, cursor);
        if (at !== -1) cursor = at + earlier.length;
      }
      const at = raw.indexOf(lineText, cursor);
      if (at === -1) return start(node);
      return position(node.range[0] + at + (index - lineStart));
    },
  };
}

/** `.json` is JSON; everything else (`.yaml`, `.yml`, none) is read as YAML. */
export function formatOfFile(file: string): SourceFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}
