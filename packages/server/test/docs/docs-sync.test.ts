import { describe, expect, it } from 'vitest';
import { API_ERRORS, ROUTES } from '../../src/api/index.ts';
import { describeConfig } from '../../src/config/index.ts';
import { ACTIONS, IDENTITY_ERRORS } from '../../src/identity/index.ts';
import { WORKFLOW_ERRORS } from '../../src/workflows/index.ts';
import {
  configTableMarkdown,
  endpointsTableMarkdown,
  errorsTableMarkdown,
  renderDocs,
  replaceSection,
  SECTIONS,
} from '../../scripts/docs.ts';

describe('generated docs', () => {
  it('README, docs/permissions.md, docs/errors.md and docs/api.md match the code (run `npm run docs:generate`)', async () => {
    const docs = await renderDocs();
    expect(docs.map((doc) => doc.file).sort()).toEqual([...new Set(SECTIONS.map((s) => s.file))].sort());
    for (const doc of docs) {
      expect(doc.current, `${doc.file} is out of date; run \`npm run docs:generate\``).toBe(doc.expected);
    }
  });

  it('the configuration table lists every variable of the config schema', () => {
    const table = configTableMarkdown();
    for (const { name } of describeConfig()) expect(table).toContain(`| \`${name}\` |`);
  });

  it('the error table lists every code of every catalogue with its status', () => {
    const table = errorsTableMarkdown();
    for (const [code, { status }] of Object.entries({
      ...API_ERRORS,
      ...IDENTITY_ERRORS,
      ...WORKFLOW_ERRORS,
    })) {
      expect(table).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it('the endpoint table lists every route and every action appears in it', () => {
    const table = endpointsTableMarkdown();
    expect(table.split('\n')).toHaveLength(ROUTES.length + 2);
    for (const action of ACTIONS) expect(table).toContain(`\`${action}\``);
  });
});

describe('replaceSection', () => {
  const text = 'intro\n<!-- t:start -->\nold\n<!-- t:end -->\noutro\n';

  it('replaces only what is between the markers', () => {
    expect(replaceSection(text, 't', 'new', 'x.md')).toBe(
      'intro\n<!-- t:start -->\n\nnew\n\n<!-- t:end -->\noutro\n',
    );
  });

  it('refuses a file whose markers are missing, repeated or out of order', () => {
    const bad = [
      'no markers',
      '<!-- t:start -->\nonly a start',
      '<!-- t:end -->\n<!-- t:start -->',
      '<!-- t:start --><!-- t:end --><!-- t:start --><!-- t:end -->',
    ];
    for (const file of bad) {
      expect(() => replaceSection(file, 't', 'new', 'x.md')).toThrow(
        expect.objectContaining({
          code: 'DOCS_MARKERS_INVALID',
          message: 'x.md must contain "<!-- t:start -->" once, followed by "<!-- t:end -->" once',
        }),
      );
    }
  });
});
