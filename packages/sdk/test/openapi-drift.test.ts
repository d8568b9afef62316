import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listEndpoints, renderArtifacts, renderOpenApiJson, REPO_ROOT } from '../scripts/artifacts.ts';
import { createShoalClient } from '../src/index.ts';

const REGENERATE = 'is out of date with the server routes: run `npm run sdk:generate`';

describe('generated OpenAPI document and SDK types', () => {
  let artifacts: { path: string; text: string }[];
  beforeAll(async () => {
    artifacts = await renderArtifacts();
  });

  it('committed files match a fresh render of the route table', () => {
    for (const { path, text } of artifacts) {
      const name = relative(REPO_ROOT, path);
      let committed: string;
      try {
        committed = readFileSync(path, 'utf8');
      } catch {
        throw new Error(`${name} is missing: run \`npm run sdk:generate\``);
      }
      expect(committed, `${name} ${REGENERATE}`).toBe(text);
    }
  });

  it('the client has exactly one method per operationId', () => {
    const operationIds = listEndpoints(renderOpenApiJson())
      .map((endpoint) => endpoint.operationId)
      .sort();
    const methods = Object.keys(createShoalClient({ baseUrl: 'http://127.0.0.1:1' })).sort();
    expect(
      operationIds.filter((id) => !methods.includes(id)),
      'operations without a client method: add them to packages/sdk/src/client.ts',
    ).toEqual([]);
    expect(
      methods.filter((method) => !operationIds.includes(method)),
      'client methods without an operation in the OpenAPI document',
    ).toEqual([]);
  });

  it('the SDK source talks HTTP only: it never imports the server', () => {
    const src = join(REPO_ROOT, 'packages/sdk/src');
    for (const file of readdirSync(src).filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(join(src, file), 'utf8');
      expect(text, `packages/sdk/src/${file} imports the server`).not.toMatch(
        /from\s+'[^']*(server\/|@shoal\/server)/,
      );
    }
  });
});
