import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { renderArtifacts, REPO_ROOT } from './artifacts.ts';

/** Writes docs/openapi.json, src/schema.d.ts and src/endpoints.ts (`npm run sdk:generate`). */
async function main(): Promise<void> {
  for (const { path, text } of await renderArtifacts()) {
    const unchanged = readIfExists(path) === text;
    if (!unchanged) writeFileSync(path, text);
    console.log(`${unchanged ? 'unchanged' : 'wrote'} ${relative(REPO_ROOT, path)}`);
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

await main();
