import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendAuditEvent } from '../audit/index.ts';
import type { Database } from '../db/index.ts';
import { createApiKey, createTenantWithOwner, findUserByEmail, type Role } from '../identity/index.ts';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  publishWorkflow,
  validateWorkflowSource,
} from '../workflows/index.ts';
import type { Runtime } from './runtime.ts';

export const DEMO_EMAIL = 'demo@shoal.local';
const STARTUP_KEY_NAME = 'demo startup key';
const SYSTEM_ACTOR = { type: 'system', id: 'demo' } as const;
/** The repository's sample workflows, published into the demo tenant when it is created. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../../examples/', import.meta.url));

interface DemoCredentials {
  tenantId: string;
  email: string;
  password: string;
}

/**
 * First start: a demo tenant and owner, with the password kept in the data directory (0600).
 * Every start: the previous startup key is revoked and a fresh one is printed, since only
 * hashes of keys are stored.
 */
export async function ensureDemo(
  runtime: Runtime,
): Promise<{ credentials: DemoCredentials; apiKey: string }> {
  const { db, config } = runtime;
  mkdirSync(config.SHOAL_DATA_DIR, { recursive: true });
  const file = join(config.SHOAL_DATA_DIR, 'demo-credentials.json');
  let credentials = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials) : null;
  const existing = await db.systemTx((sys) => findUserByEmail(sys, DEMO_EMAIL));
  if (!credentials || !existing) {
    if (existing)
      throw new Error(
        `${DEMO_EMAIL} exists but ${file} is missing; remove the data directory to reset the demo`,
      );
    const password = randomBytes(12).toString('base64url');
    const { tenant } = await db.systemTx((sys) =>
      createTenantWithOwner(
        sys,
        { tenantName: 'Demo', plan: 'team', email: DEMO_EMAIL, name: 'Demo Owner', password },
        { requestId: null, ip: null },
      ),
    );
    credentials = { tenantId: tenant.id, email: DEMO_EMAIL, password };
    await publishSampleWorkflows(db, tenant.id);
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  }
  const tenantId = credentials.tenantId;
  const apiKey = await db.tenantTx(tenantId, async (tx) => {
    const revoked = await tx.query<{ id: string }>(
      `update api_keys set revoked_at = now() where name = $1 and revoked_at is null returning id`,
      [STARTUP_KEY_NAME],
    );
    for (const row of revoked.rows) {
      await appendAuditEvent(tx, tenantId, {
        actor: SYSTEM_ACTOR,
        action: 'api_keys.revoke',
        target: { type: 'api_key', id: row.id },
      });
    }
    const role: Role = 'owner';
    const created = await createApiKey(tx, tenantId, {
      name: STARTUP_KEY_NAME,
      role,
      expiresAt: null,
      createdBy: SYSTEM_ACTOR,
      granterRole: null,
    });
    await appendAuditEvent(tx, tenantId, {
      actor: SYSTEM_ACTOR,
      action: 'api_keys.create',
      target: { type: 'api_key', id: created.apiKey.id },
      details: { role, name: STARTUP_KEY_NAME },
    });
    return created.secret;
  });
  return { credentials, apiKey };
}

/** Publishes `examples/*.yaml` (when the checkout has them) as the demo's sample workflows. */
export async function publishSampleWorkflows(
  db: Database,
  tenantId: string,
  dir = EXAMPLES_DIR,
): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
  const names: string[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const source = readFileSync(join(dir, file), 'utf8');
    const result = validateWorkflowSource(source, 'yaml', { stepTypes });
    if (!result.ok)
      throw new Error(`Sample workflow ${file} is invalid: ${result.problems[0]?.message ?? ''}`);
    await db.tenantTx(tenantId, async (tx) => {
      const published = await publishWorkflow(tx, tenantId, {
        definition: result.definition,
        contentHash: result.contentHash,
        source,
        sourceFormat: 'yaml',
        createdBy: `${SYSTEM_ACTOR.type}:${SYSTEM_ACTOR.id}`,
      });
      await appendAuditEvent(tx, tenantId, {
        actor: SYSTEM_ACTOR,
        action: 'workflows.write',
        target: { type: 'workflow', id: published.workflow.id },
        details: {
          name: published.workflow.name,
          version: published.version.version,
          created: published.created,
        },
      });
    });
    names.push(result.definition.name);
  }
  return names;
}
