import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.ts';
import {
  archiveWorkflow,
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  publishWorkflow,
  validateWorkflowDefinition,
  type PublishResult,
} from '../../src/workflows/index.ts';
import { sampleDefinition } from '../support/route-fixtures.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);

function publish(
  db: Database,
  tenant: TestTenant,
  definition: unknown,
  createdBy = 'user:test',
): Promise<PublishResult> {
  const result = validateWorkflowDefinition(definition, { stepTypes });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return db.tenantTx(tenant.tenantId, (tx) =>
    publishWorkflow(tx, tenant.tenantId, {
      definition: result.definition,
      contentHash: result.contentHash,
      source: JSON.stringify(definition),
      sourceFormat: 'json',
      createdBy,
    }),
  );
}

describe('workflow versions', () => {
  let t: TestDatabase;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'versions');
    other = await seedTenant(t.db, 'versions-other');
  });
  afterAll(() => t.drop());

  it('the first publish creates version 1 with the hash of the canonical definition', async () => {
    const published = await publish(t.db, tenant, sampleDefinition('first'));
    expect(published.created).toBe(true);
    expect(published.workflow).toMatchObject({
      name: 'first',
      latestVersion: 1,
      archivedAt: null,
      description: 'sample v1',
    });
    expect(published.version).toMatchObject({
      version: 1,
      name: 'first',
      sourceFormat: 'json',
      createdBy: 'user:test',
    });
    expect(published.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(published.workflow.contentHash).toBe(published.version.contentHash);
  });

  it('publishing an unchanged definition returns the existing version', async () => {
    const first = await publish(t.db, tenant, sampleDefinition('same'));
    // Same content, keys in another order: the canonical form is the same.
    const reordered = {
      steps: sampleDefinition('same').steps,
      name: 'same',
      output: '{{ steps.second.output }}',
      description: 'sample v1',
      input: sampleDefinition('same').input,
    };
    const again = await publish(t.db, tenant, reordered, 'user:someone-else');
    expect(again.created).toBe(false);
    expect(again.version).toEqual(first.version);
  });

  it('a changed definition becomes version N+1, and the old versions stay as they were', async () => {
    const v1 = await publish(t.db, tenant, sampleDefinition('evolving', 'one'));
    const v2 = await publish(t.db, tenant, sampleDefinition('evolving', 'two'));
    const v3 = await publish(t.db, tenant, sampleDefinition('evolving', 'one'));
    expect([v1.version.version, v2.version.version, v3.version.version]).toEqual([1, 2, 3]);
    expect(v2.created && v3.created).toBe(true);
    // Going back to an earlier definition is a new version: the latest is what runs use.
    expect(v3.version.contentHash).toBe(v1.version.contentHash);
    const stored = await t.db.tenantTx(tenant.tenantId, (tx) => getWorkflowVersion(tx, v1.workflow.id, 1));
    expect(stored).toEqual(v1.version);
    const versions = await t.db.tenantTx(tenant.tenantId, (tx) =>
      listWorkflowVersions(tx, v1.workflow.id, { limit: 10 }),
    );
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    const page = await t.db.tenantTx(tenant.tenantId, (tx) =>
      listWorkflowVersions(tx, v1.workflow.id, { before: 3, limit: 1 }),
    );
    expect(page.map((v) => v.version)).toEqual([2]);
  });

  it('versions cannot be changed or deleted by the app role', async () => {
    const { workflow } = await publish(t.db, tenant, sampleDefinition('immutable'));
    for (const statement of [
      `update workflow_versions set source = 'x' where workflow_id = $1`,
      'delete from workflow_versions where workflow_id = $1',
      'delete from workflows where id = $1',
    ]) {
      await expect(
        t.db.tenantTx(tenant.tenantId, (tx) => tx.query(statement, [workflow.id])),
      ).rejects.toMatchObject({
        code: '42501',
      });
    }
  });

  it('concurrent publishes of one definition make exactly one version', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => publish(t.db, tenant, sampleDefinition('race-same'))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]));
    expect(new Set(results.map((r) => r.workflow.id)).size).toBe(1);
  });

  it('concurrent publishes of different definitions get consecutive versions, none lost', async () => {
    await publish(t.db, tenant, sampleDefinition('race-many', 'seed'));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        publish(t.db, tenant, sampleDefinition('race-many', `writer ${i}`)),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.version.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const workflow = await t.db.tenantTx(tenant.tenantId, (tx) => getWorkflow(tx, 'race-many'));
    expect(workflow?.latestVersion).toBe(9);
    const versions = await t.db.tenantTx(tenant.tenantId, (tx) =>
      listWorkflowVersions(tx, workflow?.id ?? '', { limit: 20 }),
    );
    expect(versions.map((v) => v.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('archiving hides a workflow from the default list; publishing again unarchives it', async () => {
    const { workflow } = await publish(t.db, tenant, sampleDefinition('to-archive'));
    const archived = await t.db.tenantTx(tenant.tenantId, (tx) => archiveWorkflow(tx, 'to-archive'));
    expect(archived?.archivedAt).not.toBeNull();
    // Archiving twice keeps the first time.
    const twice = await t.db.tenantTx(tenant.tenantId, (tx) => archiveWorkflow(tx, 'to-archive'));
    expect(twice?.archivedAt).toBe(archived?.archivedAt);

    const names = async (archivedFilter: 'exclude' | 'include' | 'only') =>
      (
        await t.db.tenantTx(tenant.tenantId, (tx) =>
          listWorkflows(tx, { archived: archivedFilter, limit: 500 }),
        )
      ).map((w) => w.name);
    expect(await names('exclude')).not.toContain('to-archive');
    expect(await names('include')).toContain('to-archive');
    expect(await names('only')).toEqual(['to-archive']);

    const republished = await publish(t.db, tenant, sampleDefinition('to-archive'));
    expect(republished).toMatchObject({
      created: false,
      unarchived: true,
      workflow: { id: workflow.id, archivedAt: null },
    });
    expect(await names('exclude')).toContain('to-archive');
  });

  it('archiving an unknown workflow finds nothing', async () => {
    expect(await t.db.tenantTx(tenant.tenantId, (tx) => archiveWorkflow(tx, 'never-published'))).toBeNull();
  });

  it('names are per tenant: another tenant has its own workflow of the same name', async () => {
    const mine = await publish(t.db, tenant, sampleDefinition('shared-name', 'mine'));
    const theirs = await publish(t.db, other, sampleDefinition('shared-name', 'theirs'));
    expect(theirs.created).toBe(true);
    expect(theirs.version.version).toBe(1);
    expect(theirs.workflow.id).not.toBe(mine.workflow.id);
    const seen = await t.db.tenantTx(other.tenantId, (tx) => getWorkflowVersion(tx, mine.workflow.id, 1));
    expect(seen).toBeNull();
  });

  it('lists page by name', async () => {
    const all = await t.db.tenantTx(tenant.tenantId, (tx) =>
      listWorkflows(tx, { archived: 'include', limit: 500 }),
    );
    const names = all.map((w) => w.name);
    expect(names).toEqual([...names].sort());
    const second = await t.db.tenantTx(tenant.tenantId, (tx) =>
      listWorkflows(tx, { archived: 'include', after: names[1], limit: 2 }),
    );
    expect(second.map((w) => w.name)).toEqual(names.slice(2, 4));
  });
});
