import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { API_ERRORS, ROUTES } from '../src/api/index.ts';
import { describeConfig } from '../src/config/index.ts';
import { IDENTITY_ERRORS, permissionsMarkdown } from '../src/identity/index.ts';
import { WORKFLOW_ERRORS } from '../src/workflows/index.ts';
import { ENGINE_ERRORS } from '../src/engine/index.ts';
import { SECRETS_ERRORS } from '../src/secrets/index.ts';
import { SCHEDULING_ERRORS } from '../src/scheduling/index.ts';
import { GATEWAY_ERRORS } from '../src/gateway/index.ts';
import { METERING_ERRORS } from '../src/metering/index.ts';

/**
 * The generated parts of the docs (`npm run docs:generate`; `--check` only reports): each lives
 * between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a hand-written file, and is a pure
 * function of the code, so this script and test/docs/docs-sync.test.ts render the same text.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface GeneratedSection {
  /** File relative to the repository root. */
  file: string;
  /** Marker name: the section sits between `<!-- marker:start -->` and `<!-- marker:end -->`. */
  marker: string;
  render(): string;
}

export const SECTIONS: readonly GeneratedSection[] = [
  { file: 'README.md', marker: 'config-table', render: configTableMarkdown },
  { file: 'docs/permissions.md', marker: 'permissions', render: permissionsMarkdown },
  { file: 'docs/errors.md', marker: 'errors', render: errorsTableMarkdown },
  { file: 'docs/api.md', marker: 'endpoints', render: endpointsTableMarkdown },
];

export class DocsError extends Error {
  readonly code = 'DOCS_MARKERS_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DocsError';
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Every environment variable from config/'s zod schema: name, default, meaning. */
export function configTableMarkdown(): string {
  const rows = describeConfig().map(
    (row) =>
      `| \`${row.name}\` | ${row.default === '(unset)' ? 'unset' : `\`${cell(row.default)}\``} | ${cell(row.meaning)} |`,
  );
  return ['| name | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * Every HTTP error code of the catalogues, by status, then code. A code may be in two
 * catalogues only with the same status (PAYLOAD_TOO_LARGE: a body, or a run input); its
 * meanings are joined.
 */
export function errorsTableMarkdown(): string {
  const all = new Map<string, { status: number; message: string }>();
  const catalogues = [
    API_ERRORS,
    IDENTITY_ERRORS,
    WORKFLOW_ERRORS,
    ENGINE_ERRORS,
    SECRETS_ERRORS,
    SCHEDULING_ERRORS,
    GATEWAY_ERRORS,
    METERING_ERRORS,
  ];
  for (const catalogue of catalogues) {
    for (const [code, entry] of Object.entries(catalogue)) {
      const seen = all.get(code);
      if (seen && seen.status !== entry.status)
        throw new DocsError(`Error code ${code} has two statuses (${seen.status}, ${entry.status})`);
      all.set(code, seen ? { status: seen.status, message: `${seen.message}; or: ${entry.message}` } : entry);
    }
  }
  const rows = [...all]
    .sort(([a, x], [b, y]) => x.status - y.status || (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, entry]) => `| \`${code}\` | ${entry.status} | ${cell(entry.message)} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Every route of the route table, in its order: method, path, what, action (or public). */
export function endpointsTableMarkdown(): string {
  const rows = ROUTES.map((route) => {
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const action =
      route.auth === 'public' ? 'public' : route.auth === 'operator' ? 'operator token' : `\`${route.auth}\``;
    return `| \`${route.method}\` | \`${path}\` | ${cell(route.summary)} | ${action} |`;
  });
  return ['| method | path | what | action |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Replaces what is between one pair of markers; the markers must each appear exactly once. */
export function replaceSection(text: string, marker: string, body: string, file: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (
    from === -1 ||
    to === -1 ||
    to < from ||
    text.indexOf(start, from + 1) !== -1 ||
    text.indexOf(end, to + 1) !== -1
  ) {
    throw new DocsError(`${file} must contain "${start}" once, followed by "${end}" once`);
  }
  return `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
}

/** A generated table formatted as `prettier --check` expects it, so lint and this agree. */
async function formatMarkdown(markdown: string, file: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return (await format(markdown, { ...options, parser: 'markdown' })).trimEnd();
}

export interface RenderedDoc {
  /** Relative to the repository root. */
  file: string;
  current: string;
  expected: string;
}

/** Each file with a generated section: what it holds now and what it should hold. */
export async function renderDocs(root: string = REPO_ROOT): Promise<RenderedDoc[]> {
  const byFile = new Map<string, RenderedDoc>();
  for (const section of SECTIONS) {
    const path = join(root, section.file);
    const doc = byFile.get(section.file) ?? { file: section.file, current: '', expected: '' };
    if (!byFile.has(section.file)) {
      doc.current = readFileSync(path, 'utf8');
      doc.expected = doc.current;
      byFile.set(section.file, doc);
    }
    const body = await formatMarkdown(section.render(), path);
    doc.expected = replaceSection(doc.expected, section.marker, body, section.file);
  }
  return [...byFile.values()];
}

/** Writes stale files, or with `--check` only reports them; returns the exit code. */
export async function runDocs(argv: readonly string[], root: string = REPO_ROOT): Promise<number> {
  const check = argv.includes('--check');
  const stale = (await renderDocs(root)).filter((doc) => doc.current !== doc.expected);
  for (const doc of stale) {
    if (check) console.error(`${doc.file} is out of date; run \`npm run docs:generate\``);
    else {
      writeFileSync(join(root, doc.file), doc.expected);
      console.log(`wrote ${doc.file}`);
    }
  }
  if (stale.length === 0) console.log('docs are up to date');
  return check && stale.length > 0 ? 1 : 0;
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  try {
    process.exitCode = await runDocs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof DocsError ? `Error ${error.code}: ${error.message}` : error);
    process.exitCode = 1;
  }
}
