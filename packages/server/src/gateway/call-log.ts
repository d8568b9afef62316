import { createBatchWriter, type Database } from '../db/index.ts';
import type { Logger, Metrics } from '../observability/index.ts';
import type { CallAttempt } from './gateway-types.ts';

/** One row of `llm_calls` (migration 0009): everything metering needs about a call. */
export interface CallRecord {
  tenantId: string;
  id: string;
  idempotencyKey: string | null;
  apiKeyId: string | null;
  runId: string | null;
  stepId: string | null;
  operation: 'chat' | 'embedding';
  alias: string | null;
  provider: string | null;
  model: string | null;
  priceId: number | null;
  priceSource: 'catalog' | 'tenant' | null;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costMicroUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  cacheHit: boolean;
  simulated: boolean;
  streamed: boolean;
  attempts: CallAttempt[];
  outcome: 'succeeded' | 'failed' | 'refused';
  errorCode: string | null;
  /** Kept only with an idempotency key: what a retry of the key gets back. */
  response: unknown;
  /** When the call began (not when its batch was written), ms since the epoch. */
  startedAt: number;
}

const COLUMNS = [
  'tenant_id',
  'id',
  'idempotency_key',
  'api_key_id',
  'run_id',
  'step_id',
  'operation',
  'alias',
  'provider',
  'model',
  'price_id',
  'price_source',
  'tokens_in',
  'tokens_out',
  'tokens_cached',
  'cost_micro_usd',
  'latency_ms',
  'ttft_ms',
  'cache_hit',
  'simulated',
  'streamed',
  'attempts',
  'outcome',
  'error_code',
  'response',
  'created_at',
] as const;
const TYPES = [
  'uuid',
  'uuid',
  'text',
  'uuid',
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'text',
  'bigint',
  'text',
  'int',
  'int',
  'int',
  'bigint',
  'int',
  'int',
  'boolean',
  'boolean',
  'boolean',
  'jsonb',
  'text',
  'text',
  'jsonb',
  'timestamptz',
] as const;

/** One multi-row insert for any number of records: a parameter per column, each an array. */
// Rows go in key order: two processes writing overlapping records (a replayed flush) wait for
// each other instead of deadlocking, which bench/metering showed they did in any other order.
const INSERT_SQL = `insert into llm_calls (${COLUMNS.join(', ')})
select * from unnest(${TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})
order by 1, 2
on conflict do nothing`;

const columnsOf = (records: readonly CallRecord[]): unknown[][] => [
  records.map((r) => r.tenantId),
  records.map((r) => r.id),
  records.map((r) => r.idempotencyKey),
  records.map((r) => r.apiKeyId),
  records.map((r) => r.runId),
  records.map((r) => r.stepId),
  records.map((r) => r.operation),
  records.map((r) => r.alias),
  records.map((r) => r.provider),
  records.map((r) => r.model),
  records.map((r) => r.priceId),
  records.map((r) => r.priceSource),
  records.map((r) => r.tokensIn),
  records.map((r) => r.tokensOut),
  records.map((r) => r.tokensCached),
  records.map((r) => r.costMicroUsd),
  records.map((r) => Math.round(r.latencyMs)),
  records.map((r) => (r.ttftMs === null ? null : Math.round(r.ttftMs))),
  records.map((r) => r.cacheHit),
  records.map((r) => r.simulated),
  records.map((r) => r.streamed),
  records.map((r) => JSON.stringify(r.attempts)),
  records.map((r) => r.outcome),
  records.map((r) => r.errorCode),
  records.map((r) => (r.response === undefined || r.response === null ? null : JSON.stringify(r.response))),
  records.map((r) => new Date(r.startedAt).toISOString()),
];

export interface CallLog {
  /** Buffers a record; written with others within `flushMs` (no round trip on the request path). */
  append(record: CallRecord): void;
  /**
   * Writes a record of an idempotent call now. False when the key was already recorded (a
   * concurrent call with the same key won): the caller then reads that one.
   */
  writeNow(record: CallRecord): Promise<boolean>;
  /** The recorded successful call with this key, if any. */
  findByKey(
    tenantId: string,
    key: string,
  ): Promise<{ id: string; response: unknown; record: Record<string, unknown> } | null>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway's call records (ADR 0006, step 7), written by the system role: batched into one
 * statement per flush, every `flushMs` or `maxBatch` records, whichever comes first.
 */
export function createCallLog(
  deps: { db: Database; logger: Logger; metrics?: Metrics | null | undefined },
  options: { flushMs: number; maxBatch: number },
): CallLog {
  const { metrics } = deps;
  // Metrics count the records this write inserted, as the ledger's trigger does (a replay adds nothing).
  const counted = (
    records: readonly CallRecord[],
    inserted: { rows: { id?: unknown }[]; rowCount: number },
  ) => {
    if (!metrics) return;
    if (inserted.rowCount === records.length) for (const record of records) metrics.llmCall(record);
    else {
      const ids = new Set(inserted.rows.map((row) => String(row.id)));
      for (const record of records) if (ids.has(record.id)) metrics.llmCall(record);
    }
  };
  // Records are idempotent by (tenant, id), so a write retried after a failure adds nothing twice.
  const batch = createBatchWriter<CallRecord>(
    async (records) => {
      if (!metrics) await deps.db.systemQuery(INSERT_SQL, columnsOf(records));
      else counted(records, await deps.db.systemQuery(`${INSERT_SQL} returning id`, columnsOf(records)));
    },
    {
      ...options,
      onError: (error, rows) =>
        deps.logger.error({ err: error, records: rows }, 'writing gateway call records failed'),
    },
  );

  return {
    append: (record) => batch.add([record]),
    async writeNow(record) {
      const result = await deps.db.systemQuery(`${INSERT_SQL} returning id`, columnsOf([record]));
      counted([record], result);
      return result.rowCount > 0;
    },
    async findByKey(tenantId, key) {
      const found = await deps.db.systemQuery<Record<string, unknown>>(
        `select * from llm_calls where tenant_id = $1 and idempotency_key = $2 and outcome = 'succeeded'`,
        [tenantId, key],
      );
      const row = found.rows[0];
      return row ? { id: String(row.id), response: row.response, record: row } : null;
    },
    flush: batch.flush,
    close: batch.flush,
  };
}
