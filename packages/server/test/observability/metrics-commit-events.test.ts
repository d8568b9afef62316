import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitEventMark,
  dropCommitEventsSince,
  noteCommitEvent,
  observeCommits,
  type CommitEvent,
  type Database,
} from '../../src/db/index.ts';
import { createRun, withSavepoint } from '../../src/engine/index.ts';
import { seedWorkflowVersion } from '../support/engine.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** Counters of runs and audit events count committed transactions only (db/commit-events.ts). */
describe('events counted on commit', () => {
  let t: TestDatabase;
  let db: Database;
  let tenant: TestTenant;
  let delivered: CommitEvent[][];

  beforeAll(async () => {
    t = await createTestDatabase();
    delivered = [];
    db = observeCommits(t.db, (events) => delivered.push([...events]));
    tenant = await seedTenant(t.db, 'commit-events');
  });
  afterAll(async () => t.drop());

  it('hands a committed transaction its events once, after the commit', async () => {
    delivered.length = 0;
    const workflowId = await seedWorkflowVersion(t.db, tenant.tenantId);
    const { runId } = await db.tenantTx(tenant.tenantId, async (tx) => {
      const created = await createRun(tx, tenant.tenantId, {
        workflowId,
        workflowVersion: 1,
        input: {},
        steps: [],
      });
      // Not yet: the transaction has not committed.
      expect(delivered).toHaveLength(0);
      return created;
    });
    expect(runId).toBeTruthy();
    expect(delivered).toEqual([[{ type: 'run.started', tenantId: tenant.tenantId, workflow: workflowId }]]);
  });

  it('drops the events of a transaction that rolled back', async () => {
    delivered.length = 0;
    const workflowId = await seedWorkflowVersion(t.db, tenant.tenantId);
    await expect(
      db.tenantTx(tenant.tenantId, async (tx) => {
        await createRun(tx, tenant.tenantId, { workflowId, workflowVersion: 1, input: {}, steps: [] });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(delivered).toHaveLength(0);
    const runs = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query('select 1 from runs where workflow_id = $1', [workflowId]),
    );
    expect(runs.rows).toHaveLength(0);
  });

  it('drops the events of a savepoint rolled back and keeps the rest of the transaction', async () => {
    delivered.length = 0;
    await db.systemTx(async (sys) => {
      noteCommitEvent(sys, { type: 'kept' });
      const mark = commitEventMark(sys);
      noteCommitEvent(sys, { type: 'undone' });
      dropCommitEventsSince(sys, mark);
    });
    expect(delivered).toEqual([[{ type: 'kept' }]]);

    // A trigger's savepoint: the run it created is rolled back with it, and so is its event.
    delivered.length = 0;
    const workflowId = await seedWorkflowVersion(t.db, tenant.tenantId);
    const outcomes = await db.tenantTx(tenant.tenantId, async (tx) => {
      const plan = { workflowId, workflowVersion: 1, input: {}, steps: [] };
      const undone = await withSavepoint(tx, async () => {
        await createRun(tx, tenant.tenantId, plan);
        throw new Error('the fire failed after its run was created');
      });
      const kept = await withSavepoint(tx, () => createRun(tx, tenant.tenantId, plan));
      return { undone, kept };
    });
    expect(outcomes.undone.ok).toBe(false);
    expect(outcomes.kept.ok).toBe(true);
    expect(delivered).toEqual([[{ type: 'run.started', tenantId: tenant.tenantId, workflow: workflowId }]]);
    const runs = await t.db.tenantTx(tenant.tenantId, (tx) =>
      tx.query('select 1 from runs where workflow_id = $1', [workflowId]),
    );
    expect(runs.rows).toHaveLength(1);
  });

  it('notes nothing for a database nobody observes', async () => {
    delivered.length = 0;
    await t.db.systemTx(async (sys) => noteCommitEvent(sys, { type: 'unobserved' }));
    expect(delivered).toHaveLength(0);
  });
});
