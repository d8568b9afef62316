import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const source = (name: string, greeting = 'Hello') => `# A greeting
name: ${name}
description: Greets someone
input:
  type: object
  required: [who]
  properties:
    who: { type: string }
steps:
  - id: greet
    type: transform
    with:
      value: "${greeting} {{ input.who }}"
output: "{{ steps.greet.output }}"
`;

interface ErrorJson {
  error: { code: string; message: string; details?: { problems?: Record<string, unknown>[] } };
}

describe('workflow API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  let tenant: TestTenant;
  let stranger: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    tenant = await seedTenant(t.db, 'wf-api');
    stranger = await seedTenant(t.db, 'wf-api-stranger');
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const as = (who: TestTenant, role: keyof TestTenant['keys'] = 'developer') => bearer(who.keys[role]);
  const publish = (payload: Record<string, unknown>, who = tenant) =>
    app.inject({ method: 'POST', url: '/v1/workflows', headers: as(who), payload });
  const get = (url: string, who = tenant) => app.inject({ method: 'GET', url, headers: as(who, 'viewer') });

  it('publishes YAML source, keeps the text as sent, and answers unchanged for the same text', async () => {
    const first = await publish({ source: source('greeter') });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      created: true,
      unarchived: false,
      workflow: { name: 'greeter', latestVersion: 1, description: 'Greets someone', archivedAt: null },
      version: {
        version: 1,
        sourceFormat: 'yaml',
        source: source('greeter'),
        createdBy: `api_key:${tenant.keyIds.developer}`,
      },
    });
    const again = await publish({ source: source('greeter'), format: 'yaml' });
    expect(again.json()).toMatchObject({ created: false, version: { version: 1 } });

    const changed = await publish({ source: source('greeter', 'Hi') });
    expect(changed.json()).toMatchObject({ created: true, version: { version: 2 } });
  });

  it('publishes a definition object, stored as JSON', async () => {
    const res = await publish({
      definition: { name: 'from-object', steps: [{ id: 'a', type: 'sleep', with: { duration: '5s' } }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      version: { sourceFormat: 'json', definition: { name: 'from-object' } },
    });
  });

  it('an invalid definition is refused with 422 WORKFLOW_INVALID and every problem with its position', async () => {
    const res = await publish({
      source:
        'name: broken\nsteps:\n  - id: a\n    type: transform\n    needs: [a]\n    with: {}\n  - id: b\n    type: nope\n',
    });
    expect(res.statusCode).toBe(422);
    const body = res.json<ErrorJson>();
    expect(body.error.code).toBe('WORKFLOW_INVALID');
    expect(body.error.message).toBe(
      'The workflow definition is invalid: Steps form a cycle through needs: a -> a at line 5, column 13 (and 2 more)',
    );
    expect(body.error.details?.problems).toEqual([
      {
        code: 'CYCLE',
        message: 'Steps form a cycle through needs: a -> a',
        path: '/steps/0/needs/0',
        stepId: 'a',
        line: 5,
        column: 13,
      },
      {
        code: 'WITH_INVALID',
        message: 'is required',
        path: '/steps/0/with/value',
        stepId: 'a',
        line: 6,
        column: 11,
      },
      {
        code: 'UNKNOWN_STEP_TYPE',
        message:
          'Unknown step type "nope"; known types: transform, http, map, branch, sleep, approval, workflow, task, llm.chat, llm.embed',
        path: '/steps/1/type',
        stepId: 'b',
        line: 8,
        column: 11,
      },
    ]);
    expect((await get('/v1/workflows/broken')).statusCode).toBe(404);
  });

  it('a JSON source with a syntax error is refused with its line and column', async () => {
    const res = await publish({ source: '{\n  "name": "j",\n  "steps": [,]\n}', format: 'json' });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorJson>().error.details?.problems?.[0]).toMatchObject({
      code: 'SOURCE_INVALID',
      line: 3,
      column: 13,
    });
  });

  it.each([
    [{}, 'send exactly one of source or definition'],
    [{ source: 'name: x', definition: { name: 'x' } }, 'send exactly one of source or definition'],
    [{ definition: { name: 'x' }, format: 'json' }, 'goes with source only'],
    [{ source: 'name: x', format: 'toml' }, 'Invalid option'],
  ])('a publish body %j is refused with 400 VALIDATION_FAILED', async (payload, message) => {
    const res = await publish(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json<ErrorJson>().error.message).toContain(message);
  });

  it('reads a workflow, its versions, one version and the diff between two', async () => {
    await publish({ source: source('readable') });
    await publish({ source: source('readable', 'Howdy') });

    const workflow = await get('/v1/workflows/readable');
    expect(workflow.statusCode).toBe(200);
    expect(workflow.json()).toMatchObject({
      workflow: { name: 'readable', latestVersion: 2 },
      version: {
        version: 2,
        definition: { steps: [{ id: 'greet', with: { value: 'Howdy {{ input.who }}' } }] },
      },
    });

    const versions = await get('/v1/workflows/readable/versions?limit=1');
    expect(versions.json()).toMatchObject({ data: [{ version: 2 }], nextCursor: '2' });
    expect((await get('/v1/workflows/readable/versions?limit=1&cursor=2')).json()).toMatchObject({
      data: [{ version: 1 }],
      nextCursor: '1',
    });

    const v1 = await get('/v1/workflows/readable/versions/1');
    expect(v1.json()).toMatchObject({ version: 1, source: source('readable') });

    const diff = await get('/v1/workflows/readable/diff');
    expect(diff.json()).toMatchObject({
      name: 'readable',
      from: 1,
      to: 2,
      identical: false,
      steps: { added: [], removed: [], changed: ['greet'], reordered: false },
      changes: [
        {
          op: 'change',
          path: '/steps/greet/with/value',
          from: 'Hello {{ input.who }}',
          to: 'Howdy {{ input.who }}',
        },
      ],
    });
    expect((await get('/v1/workflows/readable/diff?from=2&to=2')).json()).toMatchObject({
      identical: true,
      changes: [],
    });
  });

  it('an unknown workflow or version is 404 NOT_FOUND', async () => {
    await publish({ source: source('known') });
    for (const [url, message] of [
      ['/v1/workflows/unknown', 'No such workflow'],
      ['/v1/workflows/unknown/versions', 'No such workflow'],
      ['/v1/workflows/known/versions/9', 'No such workflow version'],
      ['/v1/workflows/known/diff?from=1&to=9', 'No such workflow version'],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<ErrorJson>().error, url).toMatchObject({ code: 'NOT_FOUND', message });
    }
  });

  it('archiving hides a workflow from the list but not from reads; publishing again brings it back', async () => {
    await publish({ source: source('seasonal') });
    const archived = await app.inject({
      method: 'POST',
      url: '/v1/workflows/seasonal/archive',
      headers: as(tenant),
    });
    expect(archived.statusCode).toBe(200);
    expect(archived.json<{ archivedAt: string | null }>().archivedAt).not.toBeNull();

    const names = async (query = '') =>
      (await get(`/v1/workflows${query}`)).json<{ data: { name: string }[] }>().data.map((w) => w.name);
    expect(await names()).not.toContain('seasonal');
    expect(await names('?archived=only')).toEqual(['seasonal']);
    expect((await get('/v1/workflows/seasonal')).statusCode).toBe(200);

    const back = await publish({ source: source('seasonal') });
    expect(back.json()).toMatchObject({ created: false, unarchived: true, workflow: { archivedAt: null } });
    expect(await names()).toContain('seasonal');
  });

  it('lists page by name with nextCursor', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await publish({ source: source(name) });
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await get(`/v1/workflows?archived=include&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<{
        data: { name: string; latestVersion: number; contentHash: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.data.map((w) => w.name));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c', 'greeter']));
  });

  it("another tenant's workflow answers 404 everywhere and is not in its lists", async () => {
    await publish({ source: source('private-flow') });
    for (const url of [
      '/v1/workflows/private-flow',
      '/v1/workflows/private-flow/versions',
      '/v1/workflows/private-flow/versions/1',
      '/v1/workflows/private-flow/diff',
    ]) {
      const res = await get(url, stranger);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<ErrorJson>().error.code).toBe('NOT_FOUND');
    }
    const archive = await app.inject({
      method: 'POST',
      url: '/v1/workflows/private-flow/archive',
      headers: as(stranger),
    });
    expect(archive.statusCode).toBe(404);
    expect((await get('/v1/workflows/private-flow')).json()).toMatchObject({
      workflow: { archivedAt: null },
    });
    const list = await get('/v1/workflows?archived=include', stranger);
    expect(list.json()).toEqual({ data: [], nextCursor: null });

    // The stranger may use the same name: it is a workflow of its own.
    const own = await publish({ source: source('private-flow', 'Yo') }, stranger);
    expect(own.json()).toMatchObject({ created: true, version: { version: 1 } });
  });

  it('a publish is audited with the version it made', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/workflows',
      headers: { ...as(tenant), 'x-request-id': 'wf-audit-1' },
      payload: { source: source('audited') },
    });
    const { workflow, version } = res.json<{ workflow: { id: string }; version: { contentHash: string } }>();
    const events = await t.db.ownerTx((tx) =>
      tx.query('select action, target_type, target_id, details from audit_events where request_id = $1', [
        'wf-audit-1',
      ]),
    );
    expect(events.rows).toEqual([
      {
        action: 'workflows.write',
        target_type: 'workflow',
        target_id: workflow.id,
        details: { name: 'audited', version: 1, created: true, contentHash: version.contentHash },
      },
    ]);
  });
});
