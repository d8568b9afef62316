import { randomInt, randomUUID } from 'node:crypto';
import type { AnyRoute, ApiServer } from '../../src/api/index.ts';
import type { Actor } from '../../src/audit/index.ts';
import type { Database } from '../../src/db/index.ts';
import { createApiKey, createInvite, hashPassword, type Role } from '../../src/identity/index.ts';
import {
  BUILTIN_STEP_TYPES,
  createStepTypeRegistry,
  publishWorkflow,
  validateWorkflowDefinition,
} from '../../src/workflows/index.ts';
import { bearer, TEST_OPERATOR_TOKEN, TEST_PASSWORD, type TestTenant } from './test-app.ts';
import { failRun, lockRun, startRun, webhookSignatureHeader } from '../../src/engine/index.ts';

/**
 * One valid request per operation in the route table, so tests can walk ROUTES. A fixture
 * makes the objects its call acts on fresh each time (a key to revoke, a member to remove),
 * so the call succeeds for any role the permission table allows.
 */
export interface FixtureContext {
  app: ApiServer;
  db: Database;
  tenant: TestTenant;
}

/** Who makes a call: the headers that authenticate it and the actor the audit log should name. */
export interface Caller {
  headers: Record<string, string>;
  actor: Actor;
}

export interface ExpectedAudit {
  tenantId: string;
  action: string;
  actor: Actor;
  target: { type: string; id: string } | null;
}

export interface PreparedCall {
  /** URL with its parameters filled in (and a query string, if any). */
  url: string;
  payload?: Record<string, unknown>;
  /** null: the route is public and the call carries no credentials. */
  caller: Caller | null;
  /** Mutating routes: the one audit event a successful call writes. */
  expectedAudit?: (body: unknown) => Promise<ExpectedAudit>;
}

export type RouteFixture = (ctx: FixtureContext, role: Role) => Promise<PreparedCall>;

export const apiKeyCaller = (tenant: TestTenant, role: Role): Caller => ({
  headers: bearer(tenant.keys[role]),
  actor: { type: 'api_key', id: tenant.keyIds[role] },
});

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.test`;

let passwordHash: Promise<string> | undefined;

/** A user who is a member of the tenant with `role`, written straight to the database. */
export async function addMember(
  db: Database,
  tenantId: string,
  role: Role,
): Promise<{ userId: string; email: string }> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const userId = randomUUID();
  const email = uniqueEmail(role);
  await db.ownerTx(async (tx) => {
    await tx.query('insert into users (id, email, name, password_hash) values ($1, $2, $3, $4)', [
      userId,
      email,
      `${role} member`,
      hash,
    ]);
    await tx.query('insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)', [
      tenantId,
      userId,
      role,
    ]);
  });
  return { userId, email };
}

export interface LoggedIn {
  userId: string;
  sessionId: string;
  sessionToken: string;
  csrfToken: string;
  /** The Cookie header a browser would send back. */
  cookie: string;
  setCookie: string[];
}

/** Logs in through POST /v1/sessions and keeps the cookies, as a browser would. */
export async function login(
  app: ApiServer,
  email: string,
  password = TEST_PASSWORD,
  tenantId?: string,
): Promise<LoggedIn> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    payload: { email, password, ...(tenantId ? { tenantId } : {}) },
  });
  if (res.statusCode !== 201) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ userId: string; csrfToken: string }>();
  const raw = res.headers['set-cookie'];
  const setCookie = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const cookies = new Map(
    setCookie.map((c) => {
      const pair = c.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1))] as const;
    }),
  );
  const sessionToken = cookies.get('shoal_session') ?? '';
  const cookie = `shoal_session=${encodeURIComponent(sessionToken)}; shoal_csrf=${encodeURIComponent(body.csrfToken)}`;
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
  const sessionId = me.json<{ sessionId: string }>().sessionId;
  return { userId: body.userId, sessionId, sessionToken, csrfToken: body.csrfToken, cookie, setCookie };
}

/** Cookie credentials with the CSRF header, as the dashboard sends them. */
export const sessionCaller = (session: LoggedIn): Caller => ({
  headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
  actor: { type: 'user', id: session.userId },
});

/** A new member of `role` with a live session. */
export async function memberSession(ctx: FixtureContext, role: Role): Promise<LoggedIn & { email: string }> {
  const member = await addMember(ctx.db, ctx.tenant.tenantId, role);
  return { ...(await login(ctx.app, member.email)), email: member.email };
}

export async function createViewerKey(db: Database, tenant: TestTenant): Promise<string> {
  const created = await db.tenantTx(tenant.tenantId, (tx) =>
    createApiKey(tx, tenant.tenantId, {
      name: `fixture key ${randomUUID()}`,
      role: 'viewer',
      expiresAt: null,
      createdBy: { type: 'user', id: tenant.ownerUserId },
      granterRole: 'owner',
    }),
  );
  return created.apiKey.id;
}

/** An invite written straight through identity; its token is read back from the email outbox. */
export async function createInviteWithToken(
  db: Database,
  tenant: TestTenant,
  role: Role = 'viewer',
  email = uniqueEmail('invitee'),
): Promise<{ inviteId: string; email: string; token: string }> {
  const invite = await db.tenantTx(tenant.tenantId, (tx) =>
    createInvite(tx, tenant.tenantId, {
      email,
      role,
      ttlHours: 24,
      invitedBy: { type: 'user', id: tenant.ownerUserId },
      granterRole: 'owner',
      publicUrl: 'http://localhost:8080',
    }),
  );
  return { inviteId: invite.id, email, token: await inviteTokenFromOutbox(db, tenant.tenantId, email) };
}

/** The token in the newest invite email to `email`. */
export async function inviteTokenFromOutbox(db: Database, tenantId: string, email: string): Promise<string> {
  const result = await db.ownerTx((tx) =>
    tx.query<{ body: string }>(
      'select body from email_outbox where tenant_id = $1 and to_address = $2 order by created_at desc limit 1',
      [tenantId, email],
    ),
  );
  const token = /"token": "([^"]+)"/.exec(result.rows[0]?.body ?? '')?.[1];
  if (!token) throw new Error(`no invite email to ${email}`);
  return token;
}

async function sessionIdOf(db: Database, tenantId: string, userId: string): Promise<string> {
  const result = await db.ownerTx((tx) =>
    tx.query<{ id: string }>(
      'select id from sessions where tenant_id = $1 and user_id = $2 order by created_at desc limit 1',
      [tenantId, userId],
    ),
  );
  const id = result.rows[0]?.id;
  if (!id) throw new Error(`no session for ${userId}`);
  return id;
}

/** A small valid definition; `marker` ends up in its description and its transform's value. */
export const sampleDefinition = (name: string, marker = 'v1') => ({
  name,
  description: `sample ${marker}`,
  input: { type: 'object', properties: { n: { type: 'number' } } },
  steps: [
    { id: 'first', type: 'transform', with: { value: `{{ input.n + 1 }}` } },
    {
      id: 'second',
      type: 'transform',
      needs: ['first'],
      with: { value: { marker, n: '{{ steps.first.output }}' } },
    },
  ],
  output: '{{ steps.second.output }}',
});

/** A workflow with `versions` versions, published straight through the workflows layer. */
export async function createWorkflowFixture(
  db: Database,
  tenant: { tenantId: string },
  options: { name?: string; versions?: number; marker?: string } = {},
): Promise<{ name: string; id: string }> {
  const name = options.name ?? `wf-${randomUUID()}`;
  const stepTypes = createStepTypeRegistry(BUILTIN_STEP_TYPES);
  let id = '';
  for (let v = 1; v <= (options.versions ?? 2); v += 1) {
    const result = validateWorkflowDefinition(
      sampleDefinition(name, `${options.marker ?? 'fixture'} v${v}`),
      {
        stepTypes,
      },
    );
    if (!result.ok) throw new Error(`fixture workflow is invalid: ${JSON.stringify(result.problems)}`);
    const published = await db.tenantTx(tenant.tenantId, (tx) =>
      publishWorkflow(tx, tenant.tenantId, {
        definition: result.definition,
        contentHash: result.contentHash,
        source: JSON.stringify(result.definition),
        sourceFormat: 'json',
        createdBy: 'system:fixture',
      }),
    );
    id = published.workflow.id;
  }
  return { name, id };
}

/** A queued run of a fresh fixture workflow (no worker runs in these tests, so it stays queued). */
export async function createRunFixture(db: Database, tenant: { tenantId: string }): Promise<string> {
  const { name } = await createWorkflowFixture(db, tenant, { versions: 1 });
  const { runId } = await db.tenantTx(tenant.tenantId, (tx) =>
    startRun(tx, tenant.tenantId, { workflowName: name, input: {}, idempotencyKey: null }),
  );
  return runId;
}

/**
 * A run whose only step is an approval already parked (state written directly: no worker runs
 * in these tests). Returns the run id and the step key.
 */
export async function createWaitingApprovalFixture(
  db: Database,
  tenant: { tenantId: string },
): Promise<string> {
  const name = `approve-${randomUUID().slice(0, 8)}`;
  const result = validateWorkflowDefinition(
    { name, steps: [{ id: 'review', type: 'approval', with: { title: 'Ship it?' } }] },
    { stepTypes: createStepTypeRegistry(BUILTIN_STEP_TYPES) },
  );
  if (!result.ok) throw new Error(`approval fixture is invalid: ${JSON.stringify(result.problems)}`);
  await db.tenantTx(tenant.tenantId, (tx) =>
    publishWorkflow(tx, tenant.tenantId, {
      definition: result.definition,
      contentHash: result.contentHash,
      source: JSON.stringify(result.definition),
      sourceFormat: 'json',
      createdBy: 'system:fixture',
    }),
  );
  const { runId } = await db.tenantTx(tenant.tenantId, (tx) =>
    startRun(tx, tenant.tenantId, { workflowName: name, input: {}, idempotencyKey: null }),
  );
  await db.ownerTx(async (tx) => {
    await tx.query(`delete from step_queue where run_id = $1`, [runId]);
    await tx.query(
      `update run_steps set state = 'waiting', wait_reason = 'approval', attempt = 1, input = '{"title":"Ship it?"}'
        where run_id = $1`,
      [runId],
    );
    await tx.query(
      `insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id, ended_at, outcome)
       values ($1, $2, 'review', 1, 'fixture', now(), 'waiting')`,
      [tenant.tenantId, runId],
    );
    await tx.query(`update runs set state = 'running', started_at = now() where id = $1`, [runId]);
  });
  return runId;
}

/**
 * A run whose only step is a `task` step parked with its task on a fresh queue (state written
 * directly: no worker runs in these tests); `leased` hands the task to a worker with `token`.
 */
export async function createTaskFixture(
  db: Database,
  tenant: { tenantId: string },
  options: { leased?: boolean; queue?: string } = {},
): Promise<{ runId: string; taskId: string; queue: string; token: string }> {
  const queue = options.queue ?? `q-${randomUUID().slice(0, 8)}`;
  const name = `task-${randomUUID().slice(0, 8)}`;
  const result = validateWorkflowDefinition(
    { name, steps: [{ id: 'work', type: 'task', with: { queue } }] },
    { stepTypes: createStepTypeRegistry(BUILTIN_STEP_TYPES) },
  );
  if (!result.ok) throw new Error(`task fixture is invalid: ${JSON.stringify(result.problems)}`);
  await db.tenantTx(tenant.tenantId, (tx) =>
    publishWorkflow(tx, tenant.tenantId, {
      definition: result.definition,
      contentHash: result.contentHash,
      source: JSON.stringify(result.definition),
      sourceFormat: 'json',
      createdBy: 'system:fixture',
    }),
  );
  const { runId } = await db.tenantTx(tenant.tenantId, (tx) =>
    startRun(tx, tenant.tenantId, { workflowName: name, input: {}, idempotencyKey: null }),
  );
  const taskId = randomUUID();
  const token = `fixture-${randomUUID()}`;
  await db.ownerTx(async (tx) => {
    await tx.query(`delete from step_queue where run_id = $1`, [runId]);
    await tx.query(
      `update run_steps set state = 'waiting', wait_reason = 'task', attempt = 1, input = $2 where run_id = $1`,
      [runId, JSON.stringify({ queue })],
    );
    await tx.query(
      `insert into step_attempts (tenant_id, run_id, step_key, attempt, worker_id, ended_at, outcome)
       values ($1, $2, 'work', 1, 'fixture', now(), 'waiting')`,
      [tenant.tenantId, runId],
    );
    // Nothing of the run is ready or running: it is waiting, as parkStep leaves it.
    await tx.query(`update runs set state = 'waiting', started_at = now() where id = $1`, [runId]);
    await tx.query(
      `insert into tasks (tenant_id, id, queue, run_id, step_key, attempt, input, heartbeat_timeout_ms,
                          state, lease_token, lease_expires_at, worker_id, deliveries, delivered_at)
       values ($1, $2, $3, $4, 'work', 1, '{"n": 1}', 60000, $5, $6, $7, $8, $9, $10)`,
      options.leased
        ? [
            tenant.tenantId,
            taskId,
            queue,
            runId,
            'leased',
            token,
            new Date(Date.now() + 60_000),
            'fixture',
            1,
            new Date(),
          ]
        : [tenant.tenantId, taskId, queue, runId, 'queued', null, null, null, 0, null],
    );
  });
  return { runId, taskId, queue, token };
}

/** A tenant route called with the role's API key: the audit event names that key. */
const tenantCall = (
  ctx: FixtureContext,
  role: Role,
  call: { url: string; payload?: Record<string, unknown>; target?: (body: never) => ExpectedAudit['target'] },
  action?: string,
): PreparedCall => {
  const caller = apiKeyCaller(ctx.tenant, role);
  return {
    url: call.url,
    ...(call.payload ? { payload: call.payload } : {}),
    caller,
    ...(action
      ? {
          expectedAudit: async (body: unknown) => ({
            tenantId: ctx.tenant.tenantId,
            action,
            actor: caller.actor,
            target: call.target ? call.target(body as never) : null,
          }),
        }
      : {}),
  };
};

/** The operator token's caller (operator routes: no role, audited by the handler in tenants' chains). */
export const operatorCaller: Caller = {
  headers: bearer(TEST_OPERATOR_TOKEN),
  actor: { type: 'system', id: 'operator' },
};

/** A custom plan with the free plan's limits, made straight in the database; returns its name. */
export async function createPlanFixture(db: Database): Promise<string> {
  const name = `custom-${randomUUID().slice(0, 8)}`;
  await db.ownerTx((tx) =>
    tx.query(
      `insert into plans (name, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
                          max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days,
                          llm_tokens_per_minute)
       select $1, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
              max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days, llm_tokens_per_minute
         from plans where name = 'free'`,
      [name],
    ),
  );
  return name;
}

const PLAN_LIMITS = {
  weight: 3,
  guaranteedConcurrency: 4,
  burstCeiling: 20,
  runStartsPerMinute: 100,
  queuedRunsMax: 500,
  maxPayloadBytes: 65536,
  maxStepsPerRun: 50,
  logRetentionDays: 7,
  historyRetentionDays: 30,
  llmTokensPerMinute: 10000,
  llmRequestsPerMinute: 100,
};

/** Keyed by operationId; a route without an entry fails the route-walking tests. */
export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  health: async () => ({ url: '/healthz', caller: null }),
  ready: async () => ({ url: '/readyz', caller: null }),

  signup: async () => ({
    url: '/v1/signup',
    payload: {
      tenantName: `signup ${randomUUID()}`,
      name: 'New Owner',
      email: uniqueEmail('signup'),
      password: TEST_PASSWORD,
    },
    caller: null,
    expectedAudit: async (body) => {
      const b = body as { tenant: { id: string }; user: { id: string } };
      return {
        tenantId: b.tenant.id,
        action: 'tenant.create',
        actor: { type: 'user', id: b.user.id },
        target: { type: 'tenant', id: b.tenant.id },
      };
    },
  }),

  login: async (ctx) => {
    const member = await addMember(ctx.db, ctx.tenant.tenantId, 'viewer');
    return {
      url: '/v1/sessions',
      payload: { email: member.email, password: TEST_PASSWORD },
      caller: null,
      expectedAudit: async () => ({
        tenantId: ctx.tenant.tenantId,
        action: 'session.create',
        actor: { type: 'user', id: member.userId },
        target: { type: 'session', id: await sessionIdOf(ctx.db, ctx.tenant.tenantId, member.userId) },
      }),
    };
  },

  getMe: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/me' }),

  // Logging out needs a session, not an API key: a member of the role logs in first.
  logout: async (ctx, role) => {
    const session = await memberSession(ctx, role);
    const caller = sessionCaller(session);
    return {
      url: '/v1/sessions/current',
      caller,
      expectedAudit: async () => ({
        tenantId: ctx.tenant.tenantId,
        action: 'session.delete',
        actor: caller.actor,
        target: { type: 'session', id: session.sessionId },
      }),
    };
  },

  getTenant: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/tenant' }),

  getLiveUsage: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/tenant/usage/live' }),
  getUsage: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/usage?groupBy=model' }),
  getTenantObservability: async (ctx, role) =>
    tenantCall(ctx, role, { url: '/v1/tenant/observability?bucket=day' }),

  listPlans: async () => ({ url: '/v1/operator/plans', caller: operatorCaller }),
  getPlan: async () => ({ url: '/v1/operator/plans/team', caller: operatorCaller }),
  createPlan: async () => ({
    url: '/v1/operator/plans',
    payload: { name: `custom-${randomUUID().slice(0, 8)}`, ...PLAN_LIMITS },
    caller: operatorCaller,
  }),
  updatePlan: async (ctx) => ({
    url: `/v1/operator/plans/${await createPlanFixture(ctx.db)}`,
    payload: { weight: 5 },
    caller: operatorCaller,
  }),
  deletePlan: async (ctx) => ({
    url: `/v1/operator/plans/${await createPlanFixture(ctx.db)}`,
    caller: operatorCaller,
  }),
  getTenantLimits: async (ctx) => ({
    url: `/v1/operator/tenants/${ctx.tenant.tenantId}/limits`,
    caller: operatorCaller,
  }),
  changeTenantPlan: async (ctx) => ({
    url: `/v1/operator/tenants/${ctx.tenant.tenantId}/plan`,
    payload: { plan: 'free' },
    caller: operatorCaller,
  }),
  updateTenantLimits: async (ctx) => ({
    url: `/v1/operator/tenants/${ctx.tenant.tenantId}/limits`,
    payload: { llmTokensPerMinute: null },
    caller: operatorCaller,
  }),
  listLiveUsage: async () => ({ url: '/v1/operator/usage/live', caller: operatorCaller }),
  listPools: async () => ({ url: '/v1/operator/pools', caller: operatorCaller }),

  updateTenant: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/tenant',
        payload: { name: `renamed ${randomUUID()}` },
        target: () => ({ type: 'tenant', id: ctx.tenant.tenantId }),
      },
      'tenant.update',
    ),

  listMembers: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/members' }),

  updateMember: async (ctx, role) => {
    const member = await addMember(ctx.db, ctx.tenant.tenantId, 'viewer');
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/members/${member.userId}`,
        payload: { role: 'developer' },
        target: () => ({ type: 'user', id: member.userId }),
      },
      'members.update',
    );
  },

  removeMember: async (ctx, role) => {
    const member = await addMember(ctx.db, ctx.tenant.tenantId, 'viewer');
    return tenantCall(
      ctx,
      role,
      { url: `/v1/members/${member.userId}`, target: () => ({ type: 'user', id: member.userId }) },
      'members.remove',
    );
  },

  listInvites: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/invites' }),

  createInvite: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/invites',
        payload: { email: uniqueEmail('invitee'), role: 'viewer' },
        target: (body: { id: string }) => ({ type: 'invite', id: body.id }),
      },
      'invites.create',
    ),

  revokeInvite: async (ctx, role) => {
    const { inviteId } = await createInviteWithToken(ctx.db, ctx.tenant);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/invites/${inviteId}`, target: () => ({ type: 'invite', id: inviteId }) },
      'invites.revoke',
    );
  },

  acceptInvite: async (ctx) => {
    const { inviteId, token } = await createInviteWithToken(ctx.db, ctx.tenant);
    return {
      url: '/v1/invites/accept',
      payload: { token, password: TEST_PASSWORD, name: 'Invitee' },
      caller: null,
      expectedAudit: async (body) => ({
        tenantId: ctx.tenant.tenantId,
        action: 'invite.accept',
        actor: { type: 'user', id: (body as { userId: string }).userId },
        target: { type: 'invite', id: inviteId },
      }),
    };
  },

  listApiKeys: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/api-keys' }),

  getApiKey: async (ctx, role) => tenantCall(ctx, role, { url: `/v1/api-keys/${ctx.tenant.keyIds.viewer}` }),

  // Every role that may create keys may grant viewer.
  createApiKey: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/api-keys',
        payload: { name: `key ${randomUUID()}`, role: 'viewer' },
        target: (body: { apiKey: { id: string } }) => ({ type: 'api_key', id: body.apiKey.id }),
      },
      'api_keys.create',
    ),

  revokeApiKey: async (ctx, role) => {
    const keyId = await createViewerKey(ctx.db, ctx.tenant);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/api-keys/${keyId}`, target: () => ({ type: 'api_key', id: keyId }) },
      'api_keys.revoke',
    );
  },

  listAuditEvents: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/audit-events?limit=5' }),

  verifyAuditChain: async (ctx, role) =>
    tenantCall(ctx, role, { url: '/v1/audit-events/verify', target: () => null }, 'audit.verify'),

  publishWorkflow: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/workflows',
        payload: { definition: sampleDefinition(`wf-${randomUUID()}`) },
        target: (body: { workflow: { id: string } }) => ({ type: 'workflow', id: body.workflow.id }),
      },
      'workflows.write',
    ),

  listWorkflows: async (ctx, role) => {
    await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: '/v1/workflows?limit=5' });
  },

  getWorkflow: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: `/v1/workflows/${name}` });
  },

  listWorkflowVersions: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: `/v1/workflows/${name}/versions` });
  },

  getWorkflowVersion: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: `/v1/workflows/${name}/versions/1` });
  },

  diffWorkflowVersions: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: `/v1/workflows/${name}/diff?from=1&to=2` });
  },

  archiveWorkflow: async (ctx, role) => {
    const { name, id } = await createWorkflowFixture(ctx.db, ctx.tenant);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/workflows/${name}/archive`, target: () => ({ type: 'workflow', id }) },
      'workflows.archive',
    );
  },

  startRun: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant, { versions: 1 });
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/workflows/${name}/runs`,
        payload: { input: {} },
        target: (body: { run: { id: string } }) => ({ type: 'run', id: body.run.id }),
      },
      'runs.start',
    );
  },

  listRuns: async (ctx, role) => {
    await createRunFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: '/v1/runs?limit=5' });
  },

  getRun: async (ctx, role) => {
    const runId = await createRunFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, { url: `/v1/runs/${runId}` });
  },

  decideApproval: async (ctx, role) => {
    const runId = await createWaitingApprovalFixture(ctx.db, ctx.tenant);
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/runs/${runId}/steps/review/decision`,
        payload: { decision: 'approve', comment: 'fixture' },
        target: () => ({ type: 'run', id: runId }),
      },
      'runs.decide',
    );
  },

  retryRun: async (ctx, role) => {
    const runId = await createRunFixture(ctx.db, ctx.tenant);
    await ctx.db.tenantTx(ctx.tenant.tenantId, async (tx) => {
      await lockRun(tx, ctx.tenant.tenantId, runId);
      await failRun(tx, ctx.tenant.tenantId, runId, { code: 'FIXTURE', message: 'failed for the fixture' });
    });
    return tenantCall(
      ctx,
      role,
      { url: `/v1/runs/${runId}/retry`, target: () => ({ type: 'run', id: runId }) },
      'runs.retry',
    );
  },

  // Gateway calls are recorded in llm_calls, not audited (route.unaudited); simulated needs no key.
  createChatCompletion: async (ctx, role) =>
    tenantCall(ctx, role, {
      url: '/v1/chat/completions',
      payload: {
        model: 'simulated/sim-small',
        messages: [{ role: 'user', content: 'hello' }],
        max_tokens: 8,
      },
    }),
  createEmbeddings: async (ctx, role) =>
    tenantCall(ctx, role, {
      url: '/v1/embeddings',
      payload: { model: 'simulated/sim-embed', input: 'hello' },
    }),
  listModels: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/models' }),
  listLlmCalls: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/llm-calls?limit=5' }),

  // Poll and heartbeat are lease traffic, not audited (route.unaudited).
  pollTask: async (ctx, role) => {
    const { queue } = await createTaskFixture(ctx.db, ctx.tenant);
    return tenantCall(ctx, role, {
      url: `/v1/task-queues/${queue}/poll`,
      payload: { workerId: 'fixture-worker', waitMs: 0 },
    });
  },

  heartbeatTask: async (ctx, role) => {
    const { taskId, token } = await createTaskFixture(ctx.db, ctx.tenant, { leased: true });
    return tenantCall(ctx, role, { url: `/v1/tasks/${taskId}/heartbeat`, payload: { token } });
  },

  completeTask: async (ctx, role) => {
    const { taskId, token } = await createTaskFixture(ctx.db, ctx.tenant, { leased: true });
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/tasks/${taskId}/complete`,
        payload: { token, output: { ok: true } },
        target: () => ({ type: 'task', id: taskId }),
      },
      'tasks.work',
    );
  },

  failTask: async (ctx, role) => {
    const { taskId, token } = await createTaskFixture(ctx.db, ctx.tenant, { leased: true });
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/tasks/${taskId}/fail`,
        payload: { token, error: { code: 'FIXTURE', message: 'failed for the fixture' }, retryable: false },
        target: () => ({ type: 'task', id: taskId }),
      },
      'tasks.work',
    );
  },

  cancelRun: async (ctx, role) => {
    const runId = await createRunFixture(ctx.db, ctx.tenant);
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/runs/${runId}/cancel`,
        payload: { reason: 'fixture' },
        target: () => ({ type: 'run', id: runId }),
      },
      'runs.cancel',
    );
  },

  enableWebhook: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant, { versions: 1 });
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/workflows/${name}/webhook`,
        target: (body: { webhook: { id: string } }) => ({ type: 'webhook', id: body.webhook.id }),
      },
      'webhooks.write',
    );
  },

  getWebhook: async (ctx, role) => {
    const { name } = await createWebhookFixture(ctx);
    return tenantCall(ctx, role, { url: `/v1/workflows/${name}/webhook` });
  },

  rotateWebhookSecret: async (ctx, role) => {
    const { name, id } = await createWebhookFixture(ctx);
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/workflows/${name}/webhook/rotate`,
        payload: { previousSecretValidSeconds: 60 },
        target: () => ({ type: 'webhook', id }),
      },
      'webhooks.write',
    );
  },

  disableWebhook: async (ctx, role) => {
    const { name, id } = await createWebhookFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/workflows/${name}/webhook`, target: () => ({ type: 'webhook', id }) },
      'webhooks.write',
    );
  },

  deliverWebhook: async (ctx) => {
    const { id, secret } = await createWebhookFixture(ctx);
    const payload = { n: 41 };
    const actor: Actor = { type: 'anonymous', id: `webhook:${id}` };
    return {
      url: `/v1/hooks/${id}`,
      payload,
      caller: {
        headers: {
          'shoal-signature': webhookSignatureHeader(
            secret,
            Math.floor(Date.now() / 1000),
            JSON.stringify(payload),
          ),
        },
        actor,
      },
      expectedAudit: async (body) => ({
        tenantId: ctx.tenant.tenantId,
        action: 'webhooks.deliver',
        actor,
        target: { type: 'run', id: (body as { runId: string }).runId },
      }),
    };
  },

  createSchedule: async (ctx, role) => {
    const { name } = await createWorkflowFixture(ctx.db, ctx.tenant, { versions: 1 });
    return tenantCall(
      ctx,
      role,
      {
        url: '/v1/schedules',
        payload: { workflow: name, cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', input: { n: 1 } },
        target: (body: { id: string }) => ({ type: 'schedule', id: body.id }),
      },
      'schedules.write',
    );
  },

  listSchedules: async (ctx, role) => {
    await createScheduleFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/schedules?limit=5' });
  },

  getSchedule: async (ctx, role) => {
    const id = await createScheduleFixture(ctx);
    return tenantCall(ctx, role, { url: `/v1/schedules/${id}` });
  },

  updateSchedule: async (ctx, role) => {
    const id = await createScheduleFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/schedules/${id}`, payload: { paused: true }, target: () => ({ type: 'schedule', id }) },
      'schedules.write',
    );
  },

  deleteSchedule: async (ctx, role) => {
    const id = await createScheduleFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/schedules/${id}`, target: () => ({ type: 'schedule', id }) },
      'schedules.write',
    );
  },

  sendEvent: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/events',
        payload: { name: 'fixture.sent', payload: { n: 1 } },
        target: (body: { event: { id: string } }) => ({ type: 'event', id: body.event.id }),
      },
      'events.send',
    ),

  listEvents: async (ctx, role) => {
    await sendEventFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/events?limit=5' });
  },

  getEvent: async (ctx, role) => {
    const id = await sendEventFixture(ctx);
    return tenantCall(ctx, role, { url: `/v1/events/${id}` });
  },

  listProviderKeys: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/provider-keys' }),

  // A fresh provider each time, so every allowed role creates (201) rather than replaces.
  putProviderKey: async (ctx, role) => {
    const provider = await createProviderFixture(ctx.db);
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/provider-keys/${provider}`,
        payload: { apiKey: `sk-fixture-${randomUUID()}` },
        target: () => ({ type: 'provider_key', id: provider }),
      },
      'provider_keys.write',
    );
  },

  deleteProviderKey: async (ctx, role) => {
    const provider = await createProviderKeyFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/provider-keys/${provider}`, target: () => ({ type: 'provider_key', id: provider }) },
      'provider_keys.write',
    );
  },

  listPlatformProviders: async () => ({ url: '/v1/operator/providers', caller: operatorCaller }),
  putPlatformProvider: async () => ({
    url: `/v1/operator/providers/fx-${randomUUID().slice(0, 8)}`,
    payload: { kind: 'openai', baseUrl: 'https://llm.fixture.test/v1', apiKey: 'sk-fixture-platform' },
    caller: operatorCaller,
  }),
  deletePlatformProvider: async (ctx) => ({
    url: `/v1/operator/providers/${await createProviderFixture(ctx.db)}`,
    caller: operatorCaller,
  }),

  // Model aliases and prices (gateway): each call gets its own alias, model or price moment.
  listModelAliases: async (ctx, role) => {
    await createAliasFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/model-aliases' });
  },

  getModelAlias: async (ctx, role) =>
    tenantCall(ctx, role, { url: `/v1/model-aliases/${await createAliasFixture(ctx)}` }),

  putModelAlias: async (ctx, role) => {
    const name = `fx-${randomUUID().slice(0, 8)}`;
    return tenantCall(
      ctx,
      role,
      {
        url: `/v1/model-aliases/${name}`,
        payload: {
          candidates: [{ model: 'simulated/sim-small' }, { model: 'openai/gpt-4.1-mini', tier: 2 }],
        },
        target: () => ({ type: 'model_alias', id: name }),
      },
      'model_aliases.write',
    );
  },

  deleteModelAlias: async (ctx, role) => {
    const name = await createAliasFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/model-aliases/${name}`, target: () => ({ type: 'model_alias', id: name }) },
      'model_aliases.write',
    );
  },

  listModelPrices: async (ctx, role) =>
    tenantCall(ctx, role, { url: '/v1/model-prices?at=2025-06-01T00:00:00Z' }),

  putModelPrice: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/model-prices/openai/gpt-4.1-mini',
        payload: { inputUsdPerMtok: '0.3', outputUsdPerMtok: 1.2, effectiveFrom: fixtureMoment() },
        target: () => ({ type: 'model_price', id: 'openai/gpt-4.1-mini' }),
      },
      'model_prices.write',
    ),

  deleteModelPrices: async (ctx, role) => {
    const ref = await createTenantPriceFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/model-prices/${ref}`, target: () => ({ type: 'model_price', id: ref }) },
      'model_prices.write',
    );
  },

  // Budgets (metering): each call gets its own budget, with a fresh name.
  listBudgets: async (ctx, role) => {
    await createBudgetFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/budgets' });
  },

  getBudget: async (ctx, role) =>
    tenantCall(ctx, role, { url: `/v1/budgets/${await createBudgetFixture(ctx)}` }),

  createBudget: async (ctx, role) =>
    tenantCall(
      ctx,
      role,
      {
        url: '/v1/budgets',
        payload: {
          name: `fx-${randomUUID().slice(0, 8)}`,
          scope: 'tenant',
          period: 'monthly',
          limitUsd: '1000',
          kind: 'soft',
        },
        target: (body: { id: string }) => ({ type: 'budget', id: body.id }),
      },
      'budgets.write',
    ),

  updateBudget: async (ctx, role) => {
    const id = await createBudgetFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/budgets/${id}`, payload: { limitUsd: 2000 }, target: () => ({ type: 'budget', id }) },
      'budgets.write',
    );
  },

  deleteBudget: async (ctx, role) => {
    const id = await createBudgetFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/budgets/${id}`, target: () => ({ type: 'budget', id }) },
      'budgets.write',
    );
  },

  // Statements and plan pricing (docs/adr/0008-billing.md): the current month is a draft on the
  // free plan's seeded pricing; pricing is set on a fresh custom plan, in a month far ahead.
  listStatements: async (ctx, role) => tenantCall(ctx, role, { url: '/v1/statements' }),
  getStatement: async (ctx, role) =>
    tenantCall(ctx, role, { url: `/v1/statements/${new Date().toISOString().slice(0, 7)}` }),
  listPlanPricing: async () => ({ url: '/v1/operator/plans/team/pricing', caller: operatorCaller }),
  setPlanPricing: async (ctx) => ({
    url: `/v1/operator/plans/${await createPlanFixture(ctx.db)}/pricing`,
    payload: {
      effectiveFrom: `${randomInt(2200, 3000)}-${String(randomInt(1, 13)).padStart(2, '0')}`,
      basePriceMicroUsd: 1_000_000,
      meters: {
        ...Object.fromEntries(
          ['llm_tokens', 'runs_started', 'steps_executed', 'worker_seconds'].map((meter) => [
            meter,
            { included: 0, per: 1000, tiers: [{ upTo: null, unitPriceMicroUsd: 1000 }] },
          ]),
        ),
        llm_cost: { includedMicroUsd: 0, markupBps: 0 },
      },
    },
    caller: operatorCaller,
  }),

  // Budget alerts, alert webhooks and forecasts (docs/adr/0009-budget-alerts.md).
  listAlerts: async (ctx, role) => {
    await createAlertFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/alerts?limit=5' });
  },

  acknowledgeAlert: async (ctx, role) => {
    const id = await createAlertFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/alerts/${id}/acknowledge`, target: () => ({ type: 'budget_alert', id }) },
      'alerts.write',
    );
  },

  listAlertWebhooks: async (ctx, role) => {
    await createAlertWebhookFixture(ctx);
    return tenantCall(ctx, role, { url: '/v1/alert-webhooks' });
  },

  createAlertWebhook: async (ctx, role) => {
    // Fixtures add webhooks past the per-tenant limit straight in the database: start afresh.
    await ctx.db.ownerTx((tx) =>
      tx.query('delete from alert_webhooks where tenant_id = $1', [ctx.tenant.tenantId]),
    );
    return tenantCall(
      ctx,
      role,
      {
        url: '/v1/alert-webhooks',
        payload: { url: 'https://hooks.example.test/shoal' },
        target: (body: { webhook: { id: string } }) => ({ type: 'alert_webhook', id: body.webhook.id }),
      },
      'alert_webhooks.write',
    );
  },

  getAlertWebhook: async (ctx, role) =>
    tenantCall(ctx, role, { url: `/v1/alert-webhooks/${await createAlertWebhookFixture(ctx)}` }),

  deleteAlertWebhook: async (ctx, role) => {
    const id = await createAlertWebhookFixture(ctx);
    return tenantCall(
      ctx,
      role,
      { url: `/v1/alert-webhooks/${id}`, target: () => ({ type: 'alert_webhook', id }) },
      'alert_webhooks.write',
    );
  },

  getForecast: async (ctx, role) =>
    tenantCall(ctx, role, { url: `/v1/forecast?budgetId=${await createBudgetFixture(ctx)}` }),

  listCatalogModels: async () => ({ url: '/v1/operator/models', caller: operatorCaller }),
  putCatalogModel: async () => ({
    url: `/v1/operator/models/simulated/fx-${randomUUID().slice(0, 8)}:1.0`,
    payload: { kind: 'chat', contextTokens: 4096 },
    caller: operatorCaller,
  }),
  addCatalogPrice: async () => ({
    url: '/v1/operator/models/simulated/sim-small/prices',
    payload: { inputUsdPerMtok: '0.2', outputUsdPerMtok: '0.8', effectiveFrom: fixtureMoment() },
    caller: operatorCaller,
  }),
};

/** An enabled OpenAI-compatible provider with a fresh name, made straight in the database. */
async function createProviderFixture(db: Database): Promise<string> {
  const name = `fx-${randomUUID().slice(0, 8)}`;
  await db.ownerTx((tx) =>
    tx.query(
      `insert into llm_providers (name, kind, base_url) values ($1, 'openai', 'https://llm.fixture.test/v1')`,
      [name],
    ),
  );
  return name;
}

/** A fresh provider with a key of the tenant, stored through the API by the owner. */
async function createProviderKeyFixture(ctx: FixtureContext): Promise<string> {
  const provider = await createProviderFixture(ctx.db);
  const res = await ctx.app.inject({
    method: 'PUT',
    url: `/v1/provider-keys/${provider}`,
    headers: bearer(ctx.tenant.keys.owner),
    payload: { apiKey: `sk-fixture-${randomUUID()}` },
  });
  if (res.statusCode !== 201) throw new Error(`provider key fixture: ${res.statusCode} ${res.body}`);
  return provider;
}

/** A moment far in the future, different on every call: a price starting then is new and not in effect. */
const fixtureMoment = () => new Date(Date.UTC(2200, 0, 1) + randomInt(0, 2 ** 47)).toISOString();

/** A model alias made through the API by the owner; returns its name. */
async function createAliasFixture(ctx: FixtureContext): Promise<string> {
  const name = `fx-${randomUUID().slice(0, 8)}`;
  const res = await ctx.app.inject({
    method: 'PUT',
    url: `/v1/model-aliases/${name}`,
    headers: bearer(ctx.tenant.keys.owner),
    payload: { candidates: [{ model: 'simulated/sim-small' }] },
  });
  if (res.statusCode !== 201) throw new Error(`alias fixture: ${res.statusCode} ${res.body}`);
  return name;
}

/** A soft budget of the tenant made through the API by the owner; returns its id. */
async function createBudgetFixture(ctx: FixtureContext): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/budgets',
    headers: bearer(ctx.tenant.keys.owner),
    payload: {
      name: `fx-${randomUUID().slice(0, 8)}`,
      scope: 'tenant',
      period: 'monthly',
      limitUsd: '1000',
      kind: 'soft',
    },
  });
  if (res.statusCode !== 201) throw new Error(`budget fixture: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** A threshold alert of a new budget, written straight to the database; returns its id. */
async function createAlertFixture(ctx: FixtureContext): Promise<string> {
  const budgetId = await createBudgetFixture(ctx);
  const id = randomUUID();
  await ctx.db.ownerTx((tx) =>
    tx.query(
      `insert into budget_alerts (tenant_id, id, budget_id, budget_name, kind, threshold, period_start, period_end,
                                  limit_micro_usd, spent_micro_usd)
       values ($1, $2, $3, 'fx', 'threshold', 50, date_trunc('month', now()), date_trunc('month', now()) + interval '1 month',
               1000000000, 500000000)`,
      [ctx.tenant.tenantId, id, budgetId],
    ),
  );
  return id;
}

/** An alert webhook written straight to the database (past the per-tenant limit); returns its id. */
async function createAlertWebhookFixture(ctx: FixtureContext): Promise<string> {
  const id = randomUUID();
  await ctx.db.ownerTx((tx) =>
    tx.query(
      `insert into alert_webhooks (tenant_id, id, url, secret_sealed, secret_fingerprint, created_by)
       values ($1, $2, 'https://hooks.example.test/fx', 'not-sealed', 'sha256:fixture', 'fixture')`,
      [ctx.tenant.tenantId, id],
    ),
  );
  return id;
}

/** A new catalog model with a price of the tenant's own, set through the API; returns provider/model. */
async function createTenantPriceFixture(ctx: FixtureContext): Promise<string> {
  const ref = `simulated/fx-${randomUUID().slice(0, 8)}`;
  const model = await ctx.app.inject({
    method: 'PUT',
    url: `/v1/operator/models/${ref}`,
    headers: operatorCaller.headers,
    payload: { kind: 'chat', contextTokens: 4096 },
  });
  if (model.statusCode !== 201) throw new Error(`model fixture: ${model.statusCode} ${model.body}`);
  const res = await ctx.app.inject({
    method: 'PUT',
    url: `/v1/model-prices/${ref}`,
    headers: bearer(ctx.tenant.keys.owner),
    payload: { inputUsdPerMtok: '1', outputUsdPerMtok: '2' },
  });
  if (res.statusCode !== 200) throw new Error(`price fixture: ${res.statusCode} ${res.body}`);
  return ref;
}

/** A fixture workflow with its webhook enabled through the API by the owner. */
async function createWebhookFixture(
  ctx: FixtureContext,
): Promise<{ name: string; id: string; secret: string }> {
  const { name } = await createWorkflowFixture(ctx.db, ctx.tenant, { versions: 1 });
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/workflows/${name}/webhook`,
    headers: bearer(ctx.tenant.keys.owner),
  });
  if (res.statusCode !== 201) throw new Error(`webhook fixture: ${res.statusCode} ${res.body}`);
  const body = res.json<{ webhook: { id: string }; secret: string }>();
  return { name, id: body.webhook.id, secret: body.secret };
}

/** A schedule of a fixture workflow, made through the API by the owner; returns its id. */
async function createScheduleFixture(ctx: FixtureContext): Promise<string> {
  const { name } = await createWorkflowFixture(ctx.db, ctx.tenant, { versions: 1 });
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/schedules',
    headers: bearer(ctx.tenant.keys.owner),
    payload: { workflow: name, cron: '*/5 * * * *' },
  });
  if (res.statusCode !== 201) throw new Error(`schedule fixture: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

/** An event sent through the API by the owner; returns its id. */
async function sendEventFixture(ctx: FixtureContext): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: bearer(ctx.tenant.keys.owner),
    payload: { name: 'fixture.listed', payload: {} },
  });
  if (res.statusCode !== 201) throw new Error(`event fixture: ${res.statusCode} ${res.body}`);
  return res.json<{ event: { id: string } }>().event.id;
}

/** The fixture of a route; throws (failing the test) when a route in ROUTES has none. */
export function fixtureFor(route: AnyRoute): RouteFixture {
  const fixture = ROUTE_FIXTURES[route.operationId];
  if (!fixture) {
    throw new Error(
      `No fixture for ${route.method} ${route.url} (${route.operationId}) in test/support/route-fixtures.ts`,
    );
  }
  return fixture;
}

/** The operationIds in ROUTES that have no fixture. */
export const routesWithoutFixture = (routes: readonly AnyRoute[]): string[] =>
  routes.filter((route) => !ROUTE_FIXTURES[route.operationId]).map((route) => route.operationId);

/** Fixtures whose operationId is no longer in ROUTES (renamed or removed routes). */
export const fixturesWithoutRoute = (routes: readonly AnyRoute[]): string[] =>
  Object.keys(ROUTE_FIXTURES).filter((id) => !routes.some((route) => route.operationId === id));
