import type { Queryable } from '../db/index.ts';
import { MeteringError } from './errors.ts';
import {
  assertPricing,
  monthStartOf,
  pricingMonthOpen,
  type MeterPricing,
  type PlanPricing,
  type PricingInput,
} from './plan-pricing.ts';

type PricingRow = {
  id: number | string;
  plan: string;
  effective_from: string;
  base_micro_usd: number | string;
  meters: MeterPricing | string;
  created_at: Date | string;
};

// effective_from as text: a date column would come back as a Date at local midnight.
const SELECT = `select id, plan, to_char(effective_from, 'YYYY-MM') as effective_from, base_micro_usd, meters,
       created_at from plan_prices`;

const toPricing = (row: PricingRow): PlanPricing => ({
  id: Number(row.id),
  plan: row.plan,
  effectiveFrom: row.effective_from,
  basePriceMicroUsd: Number(row.base_micro_usd),
  meters: typeof row.meters === 'string' ? (JSON.parse(row.meters) as MeterPricing) : row.meters,
  createdAt: new Date(row.created_at).toISOString(),
});

async function assertPlanExists(q: Queryable, plan: string): Promise<void> {
  const found = await q.query<{ name: string }>('select name from plans where name = $1', [plan]);
  if (!found.rows[0]) throw new MeteringError('PRICING_PLAN_NOT_FOUND', `No plan named ${plan}`);
}

/** A plan's pricing versions, newest first. */
export async function listPlanPricing(q: Queryable, plan: string): Promise<PlanPricing[]> {
  await assertPlanExists(q, plan);
  const found = await q.query<PricingRow>(`${SELECT} where plan = $1 order by effective_from desc`, [plan]);
  return found.rows.map(toPricing);
}

/** The version in effect for `month` (YYYY-MM): the latest starting in or before it; null if none. */
export async function pricingForMonth(
  q: Queryable,
  plan: string,
  month: string,
): Promise<PlanPricing | null> {
  const found = await q.query<PricingRow>(
    `${SELECT} where plan = $1 and effective_from <= $2::date order by effective_from desc limit 1`,
    [plan, monthStartOf(month)],
  );
  const row = found.rows[0];
  return row ? toPricing(row) : null;
}

/**
 * Sets the version of a plan starting in `effectiveFrom`, replacing one of the same month. Only
 * a month not yet ended anywhere: no stored statement can use the row replaced (ADR 0008).
 * Returns the version before (null if new) and after, for the audit events.
 */
export async function setPlanPricing(
  sys: Queryable,
  plan: string,
  input: PricingInput,
  now: Date,
): Promise<{ before: PlanPricing | null; after: PlanPricing }> {
  assertPricing(input);
  await assertPlanExists(sys, plan);
  if (!pricingMonthOpen(input.effectiveFrom, now))
    throw new MeteringError(
      'PRICING_MONTH_CLOSED',
      `${input.effectiveFrom} has ended in some time zone; a new price can start in a later month`,
      { effectiveFrom: input.effectiveFrom },
    );
  const start = monthStartOf(input.effectiveFrom);
  const removed = await sys.query<PricingRow>(
    `delete from plan_prices where plan = $1 and effective_from = $2::date
     returning id, plan, to_char(effective_from, 'YYYY-MM') as effective_from, base_micro_usd, meters, created_at`,
    [plan, start],
  );
  const inserted = await sys.query<PricingRow>(
    `insert into plan_prices (plan, effective_from, base_micro_usd, meters) values ($1, $2::date, $3, $4::jsonb)
     returning id, plan, to_char(effective_from, 'YYYY-MM') as effective_from, base_micro_usd, meters, created_at`,
    [plan, start, input.basePriceMicroUsd, JSON.stringify(input.meters)],
  );
  const row = inserted.rows[0];
  if (!row) throw new Error('plan_prices insert returned no row');
  const old = removed.rows[0];
  return { before: old ? toPricing(old) : null, after: toPricing(row) };
}
