import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShoal } from '../support/run-cli.ts';
import { createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

const dir = mkdtempSync(join(tmpdir(), 'shoal-workflow-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const valid = (name: string, greeting = 'hello') => `name: ${name}
steps:
  - id: greet
    type: transform
    with:
      value: "{{ '${greeting} ' & input.who }}"
`;

const invalid = `name: broken
steps:
  - id: a
    type: transform
    needs: [ghost]
    with:
      value: "{{ input.x + }}"
  - id: b
    type: teleport
`;

// No server and no database: once, in the PGlite project, is enough.
describe.runIf(TEST_DRIVER === 'pglite')('shoal workflow validate', () => {
  const env = { SHOAL_DATA_DIR: join(dir, 'never-created') };

  it('a valid file exits 0 and names the workflow', async () => {
    const result = await runShoal(['workflow', 'validate', file('ok.yaml', valid('greeter'))], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok\.yaml: valid workflow greeter \(1 step, sha256 [0-9a-f]{12}\)/);
  });

  it('an invalid file exits 1 and prints every problem as file:line:column', async () => {
    const path = file('bad.yaml', invalid);
    const result = await runShoal(['workflow', 'validate', path], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${path}:5:13: UNKNOWN_NEED Step "a" needs "ghost", which is not a step of this workflow (at /steps/0/needs/0)`,
      `${path}:7:27: EXPRESSION_INVALID Expression is invalid: Unexpected end of expression (S0207) (at /steps/0/with/value)`,
      `${path}:9:11: UNKNOWN_STEP_TYPE Unknown step type "teleport"; known types: transform, http, map, branch, sleep, approval, workflow, task, llm.chat, llm.embed (at /steps/1/type)`,
      `3 problems in ${path}`,
    ]);
  });

  it('--json prints the problems as JSON', async () => {
    const result = await runShoal(['workflow', 'validate', file('bad2.yaml', invalid), '--json'], env);
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as { valid: boolean; problems: { code: string }[] };
    expect(out.valid).toBe(false);
    expect(out.problems.map((p) => p.code)).toEqual([
      'UNKNOWN_NEED',
      'EXPRESSION_INVALID',
      'UNKNOWN_STEP_TYPE',
    ]);
  });

  it('a .json file is read as JSON, and a YAML-only file named .json is refused', async () => {
    const json = file(
      'ok.json',
      JSON.stringify({ name: 'j', steps: [{ id: 'a', type: 'transform', with: { value: 1 } }] }),
    );
    expect((await runShoal(['workflow', 'validate', json], env)).code).toBe(0);
    const yamlInJson = file('yaml.json', valid('y'));
    const result = await runShoal(['workflow', 'validate', yamlInJson], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${yamlInJson}:1:1: SOURCE_INVALID Invalid JSON: Unexpected token 'a'`);
  });

  it.each([
    [['workflow', 'validate'], 'Missing FILE'],
    [['workflow', 'validate', 'a.yaml', 'b.yaml'], 'Unexpected argument "b.yaml"'],
    [['workflow', 'validate', join(dir, 'absent.yaml')], 'Cannot read'],
    [['workflow', 'validate', 'x.yaml', '--format', 'toml'], '--format must be one of yaml, json'],
    [['workflow', 'apply', 'x.yaml', '--url', 'http://127.0.0.1:9'], 'Missing API key'],
    [['workflow', 'apply', 'x.yaml', '--api-key', 'k', '--url', 'not a url'], 'baseUrl must be an absolute'],
  ])('shoal %j exits 2 with a clear message', async (args, message) => {
    const result = await runShoal(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('shoal workflow apply', () => {
  let t: TestDatabase;
  let app: ReturnType<typeof createTestApp>;
  let url: string;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    tenant = await seedTenant(t.db, 'cli-apply');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const apply = (path: string, key = tenant.keys.developer, extra: string[] = []) =>
    runShoal(['workflow', 'apply', path, '--url', url, '--api-key', key, ...extra], {});

  it('publishes a new version, reports an unchanged one, then a changed one as the next version', async () => {
    const path = file('apply.yaml', valid('applied'));
    const first = await apply(path);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^workflow applied version 1 \(new, sha256 [0-9a-f]{12}\)$/m);

    const again = await apply(path);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^workflow applied version 1 \(unchanged, sha256 [0-9a-f]{12}\)$/m);

    writeFileSync(path, valid('applied', 'hi'));
    const changed = await apply(path);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/^workflow applied version 2 \(new, /m);

    const listed = await app.inject({
      method: 'GET',
      url: '/v1/workflows/applied/versions',
      headers: { authorization: `Bearer ${tenant.keys.viewer}` },
    });
    expect(listed.json<{ data: { version: number }[] }>().data.map((v) => v.version)).toEqual([2, 1]);
  });

  it('reads the server and key from SHOAL_URL and SHOAL_API_KEY', async () => {
    const path = file('env.yaml', valid('from-env'));
    const result = await runShoal(['workflow', 'apply', path, '--json'], {
      SHOAL_URL: url,
      SHOAL_API_KEY: tenant.keys.admin,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      created: true,
      version: { version: 1, name: 'from-env' },
    });
  });

  it("prints the server's WORKFLOW_INVALID problems with line and column and exits 1", async () => {
    const path = file('apply-bad.yaml', invalid);
    const result = await apply(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path}:5:13: UNKNOWN_NEED`);
    expect(result.stderr).toContain(`${path}:7:27: EXPRESSION_INVALID`);
    expect(result.stderr).toContain(`3 problems in ${path}`);
  });

  it('a role without workflows.write is refused and exits 1', async () => {
    const result = await apply(file('viewer.yaml', valid('by-viewer')), tenant.keys.viewer);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error FORBIDDEN: Role viewer may not perform workflows.write');
  });

  it('an unreachable server exits 1 with the address', async () => {
    const result = await runShoal(
      [
        'workflow',
        'apply',
        file('nowhere.yaml', valid('x')),
        '--url',
        'http://127.0.0.1:9',
        '--api-key',
        'k',
      ],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: cannot reach http://127.0.0.1:9');
  });
});
