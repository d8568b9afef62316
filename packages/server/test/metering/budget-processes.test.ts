import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-llm-upstream.ts';
import { addProvider } from '../support/gateway.ts';
import { budgetTotals, insertBudget } from '../support/metering.ts';
import { parseExposition, sumOf } from '../support/prometheus-text.ts';
import { createRandom, TEST_SEED } from '../support/random.ts';
import { SHOAL_BIN } from '../support/run-cli.ts';
import { bearer, seedTenant, TEST_MASTER_KEY, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

/**
 * budget-concurrency.test.ts over real processes: three `shoal serve --role api` children, each
 * with the production escrow, take 200 concurrent chat completions over HTTP against hard
 * budgets covering about 20 of them, the upstream failing some. Replay with SHOAL_TEST_SEED.
 */
const SEEDS = 20;
const CALLS = 200;
const PROCESSES = 3;
// Worst cases of 40..980 µUSD: the tenant budget covers about 20 of them, the key budget 30.
const LIMIT = 20 * 480;
const KEY_LIMIT = 30 * 480;
const OUTPUT_TAIL = 20_000;

interface ApiProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** The end of what the process wrote, for failure messages. */
  output(): string;
}

/** Starts `shoal serve --role api` on a free port; resolves once it logged where it listens. */
function startApiProcess(env: Record<string, string | undefined>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [SHOAL_BIN, 'serve', '--role', 'api'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let listening = false;
    const fail = (why: string) => {
      if (listening) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`shoal serve ${why}:\n${tail}`));
    };
    const timer = setTimeout(() => fail('did not listen within 90 s'), 90_000);
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL);
      // Fastify's info line (PORT=0 picks a free port; serve's own banner prints 0).
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(tail);
      if (found?.[1] && !listening) {
        listening = true;
        clearTimeout(timer);
        resolve({ child, url: found[1], exited, output: () => tail });
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => fail(error.message));
    void exited.then((code) => fail(`exited with ${code}`));
  });
}

/** SIGTERM (a graceful stop returns the leases), SIGKILL if it has not exited after 15 s. */
async function stopApiProcess(api: ApiProcess): Promise<number | null> {
  if (api.child.exitCode !== null || api.child.signalCode !== null) return api.exited;
  api.child.kill('SIGTERM');
  const killer = setTimeout(() => api.child.kill('SIGKILL'), 15_000);
  const code = await api.exited;
  clearTimeout(killer);
  return code;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Outcome {
  status: number;
  code: string | null;
  callId: string | null;
  cost: number;
  keyed: boolean;
}

describe.runIf(TEST_DRIVER === 'postgres')('hard budgets across processes', () => {
  let t: TestDatabase;
  let upstream: FakeUpstream;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    upstream = await startFakeUpstream({ record: false });
    await addProvider(t.db, {
      name: 'up',
      kind: 'openai',
      baseUrl: upstream.openaiBaseUrl,
      platformKey: 'sk-platform',
      models: [{ model: 'small', price: { input: '1.000000', output: '2.000000' } }],
    });
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: t.url ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      SHOAL_LOG_LEVEL: 'info',
      SHOAL_DEMO: 'false',
      SHOAL_MASTER_KEY: TEST_MASTER_KEY.toString('base64'),
      SHOAL_RATE_LIMIT_PER_MINUTE: '1000000',
      SHOAL_DB_POOL_SIZE: '6',
    };
    const started = await Promise.allSettled(Array.from({ length: PROCESSES }, () => startApiProcess(env)));
    for (const result of started) if (result.status === 'fulfilled') apis.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
  });

  afterAll(async () => {
    await Promise.all(apis.map(stopApiProcess));
    await upstream?.close();
    await t?.drop();
  });

  const chat = async (api: ApiProcess, key: string, maxTokens: number, words: number) => {
    const res = await fetch(`${api.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'up/small',
        messages: [{ role: 'user', content: Array.from({ length: words }, () => 'tide').join(' ') }],
        max_tokens: maxTokens,
      }),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    return {
      status: res.status,
      code: body.error?.code ?? null,
      callId: res.headers.get('x-shoal-call-id'),
      cost: Number(res.headers.get('x-shoal-cost-micro-usd') ?? 0),
    };
  };

  /** Each seed gets its own tenant: no process has its budget list cached (budgetCacheMs). */
  const freshTenant = async (seed: number) => {
    const tenant = await seedTenant(t.db, `storm-${seed}`);
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into tenant_limits (tenant_id, llm_requests_per_minute, llm_tokens_per_minute)
         values ($1, 10000000, 1000000000)`,
        [tenant.tenantId],
      ),
    );
    const tenantBudget = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: LIMIT });
    const keyBudget = await insertBudget(t.db, tenant.tenantId, {
      limitMicroUsd: KEY_LIMIT,
      scope: 'api_key',
      scopeId: tenant.keyIds.developer,
    });
    return { tenant, tenantBudget, keyBudget };
  };

  const ledgerOf = (tenant: TestTenant) =>
    t.db.ownerTx(async (tx) => {
      const calls = await tx.query<{ id: string; outcome: string; error_code: string | null; cost: string }>(
        `select id, outcome, error_code, cost_micro_usd as cost from llm_calls where tenant_id = $1`,
        [tenant.tenantId],
      );
      const events = await tx.query<{ key: string; n: string; cost: string }>(
        `select key, count(*) as n, sum(cost_micro_usd) as cost from usage_events
          where tenant_id = $1 group by key`,
        [tenant.tenantId],
      );
      return { calls: calls.rows, events: new Map(events.rows.map((e) => [e.key, e])) };
    });

  const reservationsOpen = async (api: ApiProcess) => {
    const res = await fetch(`${api.url}/metrics`);
    return sumOf(parseExposition(await res.text()), 'shoal_budget_reservations_open');
  };

  it(`spend never passes the limit over ${SEEDS} seeds, is in the ledger once, and nothing stays leased`, async () => {
    const figures: string[] = [];
    for (let s = 0; s < SEEDS; s += 1) {
      const seed = (TEST_SEED + s * 7919) >>> 0;
      const random = createRandom(seed);
      const { tenant, tenantBudget, keyBudget } = await freshTenant(seed);
      const failures = 3 + random.int(8);
      upstream.reset();
      upstream.script({ kind: 'status', status: 500, times: failures });
      upstream.setLatency(5);
      // Arrivals spread over 0.1-2 s (not a timing check): the tightly packed seeds are refused
      // by what is reserved, the spread ones by what is spent (the storm's actual costs, ~70 µUSD
      // a call, add up to more than the limit).
      const spread = 100 + random.int(1900);
      const sentBefore = upstream.requestCount();
      const outcomes: Outcome[] = await Promise.all(
        Array.from({ length: CALLS }, async (_, i) => {
          const api = apis[i % PROCESSES] as ApiProcess;
          const delay = random.int(spread);
          const maxTokens = 30 + random.int(420);
          const keyed = random.next() < 0.5;
          const words = 1 + random.int(60);
          await new Promise((resolve) => setTimeout(resolve, delay));
          const key = keyed ? tenant.keys.developer : tenant.keys.operator;
          return { ...(await chat(api, key, maxTokens, words)), keyed };
        }),
      );
      const sent = upstream.requestCount() - sentBefore;

      // Every call is recorded (refused and failed ones too); idle leases go back after idleMs.
      const ledger = await until(
        () => ledgerOf(tenant),
        (l) => l.calls.length >= CALLS,
      );
      const totals = await until(
        () => budgetTotals(t.db, tenantBudget),
        (b) => b.leased === 0 && b.leaseRows === 0,
      );
      const keyTotals = await until(
        () => budgetTotals(t.db, keyBudget),
        (b) => b.leased === 0 && b.leaseRows === 0,
      );

      const at = `seed ${seed}`;
      const ok = outcomes.filter((o) => o.status === 200);
      const refused = outcomes.filter((o) => o.status === 402);
      const failed = outcomes.filter((o) => o.status === 502);
      expect(
        outcomes.filter((o) => ![200, 402, 502].includes(o.status)).map((o) => `${o.status} ${o.code}`),
        at,
      ).toEqual([]);
      expect(
        refused.every((o) => o.code === 'BUDGET_EXCEEDED') &&
          failed.every((o) => o.code === 'UPSTREAM_FAILED'),
        at,
      ).toBe(true);
      const spent = ok.reduce((sum, o) => sum + o.cost, 0);
      const keySpent = ok.filter((o) => o.keyed).reduce((sum, o) => sum + o.cost, 0);

      expect(totals.spent, at).toBeLessThanOrEqual(LIMIT);
      expect(keyTotals.spent, at).toBeLessThanOrEqual(KEY_LIMIT);
      expect(totals.spent, at).toBe(spent);
      expect(keyTotals.spent, at).toBe(keySpent);

      // The ledger: one llm_calls row per call, one usage event per success, at the answered cost.
      expect(ledger.calls.length, at).toBe(CALLS);
      const byOutcome = (outcome: string, code: string | null) =>
        ledger.calls.filter((c) => c.outcome === outcome && c.error_code === code).length;
      expect(byOutcome('refused', 'BUDGET_EXCEEDED'), at).toBe(refused.length);
      expect(byOutcome('failed', 'UPSTREAM_FAILED'), at).toBe(failed.length);
      const answered = new Map(ok.map((o) => [o.callId, o.cost]));
      const succeeded = ledger.calls.filter((c) => c.outcome === 'succeeded');
      expect(succeeded.length, at).toBe(ok.length);
      const wrong = succeeded.filter((c) => {
        const event = ledger.events.get(`llm:${c.id}`);
        return (
          answered.get(c.id) !== Number(c.cost) ||
          Number(event?.n) !== 1 ||
          Number(event?.cost) !== Number(c.cost)
        );
      });
      expect(wrong, at).toEqual([]);
      expect(ledger.events.size, at).toBe(ok.length);
      expect(
        [...ledger.events.values()].reduce((sum, e) => sum + Number(e.cost), 0),
        at,
      ).toBe(spent);

      // The upstream saw exactly the calls that were admitted; its scripted 500s failed them.
      expect(sent, at).toBe(ok.length + failed.length);
      expect(failed.length, at).toBe(Math.min(failures, sent));
      expect(refused.length, at).toBeGreaterThan(0);

      expect(totals, at).toMatchObject({ leased: 0, leaseSum: 0, leaseRows: 0 });
      expect(keyTotals, at).toMatchObject({ leased: 0, leaseSum: 0, leaseRows: 0 });
      expect(await Promise.all(apis.map(reservationsOpen)), at).toEqual(apis.map(() => 0));

      // No false refusal afterwards: a call whose worst case fits what remains is admitted.
      const remaining = Math.min(LIMIT - totals.spent, KEY_LIMIT - keyTotals.spent);
      upstream.reset(); // faults not taken by the storm (refused calls were never sent)
      upstream.setLatency(0);
      const fits = Math.floor((remaining - 40) / 2);
      if (fits >= 1) {
        const after = await chat(
          apis[s % PROCESSES] as ApiProcess,
          tenant.keys.developer,
          Math.min(fits, 400),
          1,
        );
        expect(after, `${at}: ${remaining} µUSD left`).toMatchObject({ status: 200, code: null });
        expect(after.cost, at).toBeGreaterThan(0);
      }
      figures.push(`${spread}ms:${ok.length}/${refused.length}/${failed.length}:${totals.spent}`);
    }
    console.info(
      `budget storm over ${PROCESSES} processes: ${SEEDS} seeds from ${TEST_SEED}, spread:succeeded/refused/failed:spent ${figures.join(' ')} (limit ${LIMIT})`,
    );
  }, 300_000);

  it('processes stopped with SIGTERM exit cleanly and leave no lease behind', async () => {
    const codes = await Promise.all(apis.map(stopApiProcess));
    expect(codes, apis.map((a) => a.output()).join('\n---\n')).toEqual(apis.map(() => 0));
    const left = await t.db.ownerTx((tx) =>
      tx.query<{ leases: string; leased: string }>(
        `select (select count(*) from budget_leases) as leases,
                (select coalesce(sum(leased_micro_usd), 0) from budget_periods) as leased`,
      ),
    );
    expect(left.rows.map((r) => [Number(r.leases), Number(r.leased)])).toEqual([[0, 0]]);
  });
});
