import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import type { WorkflowDefinition } from './definition-schema.ts';
import type { SourceFormat } from './source.ts';

/** A workflow with its latest version's hash and description. */
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  latestVersion: number;
  contentHash: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface WorkflowVersionSummary {
  version: number;
  contentHash: string;
  createdBy: string;
  createdAt: string;
}

export interface WorkflowVersion extends WorkflowVersionSummary {
  workflowId: string;
  name: string;
  definition: WorkflowDefinition;
  source: string;
  sourceFormat: SourceFormat;
}

export const ARCHIVED_FILTERS = ['exclude', 'include', 'only'] as const;
export type ArchivedFilter = (typeof ARCHIVED_FILTERS)[number];

interface WorkflowRow {
  id: string;
  name: string;
  description: string | null;
  latest_version: number;
  content_hash: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  [key: string]: unknown;
}

interface VersionRow {
  workflow_id: string;
  name: string;
  version: number;
  content_hash: string;
  definition: WorkflowDefinition;
  source: string;
  source_format: SourceFormat;
  created_by: string;
  created_at: Date;
  [key: string]: unknown;
}

const SUMMARY_COLUMNS = `w.id, w.name, v.definition->>'description' as description, w.latest_version,
  v.content_hash, w.created_by, w.created_at, w.updated_at, w.archived_at`;
const LATEST_JOIN = `join workflow_versions v
  on v.tenant_id = w.tenant_id and v.workflow_id = w.id and v.version = w.latest_version`;
const VERSION_COLUMNS = `v.workflow_id, w.name, v.version, v.content_hash, v.definition, v.source,
  v.source_format, v.created_by, v.created_at`;

const toSummary = (row: WorkflowRow): WorkflowSummary => ({
  id: row.id,
  name: row.name,
  description: row.description,
  latestVersion: row.latest_version,
  contentHash: row.content_hash,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  archivedAt: row.archived_at?.toISOString() ?? null,
});

const toVersion = (row: VersionRow): WorkflowVersion => ({
  workflowId: row.workflow_id,
  name: row.name,
  version: row.version,
  contentHash: row.content_hash,
  definition: row.definition,
  source: row.source,
  sourceFormat: row.source_format,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

export interface PublishInput {
  definition: WorkflowDefinition;
  contentHash: string;
  source: string;
  sourceFormat: SourceFormat;
  /** Who publishes, as the audit log names actors (`api_key:<id>`, `user:<id>`). */
  createdBy: string;
}

export interface PublishResult {
  /** false: the definition equals the latest version, which is returned as it is. */
  created: boolean;
  /** The workflow was archived and publishing brought it back. */
  unarchived: boolean;
  workflow: WorkflowSummary;
  version: WorkflowVersion;
}

/**
 * Publishes a validated definition: a new version when it differs from the latest one, the
 * latest one when it does not. Publishing also unarchives. Concurrent publishes of one workflow
 * serialise on its row (`for update`), so version numbers never collide or skip.
 */
export async function publishWorkflow(
  tx: Queryable,
  tenantId: string,
  input: PublishInput,
): Promise<PublishResult> {
  const name = input.definition.name;
  await tx.query(
    `insert into workflows (tenant_id, id, name, created_by) values ($1, $2, $3, $4)
     on conflict (tenant_id, name) do nothing`,
    [tenantId, randomUUID(), name, input.createdBy],
  );
  const locked = await tx.query<{ id: string; latest_version: number; archived_at: Date | null }>(
    'select id, latest_version, archived_at from workflows where name = $1 for update',
    [name],
  );
  const workflow = locked.rows[0];
  if (!workflow) throw new Error(`workflow ${name} vanished while publishing`);
  const latest = await getWorkflowVersion(tx, workflow.id, workflow.latest_version);
  const unarchived = workflow.archived_at !== null;
  if (latest && latest.contentHash === input.contentHash) {
    if (unarchived)
      await tx.query('update workflows set archived_at = null, updated_at = now() where id = $1', [
        workflow.id,
      ]);
    return { created: false, unarchived, workflow: await mustGetWorkflow(tx, name), version: latest };
  }
  const version = workflow.latest_version + 1;
  await tx.query(
    `insert into workflow_versions
       (tenant_id, workflow_id, version, content_hash, definition, source, source_format, created_by)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
    [
      tenantId,
      workflow.id,
      version,
      input.contentHash,
      JSON.stringify(input.definition),
      input.source,
      input.sourceFormat,
      input.createdBy,
    ],
  );
  await tx.query(
    'update workflows set latest_version = $2, updated_at = now(), archived_at = null where id = $1',
    [workflow.id, version],
  );
  const created = await getWorkflowVersion(tx, workflow.id, version);
  if (!created) throw new Error(`version ${version} of ${name} was not written`);
  return { created: true, unarchived, workflow: await mustGetWorkflow(tx, name), version: created };
}

async function mustGetWorkflow(tx: Queryable, name: string): Promise<WorkflowSummary> {
  const workflow = await getWorkflow(tx, name);
  if (!workflow) throw new Error(`workflow ${name} not found after writing it`);
  return workflow;
}

/** Workflows by name, a page at a time: pass the last name of a page as `after`. */
export async function listWorkflows(
  tx: Queryable,
  options: { archived: ArchivedFilter; after?: string | undefined; limit: number },
): Promise<WorkflowSummary[]> {
  const result = await tx.query<WorkflowRow>(
    `select ${SUMMARY_COLUMNS} from workflows w ${LATEST_JOIN}
      where case $1::text when 'exclude' then w.archived_at is null
                          when 'only' then w.archived_at is not null
                          else true end
        and ($2::text is null or w.name > $2)
      order by w.name limit $3`,
    [options.archived, options.after ?? null, options.limit],
  );
  return result.rows.map(toSummary);
}

/** The tenant's workflow of this name (archived or not), or null. */
export async function getWorkflow(tx: Queryable, name: string): Promise<WorkflowSummary | null> {
  const result = await tx.query<WorkflowRow>(
    `select ${SUMMARY_COLUMNS} from workflows w ${LATEST_JOIN} where w.name = $1`,
    [name],
  );
  const row = result.rows[0];
  return row ? toSummary(row) : null;
}

/** Versions newest first, a page at a time: pass the last version of a page as `before`. */
export async function listWorkflowVersions(
  tx: Queryable,
  workflowId: string,
  options: { before?: number | undefined; limit: number },
): Promise<WorkflowVersionSummary[]> {
  const result = await tx.query<{
    version: number;
    content_hash: string;
    created_by: string;
    created_at: Date;
  }>(
    `select version, content_hash, created_by, created_at from workflow_versions
      where workflow_id = $1 and ($2::int is null or version < $2)
      order by version desc limit $3`,
    [workflowId, options.before ?? null, options.limit],
  );
  return result.rows.map((row) => ({
    version: row.version,
    contentHash: row.content_hash,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function getWorkflowVersion(
  tx: Queryable,
  workflowId: string,
  version: number,
): Promise<WorkflowVersion | null> {
  const result = await tx.query<VersionRow>(
    `select ${VERSION_COLUMNS} from workflow_versions v
       join workflows w on w.tenant_id = v.tenant_id and w.id = v.workflow_id
      where v.workflow_id = $1 and v.version = $2`,
    [workflowId, version],
  );
  const row = result.rows[0];
  return row ? toVersion(row) : null;
}

/** Archives a workflow (no new runs; hidden from lists by default); archiving twice is a no-op. */
export async function archiveWorkflow(tx: Queryable, name: string): Promise<WorkflowSummary | null> {
  await tx.query(
    'update workflows set archived_at = now(), updated_at = now() where name = $1 and archived_at is null',
    [name],
  );
  return getWorkflow(tx, name);
}
