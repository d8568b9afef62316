import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedTenant, type TestTenant } from '../../server/test/support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/support/test-db.ts';
import { createShoalClient, paginate, ShoalApiError, type ShoalClient } from '../src/index.ts';
// Brings in the harness's typing of vitest's `inject()` keys, which test-db.ts uses.
import type {} from '../../server/test/support/global-setup.ts';

const definition = (name: string, value: unknown) => ({
  name,
  steps: [{ id: 'only', type: 'transform', with: { value } }],
});

describe('SDK workflow methods against the real server', () => {
  let testDb: TestDatabase;
  let app: ReturnType<typeof createTestApp>;
  let tenant: TestTenant;
  let client: ShoalClient;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    app = createTestApp(testDb.db);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    tenant = await seedTenant(testDb.db, 'sdk-workflows');
    client = createShoalClient({ baseUrl, apiKey: tenant.keys.developer });
  });
  afterAll(async () => {
    await app?.close();
    await testDb?.drop();
  });

  it('publishes, reads, lists versions, diffs and archives', async () => {
    const first = await client.publishWorkflow({ definition: definition('sdk-flow', 1) });
    expect(first).toMatchObject({ created: true, version: { version: 1 } });
    const second = await client.publishWorkflow({
      source: 'name: sdk-flow\nsteps:\n  - { id: only, type: transform, with: { value: 2 } }\n',
      format: 'yaml',
    });
    expect(second).toMatchObject({ created: true, version: { version: 2, sourceFormat: 'yaml' } });

    expect(await client.getWorkflow({ name: 'sdk-flow' })).toMatchObject({
      workflow: { latestVersion: 2 },
      version: { version: 2 },
    });
    expect((await client.getWorkflowVersion({ name: 'sdk-flow', version: 1 })).definition).toMatchObject(
      definition('sdk-flow', 1),
    );
    expect((await client.listWorkflowVersions({ name: 'sdk-flow' })).data.map((v) => v.version)).toEqual([
      2, 1,
    ]);
    const diff = await client.diffWorkflowVersions({ name: 'sdk-flow' }, { from: 1, to: 2 });
    expect(diff.changes).toEqual([{ op: 'change', path: '/steps/only/with/value', from: 1, to: 2 }]);

    const archived = await client.archiveWorkflow({ name: 'sdk-flow' });
    expect(archived.archivedAt).not.toBeNull();
    expect((await client.listWorkflows()).data.map((w) => w.name)).not.toContain('sdk-flow');
  });

  it('paginate walks every workflow', async () => {
    for (let i = 0; i < 5; i += 1) await client.publishWorkflow({ definition: definition(`paged-${i}`, i) });
    const names: string[] = [];
    for await (const workflow of paginate(client.listWorkflows, { limit: 2 })) names.push(workflow.name);
    expect(names.filter((name) => name.startsWith('paged-'))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `paged-${i}`),
    );
  });

  it('an invalid definition throws ShoalApiError WORKFLOW_INVALID with the problems', async () => {
    const error = await client
      .publishWorkflow({ source: 'name: x\nsteps:\n  - { id: a, type: nope }\n' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ShoalApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'WORKFLOW_INVALID',
      details: { problems: [{ code: 'UNKNOWN_STEP_TYPE', path: '/steps/0/type', line: 3, column: 20 }] },
    });
  });
});
