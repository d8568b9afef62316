import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import { ROLES, type Role } from '../../src/identity/index.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { sampleDefinition } from '../support/route-fixtures.ts';

/**
 * Randomised cross-tenant probing through the HTTP API: many tenants whose every object carries
 * a per-tenant marker, then thousands of calls aimed at ids drawn from all tenants. A foreign id
 * must look exactly like an id that does not exist (404 NOT_FOUND, never 403), and no response
 * may carry another tenant's marker or ids. Rerun a failure with SHOAL_TEST_SEED=<seed>.
 */

const TENANT_COUNT = 20;
const CALLS = 5000;
const CONCURRENCY = 8;
const EXTRA_KEYS = 3;
const INVITES = 4;
const ACCEPTED_INVITES = 2;
const WORKFLOWS = 2;
const SEED = TEST_SEED;

/** Markers are `tm<2 digits><6 letters g-z>`: no hex digit run, uuid or hash can contain one. */
const MARKER_PATTERN = /tm\d{2}[g-z]{6}/g;
const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

interface World {
  index: number;
  marker: string;
  seed: TestTenant;
  /** Every API key id; the caller keys (owner, admin, developer) are never revoked by their own tenant. */
  keyIds: string[];
  callerKeyIds: Set<string>;
  inviteIds: string[];
  memberIds: string[];
  /** Names carry the tenant's marker, so a leaked name is caught like any marker. */
  workflowNames: string[];
  workflowIds: string[];
}

type IdOp =
  | 'getKey'
  | 'revokeKey'
  | 'revokeInvite'
  | 'patchMember'
  | 'deleteMember'
  | 'getWorkflow'
  | 'listWorkflowVersions'
  | 'getWorkflowVersion'
  | 'diffWorkflow'
  | 'archiveWorkflow';
const ID_OPS: readonly IdOp[] = [
  'getKey',
  'revokeKey',
  'revokeInvite',
  'patchMember',
  'deleteMember',
  'getWorkflow',
  'listWorkflowVersions',
  'getWorkflowVersion',
  'diffWorkflow',
  'archiveWorkflow',
];
const LISTS = [
  '/v1/api-keys',
  '/v1/invites',
  '/v1/members',
  '/v1/tenant',
  '/v1/audit-events?limit=100',
  '/v1/workflows?archived=include',
] as const;

interface Call {
  n: number;
  caller: World;
  role: Role;
  method: 'GET' | 'DELETE' | 'PATCH' | 'POST';
  url: string;
  payload?: { role: Role };
  /** The tenant owning the id in the url; null for list calls. */
  target: World | null;
  op: IdOp | 'list';
}

interface JsonResponse {
  statusCode: number;
  body: string;
}

const errorCode = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

describe('cross-tenant isolation through the HTTP API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  const worlds: World[] = [];
  /** marker or id → index of the tenant that owns it */
  const ownerOf = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    const random = createRandom(SEED ^ 0x9e3779b9);
    for (let index = 0; index < TENANT_COUNT; index += 1) {
      const letters = Array.from({ length: 6 }, () => 'ghijklmnopqrstuvwxyz'[random.int(20)]).join('');
      const marker = `tm${String(index).padStart(2, '0')}${letters}`;
      const seed = await seedTenant(t.db, `${marker} corp`);
      const world: World = {
        index,
        marker,
        seed,
        keyIds: Object.values(seed.keyIds),
        callerKeyIds: new Set([seed.keyIds.owner, seed.keyIds.admin, seed.keyIds.developer]),
        inviteIds: [],
        memberIds: [seed.ownerUserId],
        workflowNames: [],
        workflowIds: [],
      };
      const as = bearer(seed.keys.owner);
      for (let k = 0; k < EXTRA_KEYS; k += 1) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: as,
          payload: {
            name: `${marker} extra key ${k}`,
            role: random.pick(['developer', 'viewer', 'operator'] as const),
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        world.keyIds.push(res.json<{ apiKey: { id: string } }>().apiKey.id);
      }
      for (let k = 0; k < INVITES; k += 1) {
        const email = `inv-${marker}-${k}@example.test`;
        const res = await app.inject({
          method: 'POST',
          url: '/v1/invites',
          headers: as,
          payload: { email, role: random.pick(['admin', 'developer', 'viewer', 'billing'] as const) },
        });
        expect(res.statusCode, res.body).toBe(201);
        world.inviteIds.push(res.json<{ id: string }>().id);
        if (k < ACCEPTED_INVITES) {
          const mail = await t.db.ownerTx((tx) =>
            tx.query<{ body: string }>('select body from email_outbox where to_address = $1', [email]),
          );
          const token = /"token": "([^"]+)"/.exec(mail.rows[0]?.body ?? '')?.[1];
          if (!token) throw new Error(`no invite token mailed to ${email}`);
          const accepted = await app.inject({
            method: 'POST',
            url: '/v1/invites/accept',
            payload: { token, password: 'correct horse battery staple', name: `${marker} member ${k}` },
          });
          expect(accepted.statusCode, accepted.body).toBe(200);
          world.memberIds.push(accepted.json<{ userId: string }>().userId);
        }
      }
      for (let k = 0; k < WORKFLOWS; k += 1) {
        const name = `${marker}-flow-${k}`;
        for (const version of ['one', 'two']) {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/workflows',
            headers: as,
            payload: { definition: sampleDefinition(name, `${marker} ${version}`) },
          });
          expect(res.statusCode, res.body).toBe(200);
          if (version === 'one') world.workflowIds.push(res.json<{ workflow: { id: string } }>().workflow.id);
        }
        world.workflowNames.push(name);
      }
      const renamed = await app.inject({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: as,
        payload: { name: `${marker} renamed` },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      worlds.push(world);
      for (const id of [
        marker,
        seed.tenantId,
        ...world.keyIds,
        ...world.inviteIds,
        ...world.memberIds,
        ...world.workflowIds,
      ])
        ownerOf.set(id, index);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  /** Everything in a response that belongs to a tenant other than the caller's. */
  function foreignThings(caller: World, body: string): string[] {
    const text = body.toLowerCase();
    const found = new Set<string>();
    for (const pattern of [MARKER_PATTERN, UUID_PATTERN]) {
      for (const [match] of text.matchAll(pattern)) {
        const owner = ownerOf.get(match);
        if (owner !== undefined && owner !== caller.index) found.add(`${match} (tenant ${owner})`);
      }
    }
    return [...found];
  }

  function planCalls(): Call[] {
    const random = createRandom(SEED);
    const calls: Call[] = [];
    for (let n = 0; n < CALLS; n += 1) {
      const caller = random.pick(worlds);
      if (random.next() < 0.2) {
        calls.push({
          n,
          caller,
          role: 'owner',
          method: 'GET',
          url: random.pick(LISTS),
          target: null,
          op: 'list',
        });
        continue;
      }
      let op = random.pick(ID_OPS);
      const target = random.pick(worlds);
      const own = target === caller;
      // Keep the caller's own data alive: never revoke its caller keys, never remove its members.
      if (own && op === 'deleteMember') op = 'patchMember';
      const keyRoles: readonly Role[] = ['owner', 'admin', 'developer'];
      const memberRoles: readonly Role[] = ['owner', 'admin'];
      switch (op) {
        case 'getKey':
        case 'revokeKey': {
          const pool =
            own && op === 'revokeKey'
              ? target.keyIds.filter((id) => !target.callerKeyIds.has(id))
              : target.keyIds;
          const id = random.pick(pool);
          calls.push({
            n,
            caller,
            role: random.pick(keyRoles),
            method: op === 'getKey' ? 'GET' : 'DELETE',
            url: `/v1/api-keys/${id}`,
            target,
            op,
          });
          break;
        }
        case 'revokeInvite':
          calls.push({
            n,
            caller,
            role: random.pick(memberRoles),
            method: 'DELETE',
            url: `/v1/invites/${random.pick(target.inviteIds)}`,
            target,
            op,
          });
          break;
        case 'patchMember':
          calls.push({
            n,
            caller,
            role: random.pick(memberRoles),
            method: 'PATCH',
            url: `/v1/members/${random.pick(target.memberIds)}`,
            payload: { role: random.pick(ROLES) },
            target,
            op,
          });
          break;
        case 'getWorkflow':
        case 'listWorkflowVersions':
        case 'getWorkflowVersion':
        case 'diffWorkflow':
        case 'archiveWorkflow': {
          const name = random.pick(target.workflowNames);
          const paths: Record<typeof op, string> = {
            getWorkflow: '',
            listWorkflowVersions: '/versions',
            getWorkflowVersion: `/versions/${1 + random.int(2)}`,
            diffWorkflow: '/diff?from=1&to=2',
            archiveWorkflow: '/archive',
          };
          calls.push({
            n,
            caller,
            role: random.pick(keyRoles),
            method: op === 'archiveWorkflow' ? 'POST' : 'GET',
            url: `/v1/workflows/${name}${paths[op]}`,
            target,
            op,
          });
          break;
        }
        case 'deleteMember':
          calls.push({
            n,
            caller,
            role: random.pick(memberRoles),
            method: 'DELETE',
            url: `/v1/members/${random.pick(target.memberIds)}`,
            target,
            op,
          });
          break;
      }
    }
    return calls;
  }

  /** What is wrong with one response, or an empty list. */
  function check(call: Call, res: JsonResponse): string[] {
    const problems = foreignThings(call.caller, res.body).map((thing) => `leaks ${thing}`);
    const code = errorCode(res.body);
    if (call.target && call.target !== call.caller) {
      if (res.statusCode !== 404 || code !== 'NOT_FOUND')
        problems.push(`foreign id answered ${res.statusCode} ${code ?? ''}`);
    } else if (call.target) {
      // The caller's own objects exist: success, or a rule of its own tenant (grants, last owner).
      const allowed =
        res.statusCode === 200 ||
        res.statusCode === 204 ||
        (res.statusCode === 403 && code === 'ROLE_NOT_GRANTABLE') ||
        (res.statusCode === 409 && code === 'LAST_OWNER');
      if (!allowed) problems.push(`own id answered ${res.statusCode} ${code ?? ''}`);
    } else {
      if (res.statusCode !== 200) problems.push(`list answered ${res.statusCode} ${code ?? ''}`);
      else problems.push(...checkList(call, res.body));
    }
    return problems;
  }

  function checkList(call: Call, body: string): string[] {
    const me = call.caller;
    const json = JSON.parse(body) as { id?: string; data?: Record<string, unknown>[] };
    const outsiders = (ids: unknown[], known: string[]) =>
      ids.filter((id) => typeof id !== 'string' || !known.includes(id));
    const path = call.url.split('?')[0];
    const wrong =
      path === '/v1/tenant'
        ? json.id === me.seed.tenantId
          ? []
          : [json.id]
        : path === '/v1/api-keys'
          ? outsiders(
              (json.data ?? []).map((row) => row.id),
              me.keyIds,
            )
          : path === '/v1/invites'
            ? outsiders(
                (json.data ?? []).map((row) => row.id),
                me.inviteIds,
              )
            : path === '/v1/members'
              ? outsiders(
                  (json.data ?? []).map((row) => row.userId),
                  me.memberIds,
                )
              : path === '/v1/workflows'
                ? outsiders(
                    (json.data ?? []).map((row) => row.id),
                    me.workflowIds,
                  )
                : outsiders(
                    (json.data ?? []).map((row) => row.tenantId),
                    [me.seed.tenantId],
                  );
    return wrong.length === 0
      ? []
      : [`list has rows that are not the caller's: ${wrong.slice(0, 3).join(', ')}`];
  }

  // Thousands of requests: well under a minute on PGlite, but give a loaded machine room.
  it(
    "no tenant can read, revoke, change or even detect another tenant's keys, invites, members or workflows",
    { timeout: 180_000 },
    async () => {
      onTestFailed(() => {
        console.error(`cross-tenant seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
      });
      const calls = planCalls();
      const violations: string[] = [];
      const outcomes = { foreign: 0, own: 0, ownSucceeded: 0, list: 0 };
      let cursor = 0;
      const worker = async () => {
        for (let call = calls[cursor++]; call; call = calls[cursor++]) {
          const res = await app.inject({
            method: call.method,
            url: call.url,
            headers: bearer(call.caller.seed.keys[call.role]),
            ...(call.payload ? { payload: call.payload } : {}),
          });
          for (const problem of check(call, res)) {
            violations.push(
              `#${call.n} tenant ${call.caller.index} as ${call.role}: ${call.method} ${call.url} → ${problem}`,
            );
          }
          if (!call.target) outcomes.list += 1;
          else if (call.target !== call.caller) outcomes.foreign += 1;
          else {
            outcomes.own += 1;
            if (res.statusCode < 300) outcomes.ownSucceeded += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(violations.slice(0, 30), `seed ${SEED}: ${violations.length} violations`).toEqual([]);
      expect(outcomes.foreign + outcomes.own + outcomes.list).toBe(CALLS);
      expect(outcomes.foreign, `seed ${SEED}`).toBeGreaterThan(CALLS / 2);
      expect(outcomes.list, `seed ${SEED}`).toBeGreaterThan(CALLS / 10);
      expect(outcomes.ownSucceeded, `seed ${SEED}`).toBeGreaterThan(0);
    },
  );

  it("every tenant's data survived the other tenants' attempts", async () => {
    onTestFailed(() => {
      console.error(`cross-tenant seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
    });
    for (const world of worlds) {
      const as = bearer(world.seed.keys.owner);
      const tenant = await app.inject({ method: 'GET', url: '/v1/tenant', headers: as });
      expect(tenant.json()).toMatchObject({ id: world.seed.tenantId, name: `${world.marker} renamed` });
      const keys = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: as });
      const keyRows = keys.json<{ data: { id: string; revokedAt: string | null }[] }>().data;
      expect(keyRows.map((k) => k.id).sort()).toEqual([...world.keyIds].sort());
      // Caller keys are only ever revoked by another tenant, which must never work.
      expect(keyRows.filter((k) => world.callerKeyIds.has(k.id) && k.revokedAt !== null)).toEqual([]);
      const members = await app.inject({ method: 'GET', url: '/v1/members', headers: as });
      expect(
        members
          .json<{ data: { userId: string }[] }>()
          .data.map((m) => m.userId)
          .sort(),
      ).toEqual([...world.memberIds].sort());
      const invites = await app.inject({ method: 'GET', url: '/v1/invites', headers: as });
      expect(
        invites
          .json<{ data: { id: string }[] }>()
          .data.map((i) => i.id)
          .sort(),
      ).toEqual([...world.inviteIds].sort());
      const workflows = await app.inject({
        method: 'GET',
        url: '/v1/workflows?archived=include',
        headers: as,
      });
      expect(
        workflows
          .json<{ data: { id: string; latestVersion: number }[] }>()
          .data.map((w) => `${w.id} v${w.latestVersion}`)
          .sort(),
      ).toEqual(world.workflowIds.map((id) => `${id} v2`).sort());
    }
  });
});
