import { randomUUID } from 'node:crypto';
import type { Database } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';
import { MeteringError } from './errors.ts';
import {
  createEscrowQueries,
  type HardBudgetRow,
  type LeaseKey,
  type PendingCharge,
} from './escrow-queries.ts';

/** What the gateway asks (the shape of its BudgetPort's request; metering cannot import it). */
export interface ReserveRequest {
  tenantId: string;
  apiKeyId: string | null;
  runId: string | null;
  callId: string;
  amountMicroUsd: number;
}

/** A reservation as handed to the gateway, which gives it back to `settle`. */
export interface EscrowReservation {
  id: string;
  amountMicroUsd: number;
}

export interface EscrowOptions {
  /** Names this process's leases; unique per process (host, pid, a random part). */
  processId: string;
  /** The most one grant hands a process (it also never takes more than a quarter of what remains). */
  sliceMicroUsd: number;
  /** A lease not renewed for this long is released by the next grant on its period (a crash). */
  leaseTtlMs: number;
  /** A reservation not settled for this long is released; longer than any gateway call. */
  reservationTtlMs: number;
  /** A lease with nothing reserved for this long goes back to its period. */
  idleMs: number;
  /** How often settled costs are confirmed against the ledger and the rest is looked after. */
  tickMs: number;
  /** How long a tenant's list of hard budgets is trusted; it is read again from half of that. */
  budgetCacheMs: number;
}

export const DEFAULT_ESCROW_OPTIONS: Omit<EscrowOptions, 'processId'> = Object.freeze({
  sliceMicroUsd: 5_000_000,
  leaseTtlMs: 30_000,
  reservationTtlMs: 15 * 60_000,
  idleMs: 2_000,
  tickMs: 100,
  budgetCacheMs: 2_000,
});

/** A tenant's hard budgets as read at `at`; `refreshing` while a newer read is in flight. */
interface BudgetList {
  at: number;
  budgets: Promise<HardBudgetRow[]>;
  refreshing: boolean;
}

/** This process's lease on one budget period, and how it is split in memory. */
interface Account extends LeaseKey {
  periodEnd: number;
  /** What the database holds leased to this process (free + reserved + pending). */
  lease: number;
  free: number;
  reserved: number;
  /** Settled costs not yet confirmed in the ledger, by ledger key. */
  pending: Map<string, number>;
  lastUsed: number;
  leaseExpiresAt: number;
  /** Bumped when the lease is lost; holds of an older epoch no longer count against it. */
  epoch: number;
}

interface Hold {
  account: Account;
  epoch: number;
}

interface OpenReservation extends EscrowReservation {
  tenantId: string;
  callId: string;
  holds: Hold[];
  expiresAt: number;
  released: boolean;
}

export interface BudgetEscrow {
  reserve(request: ReserveRequest): Promise<EscrowReservation>;
  settle(reservation: EscrowReservation, actualMicroUsd: number): Promise<void>;
  remainingMicroUsd(tenantId: string): Promise<number | null>;
  /** Drops what this process cached of the tenant's budgets (after a budget route commits). */
  invalidate(tenantId: string): void;
  /** Confirms settled costs, expires reservations, renews and returns leases: one maintenance pass. */
  tick(): Promise<void>;
  /** What this process holds, for tests and metrics. */
  held(): { leased: number; reserved: number; pending: number; open: number };
  /** Confirms what it can and returns every lease with nothing reserved; call after the gateway closed. */
  close(): Promise<void>;
}

const leaseId = (budgetId: string, periodStart: string) => `${budgetId}|${periodStart}`;

/**
 * Hard budgets reserved in memory from leased slices (ADR 0007, "Escrow"): the database keeps
 * spent + Σ leases <= limit for every hard budget period, so no process can admit more than
 * its lease, and a reservation costs a round trip only when the slice runs short.
 */
export function createBudgetEscrow(
  deps: { db: Database; logger: Logger; now?: () => number },
  options: EscrowOptions,
): BudgetEscrow {
  const now = deps.now ?? Date.now;
  const q = createEscrowQueries(deps.db, options.processId);
  const budgetCache = new Map<string, BudgetList>();
  const workflows = new Map<string, string | null>();
  const notApplicable = new Map<string, number>();
  const accounts = new Map<string, Account>();
  const current = new Map<string, Account>();
  const open = new Map<string, OpenReservation>();
  const remainingCache = new Map<string, { at: number; value: Promise<number | null> }>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let closed = false;

  /** Reads the list; it replaces `stale` (if still cached) once read, and is dated from the read's start. */
  const loadBudgets = (tenantId: string, stale: BudgetList | undefined) => {
    const entry: BudgetList = { at: now(), budgets: q.hardBudgets(tenantId), refreshing: false };
    if (!stale) budgetCache.set(tenantId, entry);
    entry.budgets.then(
      () => {
        if (stale && budgetCache.get(tenantId) === stale) budgetCache.set(tenantId, entry);
      },
      () => {
        if (budgetCache.get(tenantId) === entry) budgetCache.delete(tenantId);
        if (stale) stale.refreshing = false;
      },
    );
    return entry.budgets;
  };

  /**
   * A tenant's hard budgets, never from a read older than `budgetCacheMs`. Past half of that the
   * list is read again in the background, so under steady traffic no call waits for the read.
   */
  const hardBudgetsOf = (tenantId: string) => {
    const cached = budgetCache.get(tenantId);
    const age = cached ? now() - cached.at : Number.POSITIVE_INFINITY;
    if (!cached || age >= options.budgetCacheMs) return loadBudgets(tenantId, undefined);
    if (age >= options.budgetCacheMs / 2 && !cached.refreshing) {
      cached.refreshing = true;
      // A failed re-read is handled in loadBudgets: the cached list serves until its time is up.
      void loadBudgets(tenantId, cached);
    }
    return cached.budgets;
  };

  const workflowOf = async (tenantId: string, runId: string) => {
    const key = `${tenantId}|${runId}`;
    if (workflows.has(key)) return workflows.get(key) ?? null;
    const found = await q.workflowOf(tenantId, runId);
    // A run's workflow never changes; the map is bounded by clearing it when it grows large.
    if (workflows.size > 50_000) workflows.clear();
    workflows.set(key, found);
    return found;
  };

  const covers = (budget: HardBudgetRow, request: ReserveRequest, workflowId: string | null) =>
    budget.scope === 'tenant' ||
    (budget.scope === 'api_key' && budget.scopeId === request.apiKeyId) ||
    (budget.scope === 'workflow' && workflowId !== null && budget.scopeId === workflowId);

  const usable = (account: Account | undefined, at: number): account is Account =>
    account !== undefined &&
    at < account.periodEnd &&
    // A lease near its expiry is extended by a grant before it is reserved from.
    at < account.leaseExpiresAt - options.leaseTtlMs / 3;

  const ensureTimer = () => {
    if (timer || closed) return;
    timer = setInterval(() => void runTick(), options.tickMs);
    timer.unref();
  };

  /** Tops the budget's lease up by at least `need` and holds `need` of it; null: not applicable. */
  const grantAndHold = async (
    tenantId: string,
    budget: HardBudgetRow,
    need: number,
  ): Promise<Account | null> => {
    const at = now();
    const row = await q.grant(
      tenantId,
      budget.id,
      need,
      Math.max(need, options.sliceMicroUsd),
      at,
      at + options.leaseTtlMs,
    );
    if (!row) {
      notApplicable.set(budget.id, at + options.budgetCacheMs);
      return null;
    }
    const id = leaseId(budget.id, row.periodStart);
    let account = accounts.get(id);
    if (!account) {
      account = {
        tenantId,
        budgetId: budget.id,
        periodStart: row.periodStart,
        periodEnd: row.periodEnd,
        lease: 0,
        free: 0,
        reserved: 0,
        pending: new Map(),
        lastUsed: at,
        leaseExpiresAt: 0,
        epoch: 0,
      };
      accounts.set(id, account);
    }
    const latest = current.get(budget.id);
    if (!latest || latest.periodStart <= row.periodStart) current.set(budget.id, account);
    if (row.granted === 0) {
      throw new MeteringError(
        'BUDGET_EXCEEDED',
        `The ${budget.scope === 'api_key' ? 'API key' : budget.scope} budget ${budget.id} has ${Math.max(0, row.limit - row.spent - row.leased)} µUSD unreserved, less than the ${need} µUSD this call could cost; it resets at ${new Date(row.periodEnd).toISOString()}`,
        {
          budgetId: budget.id,
          scope: budget.scope,
          scopeId: budget.scopeId,
          limitMicroUsd: row.limit,
          remainingMicroUsd: Math.max(0, row.limit - row.spent - row.leased),
          requestedMicroUsd: need,
          resetsAt: new Date(row.periodEnd).toISOString(),
        },
      );
    }
    account.lease += row.granted;
    account.free += row.granted - need;
    account.reserved += need;
    account.lastUsed = at;
    account.leaseExpiresAt = Math.max(account.leaseExpiresAt, at + options.leaseTtlMs);
    ensureTimer();
    return account;
  };

  const unhold = (holds: readonly Hold[], amount: number) => {
    for (const { account, epoch } of holds) {
      if (epoch !== account.epoch) continue;
      account.reserved -= amount;
      account.free += amount;
    }
  };

  const release = async (account: Account, amount: number) => {
    if (amount <= 0) return;
    account.free -= amount;
    account.lease -= amount;
    try {
      if (!(await q.release(account, amount))) lose(account);
    } catch (error) {
      account.free += amount;
      account.lease += amount;
      deps.logger.warn({ err: error, budgetId: account.budgetId }, 'returning a budget lease failed');
    }
  };

  /** The database no longer holds this lease (it expired and was released): start over. */
  const lose = (account: Account) => {
    if (account.reserved > 0)
      deps.logger.warn(
        { budgetId: account.budgetId, reserved: account.reserved },
        'a budget lease expired while calls were in flight',
      );
    account.epoch += 1;
    account.lease = 0;
    account.free = 0;
    account.reserved = 0;
    account.pending.clear();
    account.leaseExpiresAt = 0;
  };

  const settleNow = (reservation: OpenReservation, actual: number) => {
    const at = now();
    for (const { account, epoch } of reservation.holds) {
      if (epoch !== account.epoch) continue;
      if (!reservation.released) {
        account.reserved -= reservation.amountMicroUsd;
        account.free += reservation.amountMicroUsd;
      }
      if (actual > 0) {
        // The cost stays leased until its ledger row exists (confirm), then leaves the lease.
        account.free -= actual;
        const key = `llm:${reservation.callId}`;
        account.pending.set(key, (account.pending.get(key) ?? 0) + actual);
      }
      account.lastUsed = at;
    }
  };

  const confirm = async () => {
    const charges: PendingCharge[] = [];
    for (const account of accounts.values())
      for (const [key, amount] of account.pending)
        charges.push({
          tenantId: account.tenantId,
          budgetId: account.budgetId,
          periodStart: account.periodStart,
          key,
          amount,
        });
    if (charges.length === 0) return;
    const seen = await q.confirm(charges);
    for (const charge of charges) {
      if (!seen.has(`${charge.budgetId}|${charge.periodStart}|${charge.key}`)) continue;
      const account = accounts.get(leaseId(charge.budgetId, charge.periodStart));
      const amount = account?.pending.get(charge.key);
      if (!account || amount === undefined) continue;
      account.pending.delete(charge.key);
      account.lease -= amount;
    }
  };

  const pendingOf = (account: Account) => {
    let sum = 0;
    for (const amount of account.pending.values()) sum += amount;
    return sum;
  };

  const tick = async () => {
    const at = now();
    for (const reservation of open.values()) {
      if (reservation.expiresAt > at || reservation.released) continue;
      reservation.released = true;
      unhold(reservation.holds, reservation.amountMicroUsd);
      open.delete(reservation.id);
    }
    await confirm();
    const renewals: Account[] = [];
    for (const [id, account] of accounts) {
      const idle = account.reserved === 0 && at - account.lastUsed >= options.idleMs;
      const ended = at >= account.periodEnd && account.reserved === 0;
      if ((idle || ended) && account.free > 0) await release(account, account.free);
      if ((idle || ended) && account.lease === 0 && account.pending.size === 0) {
        await q.dropIfEmpty(account);
        accounts.delete(id);
        if (current.get(account.budgetId) === account) current.delete(account.budgetId);
        continue;
      }
      // Surplus after settles: keep one slice, return the rest.
      if (account.free > 2 * options.sliceMicroUsd)
        await release(account, account.free - options.sliceMicroUsd);
      if (account.lease > 0 && account.leaseExpiresAt - at < (2 * options.leaseTtlMs) / 3)
        renewals.push(account);
    }
    if (renewals.length > 0) {
      const expiresAt = at + options.leaseTtlMs;
      const lost = new Set(
        (await q.renew(renewals, expiresAt)).map((l) => leaseId(l.budgetId, l.periodStart)),
      );
      for (const account of renewals) {
        if (lost.has(leaseId(account.budgetId, account.periodStart))) lose(account);
        else account.leaseExpiresAt = expiresAt;
      }
    }
    if (accounts.size === 0 && open.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  const runTick = (): Promise<void> => {
    ticking ??= tick()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'budget escrow maintenance failed'))
      .finally(() => {
        ticking = null;
      });
    return ticking;
  };

  return {
    async reserve(request) {
      const amount = Math.max(0, Math.ceil(request.amountMicroUsd));
      const reservation: OpenReservation = {
        id: randomUUID(),
        amountMicroUsd: amount,
        tenantId: request.tenantId,
        callId: request.callId,
        holds: [],
        expiresAt: now() + options.reservationTtlMs,
        released: false,
      };
      const budgets = amount > 0 ? await hardBudgetsOf(request.tenantId) : [];
      if (budgets.length === 0) return reservation;
      const workflowId =
        request.runId && budgets.some((b) => b.scope === 'workflow')
          ? await workflowOf(request.tenantId, request.runId)
          : null;
      try {
        for (const budget of budgets) {
          if (!covers(budget, request, workflowId)) continue;
          const at = now();
          if ((notApplicable.get(budget.id) ?? 0) > at) continue;
          const account = current.get(budget.id);
          // The check and the take happen with no await between them.
          if (usable(account, at) && account.free >= amount) {
            account.free -= amount;
            account.reserved += amount;
            account.lastUsed = at;
            reservation.holds.push({ account, epoch: account.epoch });
            continue;
          }
          const granted = await grantAndHold(request.tenantId, budget, amount);
          if (granted) reservation.holds.push({ account: granted, epoch: granted.epoch });
        }
      } catch (error) {
        unhold(reservation.holds, amount);
        throw error;
      }
      if (reservation.holds.length > 0) {
        open.set(reservation.id, reservation);
        ensureTimer();
      }
      return reservation;
    },

    async settle(given, actualMicroUsd) {
      const reservation = given as Partial<OpenReservation>;
      if (!reservation.holds || reservation.holds.length === 0) return;
      const full = reservation as OpenReservation;
      open.delete(full.id);
      settleNow(full, Math.max(0, Math.ceil(actualMicroUsd)));
      full.released = true;
      full.holds = [];
      ensureTimer();
    },

    remainingMicroUsd(tenantId) {
      const cached = remainingCache.get(tenantId);
      if (cached && now() - cached.at < 1_000) return cached.value;
      const value = q.remaining(tenantId, now());
      remainingCache.set(tenantId, { at: now(), value });
      value.catch(() => remainingCache.delete(tenantId));
      return value;
    },

    invalidate(tenantId) {
      budgetCache.delete(tenantId);
      remainingCache.delete(tenantId);
      notApplicable.clear();
    },

    tick: runTick,

    held() {
      let leased = 0;
      let reserved = 0;
      let pending = 0;
      for (const account of accounts.values()) {
        leased += account.lease;
        reserved += account.reserved;
        pending += pendingOf(account);
      }
      return { leased, reserved, pending, open: open.size };
    },

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
      await confirm().catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'confirming settled budget costs at close failed'),
      );
      // The gateway has written its call records: a cost not in the ledger now never will be.
      for (const account of accounts.values()) {
        for (const amount of account.pending.values()) account.free += amount;
        account.pending.clear();
        await release(account, account.free);
        if (account.lease === 0) await q.dropIfEmpty(account);
      }
    },
  };
}
