import { randomUUID } from 'node:crypto';
import type { Database } from '../../packages/server/src/db/index.ts';
import type { CallRecord } from '../../packages/server/src/gateway/call-log.ts';
import { usageEventColumns } from '../../packages/server/src/metering/index.ts';
import type { BenchPrice, BenchTenant } from './workload.ts';

export interface BenchSetup {
  tenants: BenchTenant[];
  price: BenchPrice;
}

/**
 * The machine's limit: a table of usage_events' columns and types with its primary key and
 * nothing else (no trigger, check, default beyond recorded_at's, foreign key, index or RLS).
 */
const PLAIN_TABLE_SQL = `create table bench_plain_events (
  tenant_id uuid not null, key text not null, kind text not null, occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(), api_key_id uuid, workflow_id uuid, run_id uuid,
  call_id uuid, provider text, model text, price_id bigint, price_source text, tokens_in bigint,
  tokens_out bigint, tokens_cached bigint, cost_micro_usd bigint, quantity bigint, pool text,
  primary key (tenant_id, key))`;

/** The ledger writer's statement shape (unnest of one array per column), without `on conflict`. */
export const PLAIN_INSERT_SQL = `insert into bench_plain_events (tenant_id, key, kind, occurred_at, api_key_id, workflow_id,
  run_id, call_id, provider, model, price_id, price_source, tokens_in, tokens_out, tokens_cached, cost_micro_usd,
  quantity, pool)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::uuid[],
                     $8::uuid[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::bigint[],
                     $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::text[])`;

/** The same parameters as the ledger writer's statement, so both paths send identical batches. */
export const plainColumnsOf = usageEventColumns;

/**
 * The limit for the call records the llm path writes first: llm_calls' columns (`like` copies
 * types and not-null only) with a primary key, filled by the call log's statement shape.
 */
const PLAIN_CALLS_TABLE_SQL = `create table bench_plain_calls (like llm_calls, primary key (tenant_id, id))`;
const CALL_COLUMNS: [string, string, (r: CallRecord) => unknown][] = [
  ['tenant_id', 'uuid', (r) => r.tenantId],
  ['id', 'uuid', (r) => r.id],
  ['idempotency_key', 'text', (r) => r.idempotencyKey],
  ['api_key_id', 'uuid', (r) => r.apiKeyId],
  ['run_id', 'uuid', (r) => r.runId],
  ['step_id', 'text', (r) => r.stepId],
  ['operation', 'text', (r) => r.operation],
  ['alias', 'text', (r) => r.alias],
  ['provider', 'text', (r) => r.provider],
  ['model', 'text', (r) => r.model],
  ['price_id', 'bigint', (r) => r.priceId],
  ['price_source', 'text', (r) => r.priceSource],
  ['tokens_in', 'int', (r) => r.tokensIn],
  ['tokens_out', 'int', (r) => r.tokensOut],
  ['tokens_cached', 'int', (r) => r.tokensCached],
  ['cost_micro_usd', 'bigint', (r) => r.costMicroUsd],
  ['latency_ms', 'int', (r) => Math.round(r.latencyMs)],
  ['ttft_ms', 'int', (r) => (r.ttftMs === null ? null : Math.round(r.ttftMs))],
  ['cache_hit', 'boolean', (r) => r.cacheHit],
  ['simulated', 'boolean', (r) => r.simulated],
  ['streamed', 'boolean', (r) => r.streamed],
  ['attempts', 'jsonb', (r) => JSON.stringify(r.attempts)],
  ['outcome', 'text', (r) => r.outcome],
  ['error_code', 'text', (r) => r.errorCode],
  ['response', 'jsonb', (r) => (r.response === null ? null : JSON.stringify(r.response))],
  ['created_at', 'timestamptz', (r) => new Date(r.startedAt).toISOString()],
];
export const PLAIN_CALLS_INSERT_SQL = `insert into bench_plain_calls (${CALL_COLUMNS.map(([name]) => name).join(', ')})
select * from unnest(${CALL_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
export const plainCallColumnsOf = (records: readonly CallRecord[]): unknown[][] =>
  CALL_COLUMNS.map(([, , value]) => records.map(value));

/**
 * Tenants with a hard and a soft monthly tenant budget each (every call's cost is added to both
 * by the ledger trigger), the simulated model's catalog price, and the plain table.
 */
export async function seedBench(db: Database, count: number): Promise<BenchSetup> {
  return db.ownerTx(async (tx) => {
    const tenants: BenchTenant[] = [];
    for (let i = 0; i < count; i += 1) {
      const tenant = { tenantId: randomUUID(), workflowId: randomUUID(), apiKeyId: randomUUID() };
      await tx.query(`insert into tenants (id, name) values ($1, $2)`, [tenant.tenantId, `bench-${i}`]);
      for (const kind of ['hard', 'soft'])
        await tx.query(
          `insert into budgets (tenant_id, id, name, scope, period, limit_micro_usd, kind)
           values ($1, $2, $3, 'tenant', 'monthly', 1000000000000000, $4)`,
          [tenant.tenantId, randomUUID(), `bench ${kind}`, kind],
        );
      tenants.push(tenant);
    }
    const price = await tx.query<{ id: string; input: string; output: string }>(
      `select id, input_usd_per_mtok as input, output_usd_per_mtok as output from model_prices
        where provider = 'simulated' and model = 'sim-small' order by effective_from desc limit 1`,
    );
    const row = price.rows[0];
    if (!row) throw new Error('the catalog has no price for simulated/sim-small');
    await tx.query(PLAIN_TABLE_SQL);
    await tx.query(PLAIN_CALLS_TABLE_SQL);
    await tx.query('grant select, insert on bench_plain_events, bench_plain_calls to shoal_system');
    return {
      tenants,
      price: {
        priceId: Number(row.id),
        provider: 'simulated',
        model: 'sim-small',
        inputPerToken: Number(row.input),
        outputPerToken: Number(row.output),
      },
    };
  });
}
