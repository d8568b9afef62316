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

export const TERMINAL_RUN_STATES = ['succeeded', 'failed', 'cancelled', 'timed_out'];

export interface RunRow {
  state: string;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
  parent_run_id: string | null;
  [key: string]: unknown;
}

/** A run's row as its tenant sees it. */
export async function readRun(db: Database, tenantId: string, runId: string): Promise<RunRow | undefined> {
  const run = await db.tenantTx(tenantId, (tx) =>
    tx.query<RunRow>(
      'select state, output, error_code, error_message, parent_run_id from runs where id = $1',
      [runId],
    ),
  );
  return run.rows[0];
}

/** Polls until the run is in one of `states` (by default, finished); throws after `timeoutMs`. */
export async function waitForRun(
  db: Database,
  tenantId: string,
  runId: string,
  states: readonly string[] = TERMINAL_RUN_STATES,
  timeoutMs = 30_000,
): Promise<RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await readRun(db, tenantId, runId);
    if (row && states.includes(row.state)) return row;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${row?.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
