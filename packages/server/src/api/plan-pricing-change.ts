import { appendAuditEvent } from '../audit/index.ts';
import type { Queryable } from '../db/index.ts';
import { setPlanPricing, type PlanPricing, type PricingInput } from '../metering/index.ts';
import type { OperatorChange } from '../scheduling/index.ts';

/**
 * Sets a plan's pricing version (metering) and records `plan.pricing.set` in the audit chain
 * of every tenant on the plan, in the same transaction: the operator API and CLI both use it.
 */
export async function changePlanPricing(
  sys: Queryable,
  plan: string,
  input: PricingInput,
  now: Date,
  change: OperatorChange,
): Promise<PlanPricing> {
  const { before, after } = await setPlanPricing(sys, plan, input, now);
  const tenants = await sys.query<{ id: string }>('select id from tenants where plan = $1 order by id', [
    plan,
  ]);
  for (const tenant of tenants.rows) {
    await appendAuditEvent(sys, tenant.id, {
      actor: change.actor,
      action: 'plan.pricing.set',
      target: { type: 'plan', id: plan },
      requestId: change.requestId,
      ip: change.ip,
      details: {
        effectiveFrom: after.effectiveFrom,
        replaced: before !== null,
        basePriceMicroUsd: after.basePriceMicroUsd,
        meters: after.meters,
      },
    });
  }
  return after;
}
