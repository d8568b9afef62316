import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ApiServer } from '../../src/api/index.ts';
import type { Database, Queryable } from '../../src/db/index.ts';
import { RUN_STATES, startWorker } from '../../src/engine/index.ts';
import { isAllowed, ROLES, type Action, type Role } from '../../src/identity/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { createBuiltinExecutors } from '../../src/steps/index.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { bearer, createTestApp, seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/**
 * Randomised cross-tenant probing of the engine's resources through the HTTP API. Every tenant
 * owns objects that carry its marker; thousands of calls then aim at ids drawn from all tenants.
 * A foreign id must answer exactly like an id that does not exist (404, never 403), no response
 * may carry another tenant's marker or ids, and no foreign call may change another tenant's rows.
 *
 * Resources are rows of RESOURCE_KINDS: tasks, schedules, events and webhooks join by adding an
 * entry (how to seed them, which calls take which ids, how to list them, which rows to digest).
 * Rerun a failure with SHOAL_TEST_SEED=<seed>.
 */

const TENANT_COUNT = 20;
const CALLS = 3000;
const CONCURRENCY = 8;
const SEED = TEST_SEED;

/** Markers are `tr<2 digits><6 letters g-z>`: no hex digit run, uuid or hash can contain one. */
const MARKER_PATTERN = /tr\d{2}[g-z]{6}/g;
const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

type Random = ReturnType<typeof createRandom>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface World {
  index: number;
  marker: string;
  seed: TestTenant;
  /**
   * Ids by pool (`run`, `workflow`…). Foreign calls draw from `all`; the tenant's own mutating
   * calls only from `sandbox`, so the other ids change only if a foreign call reaches them.
   */
  pools: Map<string, { all: string[]; sandbox: Set<string> }>;
  /** Objects the tenant's own calls created during the probing. */
  created: Set<string>;
}

interface SeedContext {
  app: ApiServer;
  db: Database;
  random: Random;
}

/** One call shape that takes an id of `pool`. */
interface IdOperation {
  name: string;
  pool: string;
  action: Action;
  method: Method;
  mutates: boolean;
  url(id: string, random: Random): string;
  payload?(caller: World, id: string, random: Random): Record<string, unknown>;
  headers?(caller: World, id: string, random: Random): Record<string, string>;
  /**
   * An id of this pool that no tenant has, shaped like `id`: sent in the same call at the same
   * moment, its answer is exactly what the foreign id must get.
   */
  missingLike(id: string): string;
  /** Besides 2xx, the error codes the caller's own object may answer with. */
  ownErrors: readonly string[];
  /** Sees the caller's own successful answers (to record what it created). */
  onOwnSuccess?(caller: World, id: string, body: unknown, ctx: ProbeState): void;
}

/** A list call with random filters; a filter may name another tenant's object. */
interface ListProbe {
  name: string;
  action: Action;
  url(caller: World, worlds: readonly World[], random: Random): { url: string; foreignFilter: boolean };
  /** The rows of a page that are not the caller's (described), from the parsed body. */
  notMine(caller: World, body: unknown): string[];
}

interface ResourceKind {
  name: string;
  /** Creates one tenant's objects through the API, each carrying the tenant's marker. */
  seed(ctx: SeedContext, world: World): Promise<void>;
  /** After every tenant is seeded: brings the objects to rest (nothing may run while probing). */
  settle?(ctx: SeedContext, worlds: readonly World[]): Promise<void>;
  operations: readonly IdOperation[];
  lists: readonly ListProbe[];
  /** A digest of the tenant's rows that only a foreign call could change (not the sandbox). */
  digest(tx: Queryable, world: World): Promise<string>;
  /** The tenant's ids in the database that it neither seeded nor created itself. */
  strangers(tx: Queryable, world: World): Promise<string[]>;
}

/** What the probing learns as it goes, for the checks at the end. */
interface ProbeState {
  ownerOf: Map<string, number>;
  /** `tenant|Idempotency-Key` → the run it named. */
  idempotentRuns: Map<string, string>;
  problems: string[];
}

const errorCode = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
};

const addIds = (world: World, pool: string, ids: string[], sandbox: (id: string, i: number) => boolean) => {
  const entry = world.pools.get(pool) ?? { all: [], sandbox: new Set<string>() };
  ids.forEach((id, i) => {
    entry.all.push(id);
    if (sandbox(id, i)) entry.sandbox.add(id);
  });
  world.pools.set(pool, entry);
};

function expectStatus(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
}

async function digestRows(tx: Queryable, sql: string, params: unknown[]): Promise<string> {
  const result = await tx.query<{ digest: string | null; n: number }>(
    `select md5(coalesce(string_agg(row_text, E'\\n' order by row_text), '')) as digest, count(*)::int as n
       from (${sql}) rows(row_text)`,
    params,
  );
  return `${result.rows[0]?.n ?? 0}:${result.rows[0]?.digest ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Runs: approval workflows leave runs waiting, a quick one succeeds, a failing one fails, and a
// few runs stay queued (no worker runs while probing). Inputs, outputs, approval titles and error
// messages all carry the tenant's marker.

const IDEMPOTENCY_KEYS = ['order-1', 'order-2', 'order-3'] as const;
const WORKFLOW_KINDS = ['approve', 'quick', 'fail'] as const;
type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

const runDefinitions = (marker: string): Record<WorkflowKind, Record<string, unknown>> => ({
  approve: {
    name: `${marker}-approve`,
    description: `approval of ${marker}`,
    steps: [
      {
        id: 'prep',
        type: 'transform',
        with: { value: { marker: '{{ input.marker }}', n: '{{ input.n }}' } },
      },
      { id: 'review', type: 'approval', needs: ['prep'], with: { title: 'Ship {{ input.marker }}?' } },
      {
        id: 'done',
        type: 'transform',
        needs: ['review'],
        with: {
          value: { marker: '{{ steps.prep.output.marker }}', decision: '{{ steps.review.output.decision }}' },
        },
      },
    ],
    output: '{{ steps.done.output }}',
  },
  quick: {
    name: `${marker}-quick`,
    steps: [
      {
        id: 'only',
        type: 'transform',
        with: { value: { marker: '{{ input.marker }}', n: '{{ input.n + 1 }}' } },
      },
    ],
    output: '{{ steps.only.output }}',
  },
  fail: {
    name: `${marker}-fail`,
    steps: [{ id: 'boom', type: 'transform', with: { value: "{{ $error('boom ' & input.marker) }}" } }],
  },
});

const workflowName = (world: World, kind: WorkflowKind) => `${world.marker}-${kind}`;
const kindOfName = (name: string): WorkflowKind =>
  WORKFLOW_KINDS.find((kind) => name.endsWith(`-${kind}`)) ?? 'quick';

/** Runs each tenant starts: [workflow kind, Idempotency-Key or null]; every key is used by every tenant. */
const SEEDED_RUNS: readonly [WorkflowKind, string | null][] = [
  ['approve', IDEMPOTENCY_KEYS[0]],
  ['approve', null],
  ['approve', null],
  ['approve', null],
  ['quick', IDEMPOTENCY_KEYS[1]],
  ['quick', null],
  ['fail', IDEMPOTENCY_KEYS[2]],
  ['fail', null],
];
const QUEUED_RUNS = 2;
const RUN_TABLES = ['runs', 'run_steps', 'step_attempts', 'step_queue'] as const;

interface RunBody {
  run: { id: string };
  created: boolean;
}

const startRunCall = (world: World, kind: WorkflowKind, n: number, key: string | null) => ({
  method: 'POST' as const,
  url: `/v1/workflows/${workflowName(world, kind)}/runs`,
  headers: { ...bearer(world.seed.keys.operator), ...(key ? { 'idempotency-key': key } : {}) },
  payload: { input: { marker: world.marker, n, ...(key ? { key } : {}) } },
});

const runsKind: ResourceKind = {
  name: 'runs',
  async seed({ app }, world) {
    const definitions = runDefinitions(world.marker);
    const names: string[] = [];
    const workflowIds: string[] = [];
    for (const kind of WORKFLOW_KINDS) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/workflows',
        headers: bearer(world.seed.keys.developer),
        payload: { definition: definitions[kind] },
      });
      expectStatus(res, 200);
      names.push(workflowName(world, kind));
      workflowIds.push(res.json<{ workflow: { id: string } }>().workflow.id);
    }
    // Every tenant may start any of its workflows; none may start another's.
    addIds(world, 'workflow', names, () => true);
    addIds(world, 'workflowId', workflowIds, () => false);
    const runIds: string[] = [];
    for (const [n, [kind, key]] of SEEDED_RUNS.entries()) {
      const res = await app.inject(startRunCall(world, kind, n, key));
      expectStatus(res, 201);
      runIds.push(res.json<RunBody>().run.id);
    }
    // Half of each kind is the tenant's own to cancel, retry and decide on.
    addIds(world, 'run', runIds, (_id, i) => i % 2 === 1);
  },
  async settle({ app, db }, worlds) {
    const worker = await startWorker(
      { db, logger: createLogger({ level: 'silent' }), executors: createBuiltinExecutors() },
      {
        pool: 'shared',
        workerId: 'cross-tenant',
        concurrency: 4,
        leaseMs: 30_000,
        pollMs: 50,
        maintenanceMs: 200,
      },
    );
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        // At rest: nothing queued or running; approvals wait (their runs stay `running`).
        const open = await db.ownerTx((tx) =>
          tx.query<{ n: number }>(
            `select (select count(*)::int from step_queue)
                  + (select count(*)::int from step_attempts where outcome = 'running')
                  + (select count(*)::int from runs where state = 'queued') as n`,
          ),
        );
        if ((open.rows[0]?.n ?? 0) === 0) break;
        if (Date.now() > deadline) {
          const states = await db.ownerTx((tx) =>
            tx.query(`select r.state as run, s.step_id, s.state as step, count(*)::int as n
                        from runs r join run_steps s on s.run_id = r.id group by 1, 2, 3 order by 1, 2, 3`),
          );
          throw new Error(`seeded runs did not come to rest: ${JSON.stringify(states.rows)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await worker.stop();
    }
    // Runs started now stay queued: nothing runs while the tenants probe each other.
    for (const world of worlds) {
      const ids: string[] = [];
      for (let q = 0; q < QUEUED_RUNS; q += 1) {
        const res = await app.inject(startRunCall(world, 'quick', 100 + q, null));
        expectStatus(res, 201);
        ids.push(res.json<RunBody>().run.id);
      }
      addIds(world, 'run', ids, (_id, i) => i % 2 === 1);
    }
  },
  operations: [
    {
      name: 'getRun',
      pool: 'run',
      action: 'runs.read',
      method: 'GET',
      mutates: false,
      url: (id) => `/v1/runs/${id}`,
      missingLike: () => randomUUID(),
      ownErrors: [],
    },
    {
      name: 'cancelRun',
      pool: 'run',
      action: 'runs.cancel',
      method: 'POST',
      mutates: true,
      url: (id) => `/v1/runs/${id}/cancel`,
      payload: (caller) => ({ reason: `${caller.marker} cancels` }),
      missingLike: () => randomUUID(),
      ownErrors: ['RUN_ALREADY_FINISHED'],
    },
    {
      name: 'retryRun',
      pool: 'run',
      action: 'runs.retry',
      method: 'POST',
      mutates: true,
      url: (id) => `/v1/runs/${id}/retry`,
      missingLike: () => randomUUID(),
      ownErrors: ['RUN_NOT_RETRYABLE'],
    },
    {
      name: 'decideApproval',
      pool: 'run',
      action: 'runs.decide',
      method: 'POST',
      mutates: true,
      url: (id, random) =>
        `/v1/runs/${id}/steps/${random.pick(['review', 'review', 'prep', 'only'])}/decision`,
      payload: (caller, _id, random) => ({
        decision: random.pick(['approve', 'reject'] as const),
        comment: `${caller.marker} decides`,
      }),
      missingLike: () => randomUUID(),
      ownErrors: ['STEP_NOT_AWAITING_DECISION'],
    },
    {
      // The same Idempotency-Keys in every tenant: each tenant's key names its own run.
      name: 'startRun',
      pool: 'workflow',
      action: 'runs.start',
      method: 'POST',
      mutates: false,
      url: (name) => `/v1/workflows/${name}/runs`,
      headers: (_caller, name, random) => ({
        'idempotency-key': `${kindOfName(name)}-${random.pick(IDEMPOTENCY_KEYS)}`,
      }),
      payload: (caller, name) => ({ input: { marker: caller.marker, n: 7, kind: kindOfName(name) } }),
      missingLike: (name) => `tr99zzzzzz-${randomUUID()}-${kindOfName(name)}`,
      ownErrors: [],
      onOwnSuccess(caller, _name, body, state) {
        const run = (body as RunBody).run.id;
        caller.created.add(run);
        state.ownerOf.set(run, caller.index);
      },
    },
  ],
  lists: [
    {
      name: 'listRuns',
      action: 'runs.read',
      url(caller, worlds, random) {
        const params = new URLSearchParams();
        let foreignFilter = false;
        if (random.next() < 0.5) {
          const owner = random.next() < 0.5 ? caller : random.pick(worlds);
          foreignFilter = owner !== caller;
          params.set('workflow', workflowName(owner, random.pick(WORKFLOW_KINDS)));
        }
        if (random.next() < 0.4) params.set('state', random.pick(RUN_STATES));
        if (random.next() < 0.2) params.set('trigger', 'api');
        if (random.next() < 0.2) params.set('since', new Date(Date.now() - 3_600_000).toISOString());
        if (random.next() < 0.2) params.set('until', new Date(Date.now() + 3_600_000).toISOString());
        if (random.next() < 0.5) params.set('limit', String(1 + random.int(20)));
        const query = params.toString();
        return { url: `/v1/runs${query ? `?${query}` : ''}`, foreignFilter };
      },
      notMine(caller, body) {
        const names = new Set(WORKFLOW_KINDS.map((kind) => workflowName(caller, kind)));
        const workflowIds = new Set(caller.pools.get('workflowId')?.all ?? []);
        const rows =
          (body as { data?: { id: string; workflowName: string; workflowId: string }[] }).data ?? [];
        return rows
          .filter((row) => !names.has(row.workflowName) || !workflowIds.has(row.workflowId))
          .map((row) => `${row.id} of ${row.workflowName}`);
      },
    },
  ],
  async digest(tx, world) {
    const runs = world.pools.get('run');
    const kept = (runs?.all ?? []).filter((id) => !runs?.sandbox.has(id));
    const parts: string[] = [];
    for (const table of RUN_TABLES) {
      const idColumn = table === 'runs' ? 'id' : 'run_id';
      parts.push(
        await digestRows(
          tx,
          `select t::text from ${table} t where t.tenant_id = $1 and t.${idColumn} = any($2::uuid[])`,
          [world.seed.tenantId, kept],
        ),
      );
    }
    return parts.join(' ');
  },
  async strangers(tx, world) {
    const known = [...(world.pools.get('run')?.all ?? []), ...world.created];
    const result = await tx.query<{ id: string }>(
      'select id from runs where tenant_id = $1 and not (id = any($2::uuid[]))',
      [world.seed.tenantId, known],
    );
    return result.rows.map((r) => r.id);
  },
};

/** Every resource the probing covers. Add tasks, schedules, events and webhooks here. */
const RESOURCE_KINDS: readonly ResourceKind[] = [runsKind];

// ---------------------------------------------------------------------------------------------

interface Call {
  n: number;
  caller: World;
  role: Role;
  kind: ResourceKind;
  method: Method;
  url: string;
  payload?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Id calls: the operation, its id and the tenant owning it; `variant` seeds its other choices. */
  operation?: IdOperation;
  variant?: number;
  id?: string;
  target?: World;
  /** List calls: the probe, and whether a filter names another tenant's object. */
  list?: ListProbe;
  foreignFilter?: boolean;
}

const rolesFor = (action: Action): readonly Role[] => ROLES.filter((role) => isAllowed(role, action));

describe('cross-tenant isolation of runs through the HTTP API', () => {
  let t: TestDatabase;
  let app: ApiServer;
  const worlds: World[] = [];
  const state: ProbeState = { ownerOf: new Map(), idempotentRuns: new Map(), problems: [] };
  /** Per tenant and kind, the digest before the probing. */
  const before = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestDatabase();
    app = createTestApp(t.db);
    const random = createRandom(SEED ^ 0x85ebca6b);
    const ctx: SeedContext = { app, db: t.db, random };
    for (let index = 0; index < TENANT_COUNT; index += 1) {
      const letters = Array.from({ length: 6 }, () => 'ghijklmnopqrstuvwxyz'[random.int(20)]).join('');
      const marker = `tr${String(index).padStart(2, '0')}${letters}`;
      const seed = await seedTenant(t.db, `${marker} corp`);
      const world: World = { index, marker, seed, pools: new Map(), created: new Set() };
      for (const kind of RESOURCE_KINDS) await kind.seed(ctx, world);
      worlds.push(world);
    }
    for (const kind of RESOURCE_KINDS) await kind.settle?.(ctx, worlds);
    for (const world of worlds) {
      for (const id of [
        world.marker,
        world.seed.tenantId,
        ...[...world.pools.values()].flatMap((p) => p.all),
      ])
        state.ownerOf.set(id, world.index);
    }
    await t.db.ownerTx(async (tx) => {
      for (const world of worlds)
        for (const kind of RESOURCE_KINDS)
          before.set(`${world.index}/${kind.name}`, await kind.digest(tx, world));
      // The digests cover rows: a digest of nothing would prove nothing.
      for (const [key, digest] of before) expect(digest, key).not.toMatch(/^0:/);
    });
    // Before any probing, an id that exists nowhere is a plain 404 for every call shape.
    for (const operation of RESOURCE_KINDS.flatMap((kind) => kind.operations)) {
      const caller = worlds[0] as World;
      const id = operation.missingLike(caller.pools.get(operation.pool)?.all[0] ?? '');
      const res = await app.inject({
        method: operation.method,
        ...withCaller(caller, 'owner', buildCall(operation, caller, id, 1)),
      });
      expect(res.statusCode, `${operation.name} of a missing id: ${res.body}`).toBe(404);
    }
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  /**
   * Everything in a response that belongs to a tenant other than the caller's. What the caller
   * sent itself (a foreign id in its URL, echoed in a 404's message) reveals nothing.
   */
  function foreignThings(caller: World, body: string, sent: string): string[] {
    const text = body.toLowerCase();
    const echo = sent.toLowerCase();
    const found = new Set<string>();
    for (const pattern of [MARKER_PATTERN, UUID_PATTERN]) {
      for (const [match] of text.matchAll(pattern)) {
        const owner = state.ownerOf.get(match);
        if (owner !== undefined && owner !== caller.index && !echo.includes(match))
          found.add(`${match} (tenant ${owner})`);
      }
    }
    return [...found];
  }

  const withCaller = (
    caller: World,
    role: Role,
    call: { url: string; payload?: Record<string, unknown>; headers?: Record<string, string> },
  ) => ({
    url: call.url,
    headers: { ...bearer(caller.seed.keys[role]), ...(call.headers ?? {}) },
    ...(call.payload ? { payload: call.payload } : {}),
  });

  /**
   * Sends a call; for a foreign id, also the same call with an id that exists nowhere. The
   * caller's own state (an Idempotency-Key it used meanwhile) may move between the two: a pair
   * that differs is sent once more, and only a difference that persists counts.
   */
  async function send(call: Call) {
    const inject = (c: typeof call) => app.inject({ method: c.method, ...withCaller(c.caller, c.role, c) });
    let res = await inject(call);
    const operation = call.operation;
    if (!operation || call.target === call.caller) return { res, missingAnswer: null };
    const sendMissing = () =>
      inject({
        ...call,
        ...buildCall(operation, call.caller, operation.missingLike(call.id ?? ''), call.variant ?? 0),
      });
    let missingAnswer = await sendMissing();
    if (
      res.statusCode !== missingAnswer.statusCode ||
      errorCode(res.body) !== errorCode(missingAnswer.body)
    ) {
      res = await inject(call);
      missingAnswer = await sendMissing();
    }
    return { res, missingAnswer };
  }

  /** The URL, body and headers of an id call; the same variant makes the same other choices. */
  function buildCall(operation: IdOperation, caller: World, id: string, variant: number) {
    const random = createRandom(variant);
    return {
      url: operation.url(id, random),
      ...(operation.payload ? { payload: operation.payload(caller, id, random) } : {}),
      ...(operation.headers ? { headers: operation.headers(caller, id, random) } : {}),
    };
  }

  function planCalls(): Call[] {
    const random = createRandom(SEED);
    const calls: Call[] = [];
    for (let n = 0; n < CALLS; n += 1) {
      const caller = random.pick(worlds);
      const kind = random.pick(RESOURCE_KINDS);
      if (random.next() < 0.2 && kind.lists.length > 0) {
        const list = random.pick(kind.lists);
        const { url, foreignFilter } = list.url(caller, worlds, random);
        calls.push({
          n,
          caller,
          role: random.pick(rolesFor(list.action)),
          kind,
          method: 'GET',
          url,
          list,
          foreignFilter,
        });
        continue;
      }
      const operation = random.pick(kind.operations);
      // Some calls on the caller's own objects: they show each call shape works (a foreign 404 is
      // not a broken URL) and move the caller's own state (used keys, cancelled runs) meanwhile.
      const target = random.next() < 0.15 ? caller : random.pick(worlds);
      const pool = target.pools.get(operation.pool);
      if (!pool) throw new Error(`tenant ${target.index} has no ${operation.pool} ids`);
      // The caller's own rows change only through its sandbox, so the rest can be digested.
      const ids = target === caller && operation.mutates ? [...pool.sandbox] : pool.all;
      const id = random.pick(ids);
      const variant = random.int(2 ** 31);
      calls.push({
        n,
        caller,
        role: random.pick(rolesFor(operation.action)),
        kind,
        method: operation.method,
        ...buildCall(operation, caller, id, variant),
        operation,
        id,
        variant,
        target,
      });
    }
    return calls;
  }

  /** What is wrong with one response, or an empty list. */
  function check(
    call: Call,
    res: { statusCode: number; body: string },
    missingAnswer: { statusCode: number; body: string } | null,
  ): string[] {
    const sent = `${call.url} ${JSON.stringify(call.payload ?? {})} ${JSON.stringify(call.headers ?? {})}`;
    const problems = foreignThings(call.caller, res.body, sent).map((thing) => `leaks ${thing}`);
    const code = errorCode(res.body);
    if (call.list) {
      if (res.statusCode !== 200) return [...problems, `list answered ${res.statusCode} ${code ?? ''}`];
      const body = JSON.parse(res.body) as { data?: unknown[] };
      const rows = call.list.notMine(call.caller, body);
      if (rows.length > 0)
        problems.push(`list has rows that are not the caller's: ${rows.slice(0, 3).join(', ')}`);
      if (call.foreignFilter && (body.data ?? []).length > 0)
        problems.push('a filter on a foreign object matched rows');
      return problems;
    }
    const operation = call.operation as IdOperation;
    if (call.target !== call.caller) {
      const missingCode = missingAnswer ? errorCode(missingAnswer.body) : undefined;
      if (res.statusCode !== missingAnswer?.statusCode || code !== missingCode)
        problems.push(
          `foreign id answered ${res.statusCode} ${code ?? ''}, a missing one ${missingAnswer?.statusCode} ${missingCode ?? ''}`,
        );
      if (res.statusCode === 403) problems.push('a foreign id answered 403');
    } else if (res.statusCode >= 300 && !(code && operation.ownErrors.includes(code))) {
      problems.push(`own id answered ${res.statusCode} ${code ?? ''}`);
    }
    return problems;
  }

  it(
    "no tenant can read, list, start, cancel, retry, decide on or even detect another tenant's runs",
    { timeout: 240_000 },
    async () => {
      onTestFailed(() => {
        console.error(`cross-tenant-runs seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
      });
      const calls = planCalls();
      const violations: string[] = [];
      const outcomes = { foreign: 0, own: 0, list: 0 };
      const ownSucceeded = new Map<string, number>();
      const foreignAnswers = new Map<string, number>();
      let cursor = 0;
      const worker = async () => {
        for (let call = calls[cursor++]; call; call = calls[cursor++]) {
          const { res, missingAnswer } = await send(call);
          for (const problem of check(call, res, missingAnswer))
            violations.push(
              `#${call.n} tenant ${call.caller.index} as ${call.role}: ${call.method} ${call.url} → ${problem}`,
            );
          if (call.list) outcomes.list += 1;
          else if (call.target !== call.caller) {
            outcomes.foreign += 1;
            const answer = `${res.statusCode} ${errorCode(res.body) ?? ''}`;
            foreignAnswers.set(answer, (foreignAnswers.get(answer) ?? 0) + 1);
          } else {
            outcomes.own += 1;
            const operation = call.operation as IdOperation;
            if (res.statusCode < 300) {
              ownSucceeded.set(operation.name, (ownSucceeded.get(operation.name) ?? 0) + 1);
              operation.onOwnSuccess?.(call.caller, call.id ?? '', res.json(), state);
              const key = call.headers?.['idempotency-key'];
              if (key) {
                const run = res.json<RunBody>().run.id;
                const slot = `${call.caller.index}|${key}`;
                const earlier = state.idempotentRuns.get(slot);
                if (earlier && earlier !== run)
                  violations.push(
                    `#${call.n}: key ${key} of tenant ${call.caller.index} named ${earlier}, now ${run}`,
                  );
                state.idempotentRuns.set(slot, run);
              }
            }
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      console.info(
        `cross-tenant-runs seed ${SEED}: ${CALLS} calls, ${outcomes.foreign} foreign, ${outcomes.own} own, ` +
          `${outcomes.list} lists; foreign answers ${JSON.stringify(Object.fromEntries(foreignAnswers))}; ` +
          `own successes ${JSON.stringify(Object.fromEntries(ownSucceeded))}`,
      );
      expect(violations.slice(0, 30), `seed ${SEED}: ${violations.length} violations`).toEqual([]);
      expect(outcomes.foreign + outcomes.own + outcomes.list).toBe(CALLS);
      expect(outcomes.foreign, `seed ${SEED}`).toBeGreaterThan(CALLS / 2);
      expect(outcomes.list, `seed ${SEED}`).toBeGreaterThan(CALLS / 10);
      // Each call shape works on the caller's own objects: a foreign 404 is not a broken URL.
      for (const operation of RESOURCE_KINDS.flatMap((kind) => kind.operations))
        expect(ownSucceeded.get(operation.name) ?? 0, `seed ${SEED}: ${operation.name}`).toBeGreaterThan(0);
      // The same Idempotency-Key in two tenants names two different runs.
      const byKey = new Map<string, string[]>();
      for (const [slot, run] of state.idempotentRuns) {
        const key = slot.split('|')[1] ?? '';
        byKey.set(key, [...(byKey.get(key) ?? []), run]);
      }
      for (const [key, runs] of byKey) expect(new Set(runs).size, `key ${key}`).toBe(runs.length);
    },
  );

  it('the same Idempotency-Key in every tenant starts one run per tenant, and replays name that run', async () => {
    const firstKey = IDEMPOTENCY_KEYS[0];
    const runs = new Set<string>();
    for (const world of worlds) {
      const res = await app.inject(startRunCall(world, 'approve', 0, firstKey));
      expectStatus(res, 200);
      const body = res.json<RunBody>();
      expect(body.created).toBe(false);
      // The key named the run the tenant seeded first, which is its own and carries its marker.
      expect(body.run.id).toBe(world.pools.get('run')?.all[0]);
      runs.add(body.run.id);
      const detail = await app.inject({
        method: 'GET',
        url: `/v1/runs/${body.run.id}`,
        headers: bearer(world.seed.keys.viewer),
      });
      expect(detail.json<{ input: { marker: string } }>().input.marker).toBe(world.marker);
    }
    expect(runs.size).toBe(worlds.length);
  });

  it("every tenant's runs are exactly as they were: no foreign call changed, created or moved a row", async () => {
    onTestFailed(() => {
      console.error(`cross-tenant-runs seed: ${SEED} (rerun with SHOAL_TEST_SEED=${SEED})`);
    });
    await t.db.ownerTx(async (tx) => {
      for (const world of worlds) {
        for (const kind of RESOURCE_KINDS) {
          expect(await kind.digest(tx, world), `tenant ${world.index} ${kind.name}`).toBe(
            before.get(`${world.index}/${kind.name}`),
          );
          expect(await kind.strangers(tx, world), `tenant ${world.index} ${kind.name}`).toEqual([]);
        }
      }
    });
  });
});
