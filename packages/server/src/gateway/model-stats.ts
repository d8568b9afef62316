import type { Database } from '../db/index.ts';
import type { Logger } from '../observability/index.ts';

/** What routing knows of a model from every tenant's calls of the last few minutes. */
export interface ModelHealth {
  requests: number;
  errors: number;
  /** Mean latency of successful calls, ms; null before the first one. */
  meanLatencyMs: number | null;
  meanTtftMs: number | null;
}

export interface ModelStats {
  /** Counts one attempt (never its content) into this process's next flush. */
  observe(
    provider: string,
    model: string,
    outcome: { ok: boolean; latencyMs: number; ttftMs: number | null },
  ): void;
  health(provider: string, model: string): ModelHealth | null;
  /** Reads the shared figures of the window again (every `refreshMs` on its own). */
  refresh(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Counter {
  requests: number;
  errors: number;
  latencySum: number;
  ttftSum: number;
  ttftCount: number;
}

const BUCKET_MS = 60_000;
const emptyCounter = (): Counter => ({ requests: 0, errors: 0, latencySum: 0, ttftSum: 0, ttftCount: 0 });
const add = (into: Counter, from: Counter) => {
  into.requests += from.requests;
  into.errors += from.errors;
  into.latencySum += from.latencySum;
  into.ttftSum += from.ttftSum;
  into.ttftCount += from.ttftCount;
};

/**
 * Shared model health (ADR 0006): each process adds its counts per minute bucket to
 * `llm_model_stats` in one statement per flush, and reads the sums of the last `windowMs`
 * back; between reads it adds its own unflushed counts, so it reacts to its own failures at once.
 */
export function createModelStats(
  deps: { db: Database; logger: Logger; now?: () => number },
  options: { flushMs: number; windowMs: number },
): ModelStats {
  const now = deps.now ?? Date.now;
  let pending = new Map<string, Counter & { provider: string; model: string; bucket: number }>();
  let shared = new Map<string, Counter>();
  const local = new Map<string, Counter>();

  const flush = async () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending = new Map();
    try {
      await deps.db.systemQuery(
        `insert into llm_model_stats (provider, model, bucket, requests, errors, latency_ms_sum, ttft_ms_sum, ttft_count)
         select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::bigint[], $7::bigint[], $8::int[])
         on conflict (provider, model, bucket) do update set
           requests = llm_model_stats.requests + excluded.requests,
           errors = llm_model_stats.errors + excluded.errors,
           latency_ms_sum = llm_model_stats.latency_ms_sum + excluded.latency_ms_sum,
           ttft_ms_sum = llm_model_stats.ttft_ms_sum + excluded.ttft_ms_sum,
           ttft_count = llm_model_stats.ttft_count + excluded.ttft_count`,
        [
          rows.map((r) => r.provider),
          rows.map((r) => r.model),
          rows.map((r) => new Date(r.bucket).toISOString()),
          rows.map((r) => r.requests),
          rows.map((r) => r.errors),
          rows.map((r) => Math.round(r.latencySum)),
          rows.map((r) => Math.round(r.ttftSum)),
          rows.map((r) => r.ttftCount),
        ],
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'writing model statistics failed; they are dropped');
    }
  };

  const refresh = async () => {
    try {
      const result = await deps.db.systemQuery<{
        provider: string;
        model: string;
        requests: string;
        errors: string;
        latency: string;
        ttft: string;
        ttft_count: string;
      }>(
        `select provider, model, sum(requests) as requests, sum(errors) as errors,
                sum(latency_ms_sum) as latency, sum(ttft_ms_sum) as ttft, sum(ttft_count) as ttft_count
           from llm_model_stats where bucket >= $1 group by provider, model`,
        [new Date(now() - options.windowMs).toISOString()],
      );
      shared = new Map(
        result.rows.map((row) => [
          `${row.provider}/${row.model}`,
          {
            requests: Number(row.requests),
            errors: Number(row.errors),
            latencySum: Number(row.latency),
            ttftSum: Number(row.ttft),
            ttftCount: Number(row.ttft_count),
          },
        ]),
      );
      local.clear();
    } catch (error) {
      deps.logger.warn({ err: error }, 'reading model statistics failed');
    }
  };

  const flushTimer = setInterval(() => void flush(), options.flushMs);
  flushTimer.unref();
  const refreshTimer = setInterval(() => void flush().then(refresh), Math.max(options.flushMs, 1000));
  refreshTimer.unref();

  return {
    observe(provider, model, outcome) {
      const bucket = Math.floor(now() / BUCKET_MS) * BUCKET_MS;
      const key = `${provider}/${model}@${bucket}`;
      const counter = pending.get(key) ?? { ...emptyCounter(), provider, model, bucket };
      const delta: Counter = {
        requests: 1,
        errors: outcome.ok ? 0 : 1,
        latencySum: outcome.ok ? outcome.latencyMs : 0,
        ttftSum: outcome.ttftMs ?? 0,
        ttftCount: outcome.ttftMs === null ? 0 : 1,
      };
      add(counter, delta);
      pending.set(key, counter);
      const mine = local.get(`${provider}/${model}`) ?? emptyCounter();
      add(mine, delta);
      local.set(`${provider}/${model}`, mine);
    },
    health(provider, model) {
      const key = `${provider}/${model}`;
      const sum = emptyCounter();
      const fromShared = shared.get(key);
      const fromLocal = local.get(key);
      if (!fromShared && !fromLocal) return null;
      if (fromShared) add(sum, fromShared);
      if (fromLocal) add(sum, fromLocal);
      const ok = sum.requests - sum.errors;
      return {
        requests: sum.requests,
        errors: sum.errors,
        meanLatencyMs: ok > 0 ? sum.latencySum / ok : null,
        meanTtftMs: sum.ttftCount > 0 ? sum.ttftSum / sum.ttftCount : null,
      };
    },
    refresh: async () => {
      await flush();
      await refresh();
    },
    flush,
    async close() {
      clearInterval(flushTimer);
      clearInterval(refreshTimer);
      await flush();
    },
  };
}
