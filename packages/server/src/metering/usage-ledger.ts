import { createBatchWriter, type Database } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';

export const USAGE_KINDS = [
  'llm_call',
  'cache_hit',
  'run_started',
  'step_executed',
  'worker_seconds',
  'stored_bytes',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/**
 * One row of the ledger (`usage_events`), idempotent by (tenant, key). LLM calls reach it from
 * `llm_calls` by the ledger trigger (ADR 0007); runs and steps from the engine's tables by
 * triggers too (migration 0013), keyed `run:<run id>` and `step:<run id>:<step key>:<attempt>`;
 * this writer records events of any kind from outside a transaction of the engine.
 */
export interface UsageEvent {
  tenantId: string;
  key: string;
  kind: UsageKind;
  occurredAt: Date;
  apiKeyId?: string | null;
  workflowId?: string | null;
  runId?: string | null;
  callId?: string | null;
  provider?: string | null;
  model?: string | null;
  priceId?: number | null;
  priceSource?: 'catalog' | 'tenant' | null;
  tokensIn?: number;
  tokensOut?: number;
  tokensCached?: number;
  costMicroUsd?: number;
  /** Milliseconds for worker_seconds, bytes for stored_bytes, 1 otherwise (migration 0013). */
  quantity?: number;
  /** The worker pool of a run, step or worker time. */
  pool?: string | null;
}

/**
 * One statement for any number of events: a parameter per column, each an array. Rows go in
 * key order, so two writers replaying overlapping events wait for each other, never deadlock.
 */
const INSERT_SQL = `insert into usage_events (tenant_id, key, kind, occurred_at, api_key_id, workflow_id, run_id,
                          call_id, provider, model, price_id, price_source, tokens_in, tokens_out,
                          tokens_cached, cost_micro_usd, quantity, pool)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::uuid[], $7::uuid[],
                     $8::uuid[], $9::text[], $10::text[], $11::bigint[], $12::text[], $13::bigint[],
                     $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::text[])
order by 1, 2
on conflict do nothing`;

/** The statement's parameters: one array per column, in INSERT_SQL's order. */
export const usageEventColumns = (events: readonly UsageEvent[]): unknown[][] => [
  events.map((e) => e.tenantId),
  events.map((e) => e.key),
  events.map((e) => e.kind),
  events.map((e) => e.occurredAt.toISOString()),
  events.map((e) => e.apiKeyId ?? null),
  events.map((e) => e.workflowId ?? null),
  events.map((e) => e.runId ?? null),
  events.map((e) => e.callId ?? null),
  events.map((e) => e.provider ?? null),
  events.map((e) => e.model ?? null),
  events.map((e) => e.priceId ?? null),
  events.map((e) => e.priceSource ?? null),
  events.map((e) => e.tokensIn ?? 0),
  events.map((e) => e.tokensOut ?? 0),
  events.map((e) => e.tokensCached ?? 0),
  events.map((e) => e.costMicroUsd ?? 0),
  events.map((e) => e.quantity ?? 1),
  events.map((e) => e.pool ?? null),
];

export interface UsageLedger {
  /** Buffers events; written with others within `flushMs` or once `maxBatch` are buffered. */
  record(events: readonly UsageEvent[]): void;
  /** Writes events now; resolves to how many were new (the rest were recorded before). */
  recordNow(events: readonly UsageEvent[]): Promise<number>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The ledger writer: batched, idempotent by key, append-only (the system role inserts only). */
export function createUsageLedger(
  deps: { db: Database; logger: Logger },
  options: { flushMs: number; maxBatch: number },
): UsageLedger {
  const insert = async (events: readonly UsageEvent[]) => {
    if (events.length === 0) return 0;
    const result = await deps.db.systemQuery(INSERT_SQL, usageEventColumns(events));
    return result.rowCount;
  };
  // The keys make a second write of the same events harmless.
  const batch = createBatchWriter<UsageEvent>(
    async (events) => {
      await insert(events);
    },
    {
      ...options,
      onError: (error, rows) =>
        deps.logger.error({ err: error, events: rows }, 'writing usage events failed'),
    },
  );

  return {
    record: (events) => batch.add(events),
    recordNow: insert,
    flush: batch.flush,
    close: batch.flush,
  };
}
