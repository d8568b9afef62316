import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetEscrow, EscrowReservation } from '../../src/metering/index.ts';
import { budgetTotals, createTestEscrow, insertBudget } from '../support/metering.ts';
import { TEST_SEED } from '../support/random.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, TEST_DRIVER, type TestDatabase } from '../support/test-db.ts';

/**
 * Model-based: random interleavings of reserve, settle, failure, reservation expiry and process
 * crash on two processes against one hard budget. The model is a list of open reservations and
 * a sum of settled costs; the real system is the escrow on the real database. After every
 * command spent + leased <= limit holds in the database and in the model; nothing settled is lost.
 */
const LEASE_TTL = 30_000;
const RESERVATION_TTL = 60_000;

type Command =
  | { kind: 'reserve'; process: number; amount: number }
  | { kind: 'settle'; pick: number; fraction: number }
  | { kind: 'fail'; pick: number }
  | { kind: 'expire' }
  | { kind: 'crash'; process: number };

const commands: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('reserve' as const),
        process: fc.integer({ min: 0, max: 1 }),
        amount: fc.integer({ min: 1, max: 400 }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('settle' as const),
        pick: fc.nat(),
        fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('crash' as const), process: fc.integer({ min: 0, max: 1 }) }),
    },
  ),
  { minLength: 5, maxLength: 40 },
);

/** Counterexamples of two seeded runs, kept as regression cases (see the tests at the end). */
const REGRESSION_1418516109: Command[] = [
  { kind: 'fail', pick: 1420402095 },
  { kind: 'reserve', process: 1, amount: 397 },
  { kind: 'reserve', process: 1, amount: 321 },
  { kind: 'crash', process: 0 },
  { kind: 'reserve', process: 0, amount: 55 },
  { kind: 'reserve', process: 0, amount: 33 },
  { kind: 'crash', process: 0 },
  { kind: 'reserve', process: 1, amount: 93 },
  { kind: 'fail', pick: 572665168 },
  { kind: 'settle', pick: 1463298301, fraction: 3.099138185127918e-180 },
  { kind: 'settle', pick: 1666630178, fraction: 4.783874046733872e-18 },
  { kind: 'expire' },
];
const REGRESSION_614312839: Command[] = [
  { kind: 'expire' },
  { kind: 'reserve', process: 1, amount: 44 },
  { kind: 'settle', pick: 15, fraction: 5e-323 },
  { kind: 'expire' },
  { kind: 'settle', pick: 2147483636, fraction: 9.554235480346246e-82 },
  { kind: 'settle', pick: 992841131, fraction: 9e-323 },
  { kind: 'crash', process: 0 },
  { kind: 'reserve', process: 1, amount: 370 },
  { kind: 'reserve', process: 1, amount: 9 },
  { kind: 'crash', process: 0 },
  { kind: 'settle', pick: 957789967, fraction: 2.1369025655112605e-80 },
  { kind: 'crash', process: 0 },
  { kind: 'reserve', process: 0, amount: 8 },
  { kind: 'reserve', process: 1, amount: 275 },
  { kind: 'reserve', process: 0, amount: 8 },
  { kind: 'settle', pick: 3, fraction: 1.4163951967091844e-146 },
  { kind: 'reserve', process: 0, amount: 315 },
  { kind: 'settle', pick: 1359952724, fraction: 4.77327254518789e-291 },
];

describe('escrow reservations (model-based)', () => {
  let t: TestDatabase;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    tenant = await seedTenant(t.db, 'escrow-model');
  });
  afterAll(() => t.drop());

  /** Runs one script against two fresh processes and a fresh budget of `limit`. */
  const runScript = async (script: readonly Command[], limit: number) => {
    let clock = Date.now();
    const now = () => clock;
    const budgetId = await insertBudget(t.db, tenant.tenantId, { limitMicroUsd: limit });
    let generation = 0;
    const make = () =>
      createTestEscrow(t.db, `model-${randomUUID()}-${generation++}`, {
        now,
        sliceMicroUsd: 300,
        leaseTtlMs: LEASE_TTL,
        reservationTtlMs: RESERVATION_TTL,
        idleMs: 1_000_000,
        tickMs: 1_000_000,
      });
    const processes: BudgetEscrow[] = [make(), make()];
    // The model: open reservations (which process, how much, until when), and what was settled.
    let model: { process: number; reservation: EscrowReservation; callId: string; expiresAt: number }[] = [];
    /** A maintenance pass of one process, which releases its reservations past their TTL. */
    const tick = async (process: number) => {
      await processes[process]?.tick();
      model = model.filter((m) => m.process !== process || m.expiresAt > clock);
    };
    let settled = 0;
    const writeCall = async (callId: string, cost: number) =>
      t.db.systemQuery(
        `insert into llm_calls (tenant_id, id, operation, latency_ms, outcome, cost_micro_usd, provider, model)
         values ($1, $2, 'chat', 1, 'succeeded', $3, 'simulated', 'sim-small')`,
        [tenant.tenantId, callId, cost],
      );
    const check = async () => {
      const totals = await budgetTotals(t.db, budgetId);
      expect(totals.spent + totals.leased).toBeLessThanOrEqual(limit);
      expect(totals.leased).toBe(totals.leaseSum);
      expect(totals.spent).toBe(settled);
      const open = model.reduce((sum, m) => sum + m.reservation.amountMicroUsd, 0);
      expect(settled + open).toBeLessThanOrEqual(limit);
    };
    try {
      for (const command of script) {
        switch (command.kind) {
          case 'reserve': {
            const callId = randomUUID();
            const escrow = processes[command.process] as BudgetEscrow;
            try {
              const reservation = await escrow.reserve({
                tenantId: tenant.tenantId,
                apiKeyId: null,
                runId: null,
                callId,
                amountMicroUsd: command.amount,
              });
              model.push({
                process: command.process,
                reservation,
                callId,
                expiresAt: clock + RESERVATION_TTL,
              });
            } catch (error) {
              expect((error as { code?: string }).code).toBe('BUDGET_EXCEEDED');
              // A refusal is only allowed when the database has too little unleased budget.
              const totals = await budgetTotals(t.db, budgetId);
              expect(totals.spent + totals.leased + command.amount).toBeGreaterThan(limit);
            }
            break;
          }
          case 'settle':
          case 'fail': {
            if (model.length === 0) break;
            const entry = model.splice(command.pick % model.length, 1)[0];
            if (!entry) break;
            const amount = entry.reservation.amountMicroUsd;
            const cost = command.kind === 'fail' ? 0 : Math.floor(amount * command.fraction);
            const escrow = processes[entry.process] as BudgetEscrow;
            await escrow.settle(entry.reservation, cost);
            if (cost > 0) {
              // The gateway's call record, which feeds the ledger.
              await writeCall(entry.callId, cost);
              settled += cost;
            }
            await tick(entry.process);
            break;
          }
          case 'expire': {
            clock += RESERVATION_TTL + 1;
            // Their calls never come back (a late settle is charged; the gateway's timeouts prevent it).
            for (const i of processes.keys()) await tick(i);
            expect(model).toEqual([]);
            break;
          }
          case 'crash': {
            // The process vanishes: its calls never settle, its leases expire.
            model = model.filter((m) => m.process !== command.process);
            processes[command.process] = make();
            clock += LEASE_TTL + 1;
            // The survivors renew on time (every third of the TTL, compressed into this jump).
            for (const i of processes.keys()) if (i !== command.process) await tick(i);
            break;
          }
        }
        await check();
      }
      for (const entry of model) await processes[entry.process]?.settle(entry.reservation, 0);
      model = [];
      for (const escrow of processes) await escrow.close();
      clock += LEASE_TTL + 1;
      // After a quiet close nothing stays leased except by crashed processes, whose leases
      // the next grant releases: the whole unspent budget is then available again.
      const fresh = make();
      const remaining = limit - settled;
      if (remaining > 0) {
        const reservation = await fresh.reserve({
          tenantId: tenant.tenantId,
          apiKeyId: null,
          runId: null,
          callId: randomUUID(),
          amountMicroUsd: remaining,
        });
        await fresh.settle(reservation, 0);
      }
      await fresh.close();
      const totals = await budgetTotals(t.db, budgetId);
      expect(totals.spent).toBe(settled);
      expect(totals.leased).toBe(0);
    } finally {
      await t.db.ownerTx((tx) => tx.query(`delete from budgets where id = $1`, [budgetId]));
    }
  };

  it('spent + reserved never passes the limit and no settled cost is lost', async () => {
    console.log(`escrow model seed ${TEST_SEED} (${TEST_DRIVER})`);
    await fc.assert(
      fc.asyncProperty(commands, fc.integer({ min: 200, max: 3000 }), runScript),
      // No shrinking: each run is dozens of database round trips, and a shrink that outlives the
      // test's timeout hid the counterexample once in CI; replay with SHOAL_TEST_SEED instead.
      { seed: TEST_SEED, numRuns: TEST_DRIVER === 'postgres' ? 60 : 30, endOnFailure: true },
    );
  }, 120_000);

  // Scripts random runs once failed on: two crashes in a row move the clock past the
  // reservation TTL, so the surviving process expires its open reservation (the model used to
  // keep counting it as open).
  it.each([
    { seed: 1418516109, limit: 341, script: REGRESSION_1418516109 },
    { seed: 614312839, limit: 546, script: REGRESSION_614312839 },
  ])(
    'replays the script of seed $seed',
    async ({ script, limit }) => {
      await runScript(script, limit);
    },
    60_000,
  );
});
