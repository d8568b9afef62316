import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/index.ts';

/** A workflow with one version for engine tests, written directly: runs must pin a real version. */
export async function seedWorkflowVersion(
  db: Database,
  tenantId: string,
  name = `wf-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const workflowId = randomUUID();
  await db.tenantTx(tenantId, async (tx) => {
    await tx.query(
      `insert into workflows (tenant_id, id, name, latest_version, created_by) values ($1, $2, $3, 1, 'test')`,
      [tenantId, workflowId, name],
    );
    await tx.query(
      `insert into workflow_versions (tenant_id, workflow_id, version, content_hash, definition, source, source_format, created_by)
       values ($1, $2, 1, $3, '{}', '{}', 'json', 'test')`,
      [tenantId, workflowId, '0'.repeat(64)],
    );
  });
  return workflowId;
}
