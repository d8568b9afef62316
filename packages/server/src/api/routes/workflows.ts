import { z } from 'zod';
import { actorRef, IdentityError } from '../../identity/index.ts';
import {
  ARCHIVED_FILTERS,
  archiveWorkflow,
  BUILTIN_STEP_TYPES,
  CHANGE_OPS,
  createStepTypeRegistry,
  diffDefinitions,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  MAX_SOURCE_LENGTH,
  publishWorkflow,
  SOURCE_FORMATS,
  validateWorkflowDefinition,
  validateWorkflowSource,
  workflowInvalid,
  type WorkflowSummary,
} from '../../workflows/index.ts';
import type { ApiDeps } from '../route.ts';
import { tenantRoute } from '../route.ts';

const timestamp = z.iso.datetime();
const hash = z.string().meta({ description: 'SHA-256 of the canonical definition, hex' });

const WorkflowSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    latestVersion: z.number().int(),
    contentHash: hash,
    createdBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    archivedAt: timestamp
      .nullable()
      .meta({ description: 'Set while archived: no new runs, hidden from lists' }),
  })
  .meta({ id: 'Workflow' });

const VersionSummarySchema = z
  .object({ version: z.number().int(), contentHash: hash, createdBy: z.string(), createdAt: timestamp })
  .meta({ id: 'WorkflowVersionSummary' });

const VersionSchema = z
  .object({
    workflowId: z.uuid(),
    name: z.string(),
    version: z.number().int(),
    contentHash: hash,
    definition: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The validated definition with defaults filled in (docs/workflow.schema.json)' }),
    source: z.string().meta({ description: 'The text as published' }),
    sourceFormat: z.enum(SOURCE_FORMATS),
    createdBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'WorkflowVersion' });

const DiffSchema = z
  .object({
    name: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    fromHash: hash,
    toHash: hash,
    identical: z.boolean(),
    steps: z.object({
      added: z.array(z.string()),
      removed: z.array(z.string()),
      changed: z.array(z.string()),
      reordered: z.boolean(),
    }),
    changes: z.array(
      z.object({
        op: z.enum(CHANGE_OPS),
        path: z
          .string()
          .meta({ description: 'JSON Pointer; steps are addressed by id: /steps/fetch/with/url' }),
        from: z.unknown().optional(),
        to: z.unknown().optional(),
      }),
    ),
  })
  .meta({ id: 'WorkflowDiff' });

const NameParams = z.strictObject({ name: z.string().min(1).max(100) });
const versionNumber = z.coerce.number().int().min(1).max(2_147_483_647);
const VersionParams = z.strictObject({ name: z.string().min(1).max(100), version: versionNumber });

const PublishBody = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .max(MAX_SOURCE_LENGTH)
      .optional()
      .meta({ description: 'The definition as YAML or JSON text; problems then carry line and column' }),
    format: z
      .enum(SOURCE_FORMATS)
      .optional()
      .meta({ description: 'Of source; default yaml, which also reads JSON' }),
    definition: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'The definition as a JSON object' }),
  })
  .refine((body) => (body.source === undefined) !== (body.definition === undefined), {
    message: 'send exactly one of source or definition',
  })
  .refine((body) => body.format === undefined || body.source !== undefined, {
    path: ['format'],
    message: 'goes with source only',
  });

/** The registry of step types the composition root gave, or the built-in ones. */
const builtinStepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
const stepTypesOf = (deps: ApiDeps) => deps.stepTypes ?? builtinStepTypes;

// The messages never echo the name: a foreign name must answer exactly like an unknown one.
const notFound = () => new IdentityError('NOT_FOUND', 'No such workflow');
const versionNotFound = () => new IdentityError('NOT_FOUND', 'No such workflow version');

async function mustFind(tx: Parameters<typeof getWorkflow>[0], name: string): Promise<WorkflowSummary> {
  const workflow = await getWorkflow(tx, name);
  if (!workflow) throw notFound();
  return workflow;
}

export const workflowRoutes = [
  tenantRoute({
    method: 'POST',
    url: '/v1/workflows',
    operationId: 'publishWorkflow',
    auth: 'workflows.write',
    tag: 'workflows',
    summary: 'Publish a workflow: a new version if the definition changed, else the latest one',
    description:
      'Validates the definition and reports every problem at once (422 WORKFLOW_INVALID, with ' +
      '`details.problems`). Publishing an archived workflow unarchives it. ',
    body: PublishBody,
    success: {
      status: 200,
      schema: z.object({
        created: z.boolean().meta({ description: 'false: unchanged, the latest version is returned' }),
        unarchived: z.boolean(),
        workflow: WorkflowSummarySchema,
        version: VersionSchema,
      }),
      description: 'The workflow and the version it now has',
    },
    errors: [
      {
        status: 422,
        description:
          'The definition is invalid (WORKFLOW_INVALID); details.problems lists every problem with code, message, path, stepId, line and column',
      },
    ],
    handler: async ({ tx, principal, deps }, { body }) => {
      const options = { stepTypes: stepTypesOf(deps) };
      const source = body.source ?? `${JSON.stringify(body.definition, null, 2)}\n`;
      const sourceFormat = body.source === undefined ? 'json' : (body.format ?? 'yaml');
      const result =
        body.source === undefined
          ? validateWorkflowDefinition(body.definition, options)
          : validateWorkflowSource(body.source, sourceFormat, options);
      if (!result.ok) throw workflowInvalid(result.problems);
      const published = await publishWorkflow(tx, principal.tenantId, {
        definition: result.definition,
        contentHash: result.contentHash,
        source,
        sourceFormat,
        createdBy: actorRef(principal.actor),
      });
      return {
        body: published,
        audit: {
          target: { type: 'workflow', id: published.workflow.id },
          details: {
            name: published.workflow.name,
            version: published.version.version,
            created: published.created,
            contentHash: published.version.contentHash,
          },
        },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows',
    operationId: 'listWorkflows',
    auth: 'workflows.read',
    tag: 'workflows',
    summary: 'Workflows by name, with their latest version',
    query: z.strictObject({
      archived: z.enum(ARCHIVED_FILTERS).default('exclude'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().max(100).optional(),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(WorkflowSummarySchema), nextCursor: z.string().nullable() }),
      description: 'A page of workflows; pass nextCursor as cursor for the next',
    },
    handler: async ({ tx }, { query }) => {
      const data = await listWorkflows(tx, {
        archived: query.archived,
        after: query.cursor,
        limit: query.limit,
      });
      const last = data.at(-1);
      return { body: { data, nextCursor: data.length === query.limit && last ? last.name : null } };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows/:name',
    operationId: 'getWorkflow',
    auth: 'workflows.read',
    tag: 'workflows',
    summary: 'A workflow and its latest version',
    params: NameParams,
    success: {
      status: 200,
      schema: z.object({ workflow: WorkflowSummarySchema, version: VersionSchema }),
      description: 'The workflow and its latest version',
    },
    handler: async ({ tx }, { params }) => {
      const workflow = await mustFind(tx, params.name);
      const version = await getWorkflowVersion(tx, workflow.id, workflow.latestVersion);
      if (!version) throw notFound();
      return { body: { workflow, version } };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows/:name/versions',
    operationId: 'listWorkflowVersions',
    auth: 'workflows.read',
    tag: 'workflows',
    summary: "A workflow's versions, newest first",
    params: NameParams,
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      cursor: z.string().regex(/^\d+$/, 'must be a cursor from nextCursor').optional(),
    }),
    success: {
      status: 200,
      schema: z.object({ data: z.array(VersionSummarySchema), nextCursor: z.string().nullable() }),
      description: 'A page of versions; pass nextCursor as cursor for the next',
    },
    handler: async ({ tx }, { params, query }) => {
      const workflow = await mustFind(tx, params.name);
      const data = await listWorkflowVersions(tx, workflow.id, {
        before: query.cursor === undefined ? undefined : Number(query.cursor),
        limit: query.limit,
      });
      const last = data.at(-1);
      return {
        body: { data, nextCursor: data.length === query.limit && last ? String(last.version) : null },
      };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows/:name/versions/:version',
    operationId: 'getWorkflowVersion',
    auth: 'workflows.read',
    tag: 'workflows',
    summary: 'One version of a workflow, with its definition and source',
    params: VersionParams,
    success: { status: 200, schema: VersionSchema, description: 'The version' },
    handler: async ({ tx }, { params }) => {
      const workflow = await mustFind(tx, params.name);
      const version = await getWorkflowVersion(tx, workflow.id, params.version);
      if (!version) throw versionNotFound();
      return { body: version };
    },
  }),
  tenantRoute({
    method: 'GET',
    url: '/v1/workflows/:name/diff',
    operationId: 'diffWorkflowVersions',
    auth: 'workflows.read',
    tag: 'workflows',
    summary: 'What changed between two versions: steps added, removed and changed, field by field',
    params: NameParams,
    query: z.strictObject({
      from: versionNumber.optional().meta({ description: 'Default: the version before `to`' }),
      to: versionNumber.optional().meta({ description: 'Default: the latest version' }),
    }),
    success: { status: 200, schema: DiffSchema, description: 'The structural diff' },
    handler: async ({ tx }, { params, query }) => {
      const workflow = await mustFind(tx, params.name);
      const to = query.to ?? workflow.latestVersion;
      const from = query.from ?? Math.max(1, to - 1);
      const a = await getWorkflowVersion(tx, workflow.id, from);
      const b = await getWorkflowVersion(tx, workflow.id, to);
      if (!a || !b) throw versionNotFound();
      return {
        body: {
          name: workflow.name,
          from,
          to,
          fromHash: a.contentHash,
          toHash: b.contentHash,
          ...diffDefinitions(a.definition, b.definition),
        },
      };
    },
  }),
  tenantRoute({
    method: 'POST',
    url: '/v1/workflows/:name/archive',
    operationId: 'archiveWorkflow',
    auth: 'workflows.archive',
    tag: 'workflows',
    summary: 'Archive a workflow: no new runs, hidden from lists; publishing it again unarchives it',
    params: NameParams,
    success: { status: 200, schema: WorkflowSummarySchema, description: 'The archived workflow' },
    handler: async ({ tx }, { params }) => {
      const workflow = await archiveWorkflow(tx, params.name);
      if (!workflow) throw notFound();
      return {
        body: workflow,
        audit: { target: { type: 'workflow', id: workflow.id }, details: { name: workflow.name } },
      };
    },
  }),
];
