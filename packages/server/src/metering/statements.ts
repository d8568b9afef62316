import { createHash } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { MeteringError } from './errors.ts';
import { pricingForMonth } from './pricing-store.ts';
import {
  buildStatement,
  renderStatementJson,
  type StatementDocument,
  type StatementStatus,
} from './statement.ts';
import {
  firstUsageMonth,
  monthBounds,
  readMeterQuantities,
  readStoredStatement,
  readStoredStatements,
  readTenantBilling,
  storeStatement,
  type StoredStatement,
} from './statement-store.ts';

/** A month closes this long after it ended: the ledger's batch writers flush within seconds. */
export const STATEMENT_CLOSE_GRACE_MS = 15 * 60_000;

/** The most months the statement list goes back. */
export const STATEMENT_LIST_MONTHS = 120;

export interface GeneratedStatement {
  document: StatementDocument;
  /** The JSON bytes: for a closed month, exactly the stored ones. */
  json: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function fromStored(stored: StoredStatement): GeneratedStatement {
  if (sha256(stored.body) !== stored.sha256)
    throw new Error(`stored statement ${stored.month} does not match its sha256`);
  return { document: JSON.parse(stored.body) as StatementDocument, json: stored.body };
}

/**
 * A tenant's statement for `month` (YYYY-MM, the transaction's tenant). A closed month is the
 * stored statement, or generated and stored now if this is its first generation after it
 * closed; the open month is a live draft, never stored (docs/adr/0008-billing.md).
 */
export async function generateStatement(
  tx: Queryable,
  tenantId: string,
  month: string,
  now: Date,
): Promise<GeneratedStatement> {
  const tenant = await readTenantBilling(tx, tenantId, now);
  if (month > tenant.currentMonth)
    throw new MeteringError(
      'STATEMENT_MONTH_IN_FUTURE',
      `${month} has not begun in ${tenant.timeZone} (it is ${tenant.currentMonth} there)`,
      { month, currentMonth: tenant.currentMonth },
    );
  const stored = await readStoredStatement(tx, tenantId, month);
  if (stored) return fromStored(stored);
  const pricing = await pricingForMonth(tx, tenant.plan, month);
  if (!pricing)
    throw new MeteringError('PLAN_UNPRICED', `Plan ${tenant.plan} has no pricing in effect for ${month}`, {
      plan: tenant.plan,
      month,
    });
  const bounds = await monthBounds(tx, month, tenant.timeZone);
  const closing = now.getTime() >= bounds.end.getTime() + STATEMENT_CLOSE_GRACE_MS;
  const quantities = await readMeterQuantities(tx, tenantId, bounds, closing ? now : null);
  const document = buildStatement({
    tenant: { id: tenant.id, name: tenant.name },
    month,
    status: closing ? 'closed' : 'open',
    timeZone: tenant.timeZone,
    periodStart: bounds.startLocal,
    periodEnd: bounds.endLocal,
    closedAt: closing ? now.toISOString() : null,
    plan: tenant.plan,
    pricing,
    quantities,
  });
  const json = renderStatementJson(document);
  if (!closing) return { document, json };
  return fromStored(
    await storeStatement(tx, {
      tenantId,
      month,
      bounds,
      closedAt: now,
      plan: tenant.plan,
      pricingId: pricing.id,
      totalMicroUsd: document.totals.totalMicroUsd,
      sha256: sha256(json),
      body: json,
    }),
  );
}

export interface StatementSummary {
  month: string;
  /** unpriced: the plan had no pricing in effect that month (PLAN_UNPRICED). */
  status: StatementStatus | 'unpriced';
  closedAt: string | null;
  plan: string;
  totalUsd: string | null;
  totalMicroUsd: number | null;
  lateEvents: number;
}

const previousMonth = (month: string): string => {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon === 1 ? `${year - 1}-12` : `${year}-${String(mon - 1).padStart(2, '0')}`;
};

/**
 * Every month from the tenant's first (its creation or first ledger row, whichever is earlier)
 * to the current one, newest first: the last STATEMENT_LIST_MONTHS generated (which closes those
 * that ended since the last look), older stored ones as stored.
 */
export async function listStatements(
  tx: Queryable,
  tenantId: string,
  now: Date,
): Promise<StatementSummary[]> {
  const tenant = await readTenantBilling(tx, tenantId, now);
  const stored = await readStoredStatements(tx, tenantId);
  const firstUsage = await firstUsageMonth(tx, tenantId, tenant.timeZone);
  const first = [tenant.createdMonth, firstUsage]
    .filter((m): m is string => m !== null)
    .reduce((a, b) => (a < b ? a : b));
  const summaries: StatementSummary[] = [];
  let month = tenant.currentMonth;
  for (; month >= first && summaries.length < STATEMENT_LIST_MONTHS; month = previousMonth(month))
    summaries.push(await summaryOf(tx, tenantId, month, now, tenant.plan));
  for (const older of stored.filter((s) => s.month <= month)) {
    const { document } = fromStored(older);
    summaries.push(summaryFrom(document, older.lateEvents));
  }
  return summaries;
}

const summaryFrom = (document: StatementDocument, lateEvents: number): StatementSummary => ({
  month: document.month,
  status: document.status,
  closedAt: document.closedAt,
  plan: document.plan,
  totalUsd: document.totals.totalUsd,
  totalMicroUsd: document.totals.totalMicroUsd,
  lateEvents,
});

async function summaryOf(
  tx: Queryable,
  tenantId: string,
  month: string,
  now: Date,
  plan: string,
): Promise<StatementSummary> {
  try {
    const { document } = await generateStatement(tx, tenantId, month, now);
    const stored = document.status === 'closed' ? await readStoredStatement(tx, tenantId, month) : null;
    return summaryFrom(document, stored?.lateEvents ?? 0);
  } catch (error) {
    if (!(error instanceof MeteringError && error.code === 'PLAN_UNPRICED')) throw error;
    return {
      month,
      status: 'unpriced',
      closedAt: null,
      plan,
      totalUsd: null,
      totalMicroUsd: null,
      lateEvents: 0,
    };
  }
}

/**
 * Closes every tenant's previous month (its zone) that ended more than the grace period ago,
 * has pricing and is not stored yet: the maintenance pass calls it, so a month is closed on the
 * plan of its end rather than at the first look. System role; returns how many it stored.
 */
export async function closeDueStatements(sys: Queryable, now: Date): Promise<number> {
  const due = await sys.query<{ id: string; month: string }>(
    `select t.id, m.month
       from tenants t
      cross join lateral (select to_char(date_trunc('month', $1::timestamptz at time zone t.time_zone)
                                         - interval '1 month', 'YYYY-MM') as month,
                                 date_trunc('month', $1::timestamptz at time zone t.time_zone)
                                   at time zone t.time_zone as ended) m
      where m.ended <= $1::timestamptz - $2 * interval '1 millisecond'
        and not exists (select 1 from statements s where s.tenant_id = t.id and s.month = (m.month || '-01')::date)
        and exists (select 1 from plan_prices p where p.plan = t.plan and p.effective_from <= (m.month || '-01')::date)
      order by t.id`,
    [now.toISOString(), STATEMENT_CLOSE_GRACE_MS],
  );
  for (const row of due.rows) await generateStatement(sys, row.id, row.month, now);
  return due.rows.length;
}
