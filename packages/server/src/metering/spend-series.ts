import type { Queryable } from '../db/index.ts';

/** One model's LLM spend on one day of the tenant's time zone. */
export interface DailyModelSpend {
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  provider: string;
  model: string;
  /** Calls answered by the provider. */
  calls: number;
  /** Calls answered from the response cache. */
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costMicroUsd: number;
}

/**
 * The ledger's LLM events (calls and cache hits) that occurred in [from, to), summed by day of
 * the tenant's time zone, provider and model; oldest day first. A day cut by the range counts
 * only its part inside it.
 */
export async function spendByModelAndDay(
  tx: Queryable,
  range: { from: Date; to: Date },
): Promise<DailyModelSpend[]> {
  const result = await tx.query<Record<string, string | number>>(
    `select to_char((u.occurred_at at time zone t.time_zone)::date, 'YYYY-MM-DD') as day,
            coalesce(u.provider, '') as provider, coalesce(u.model, '') as model,
            count(*) filter (where u.kind = 'llm_call')::int as calls,
            count(*) filter (where u.kind = 'cache_hit')::int as cache_hits,
            sum(u.tokens_in) as tokens_in, sum(u.tokens_out) as tokens_out,
            sum(u.tokens_cached) as tokens_cached, sum(u.cost_micro_usd) as cost
       from usage_events u
       join tenants t on t.id = u.tenant_id
      where u.kind in ('llm_call', 'cache_hit')
        and u.occurred_at >= $1::timestamptz and u.occurred_at < $2::timestamptz
      group by 1, 2, 3
      order by 1, 2, 3`,
    [range.from.toISOString(), range.to.toISOString()],
  );
  // Sums of bigint columns come back as numeric strings; a tenant's range stays far below 2^53.
  return result.rows.map((row) => ({
    day: String(row.day),
    provider: String(row.provider),
    model: String(row.model),
    calls: Number(row.calls),
    cacheHits: Number(row.cache_hits),
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    tokensCached: Number(row.tokens_cached),
    costMicroUsd: Number(row.cost),
  }));
}
