import { randomUUID } from 'node:crypto';
import type { CallRecord } from '../../packages/server/src/gateway/call-log.ts';
import type { UsageEvent } from '../../packages/server/src/metering/index.ts';

/** The bench's tenants, each with a workflow and two budgets (one hard, one soft). */
export interface BenchTenant {
  tenantId: string;
  workflowId: string;
  apiKeyId: string;
}

/** The catalog price the calls are priced with (micro-USD per token = USD per million tokens). */
export interface BenchPrice {
  priceId: number;
  provider: string;
  model: string;
  inputPerToken: number;
  outputPerToken: number;
}

/** A deterministic generator (mulberry32), so every repetition sends the same shapes. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

/** A succeeded gateway call, priced when recorded as the gateway does (cost from the price row). */
export function callRecord(tenant: BenchTenant, price: BenchPrice, random: () => number): CallRecord {
  const tokensIn = 50 + Math.floor(random() * 2000);
  const tokensOut = 10 + Math.floor(random() * 500);
  return {
    tenantId: tenant.tenantId,
    id: randomUUID(),
    idempotencyKey: null,
    apiKeyId: tenant.apiKeyId,
    runId: null,
    stepId: null,
    operation: 'chat',
    alias: null,
    provider: price.provider,
    model: price.model,
    priceId: price.priceId,
    priceSource: 'catalog',
    tokensIn,
    tokensOut,
    tokensCached: 0,
    costMicroUsd: Math.round(tokensIn * price.inputPerToken + tokensOut * price.outputPerToken),
    latencyMs: 20 + Math.floor(random() * 200),
    ttftMs: null,
    cacheHit: false,
    simulated: true,
    streamed: false,
    attempts: [{ provider: price.provider, model: price.model, outcome: 'succeeded', latencyMs: 20 }],
    outcome: 'succeeded',
    errorCode: null,
    response: null,
    startedAt: Date.now(),
  };
}

/** A run's events as the engine's triggers write them: a start, then per step an attempt and its worker time. */
export function runEvents(tenant: BenchTenant, random: () => number, steps: number): UsageEvent[] {
  const runId = randomUUID();
  const at = new Date();
  const base = {
    tenantId: tenant.tenantId,
    occurredAt: at,
    workflowId: tenant.workflowId,
    runId,
    pool: 'shared',
  };
  const events: UsageEvent[] = [{ ...base, key: `run:${runId}`, kind: 'run_started' }];
  for (let s = 0; s < steps; s += 1) {
    events.push({ ...base, key: `step:${runId}:s${s}:1`, kind: 'step_executed' });
    events.push({
      ...base,
      key: `worker:${runId}:s${s}:1`,
      kind: 'worker_seconds',
      quantity: 1 + Math.floor(random() * 5000),
    });
  }
  return events;
}

/**
 * `total` new items in batches of `batch`, where a share `duplicates` of each batch after the
 * first repeats items of the previous batch (a replayed flush): new items count toward `total`.
 */
export function batchesOf<T>(
  total: number,
  batch: number,
  duplicates: number,
  make: () => T[],
  random: () => number,
): T[][] {
  const batches: T[][] = [];
  let made = 0;
  let previous: T[] = [];
  while (made < total) {
    const repeats = previous.length === 0 ? 0 : Math.round(batch * duplicates);
    const fresh: T[] = [];
    while (fresh.length < batch - repeats && made + fresh.length < total) fresh.push(...make());
    const kept = fresh.slice(0, Math.min(batch - repeats, total - made));
    made += kept.length;
    const again = Array.from({ length: repeats }, () => pick(previous, random));
    batches.push([...kept, ...again]);
    previous = kept;
  }
  return batches;
}
