import { describe, expect, it } from 'vitest';
import { createMetrics, type LlmCallSample } from '../../src/observability/index.ts';
import { parseExposition, sumOf } from '../support/prometheus-text.ts';

/** How one recorded gateway call becomes shoal_gateway_* samples. */
const call = (overrides: Partial<LlmCallSample>): LlmCallSample => ({
  tenantId: 't1',
  provider: 'openai',
  model: 'gpt-4o-mini',
  outcome: 'succeeded',
  cacheHit: false,
  tokensIn: 100,
  tokensOut: 20,
  tokensCached: 30,
  costMicroUsd: 45,
  latencyMs: 250,
  attempts: [{ provider: 'openai', model: 'gpt-4o-mini', outcome: 'succeeded' }],
  ...overrides,
});

const scrape = async (calls: LlmCallSample[]) => {
  const metrics = createMetrics({ maxTenants: 10, defaultMetrics: false });
  for (const c of calls) metrics.llmCall(c);
  return parseExposition((await metrics.scrape()).body);
};

describe('gateway metrics', () => {
  it('counts a fallback per move to another candidate, labelled by the one moved on from; a Retry-After retry is none', async () => {
    const families = await scrape([
      call({
        provider: 'anthropic',
        model: 'claude-haiku',
        attempts: [
          { provider: 'openai', model: 'gpt-4o-mini', outcome: 'failed' },
          { provider: 'openai', model: 'gpt-4o-mini', outcome: 'failed' },
          { provider: 'anthropic', model: 'claude-haiku', outcome: 'succeeded' },
        ],
      }),
    ]);
    expect(sumOf(families, 'shoal_gateway_fallbacks_total')).toBe(1);
    expect(
      sumOf(families, 'shoal_gateway_fallbacks_total', {
        tenant: 't1',
        provider: 'openai',
        model: 'gpt-4o-mini',
      }),
    ).toBe(1);
    expect(
      sumOf(families, 'shoal_gateway_requests_total', {
        provider: 'anthropic',
        model: 'claude-haiku',
        outcome: 'succeeded',
      }),
    ).toBe(1);
  });

  it('counts a cache hit as its own outcome, and tokens and cost only of succeeded calls', async () => {
    const families = await scrape([
      call({ cacheHit: true, costMicroUsd: 0, tokensCached: 0 }),
      call({}),
      call({ outcome: 'failed', tokensIn: 0, tokensOut: 0, tokensCached: 0, costMicroUsd: 0 }),
      call({ outcome: 'refused', provider: null, model: null, tokensIn: 7, costMicroUsd: 9 }),
    ]);
    expect(sumOf(families, 'shoal_gateway_requests_total', { outcome: 'cache_hit' })).toBe(1);
    expect(sumOf(families, 'shoal_gateway_requests_total', { outcome: 'succeeded' })).toBe(1);
    expect(sumOf(families, 'shoal_gateway_requests_total', { outcome: 'failed' })).toBe(1);
    expect(
      sumOf(families, 'shoal_gateway_requests_total', {
        provider: 'none',
        model: 'none',
        outcome: 'refused',
      }),
    ).toBe(1);
    expect(sumOf(families, 'shoal_gateway_cache_hits_total', { tenant: 't1' })).toBe(1);
    expect(sumOf(families, 'shoal_gateway_tokens_total', { kind: 'in' })).toBe(200);
    expect(sumOf(families, 'shoal_gateway_tokens_total', { kind: 'out' })).toBe(40);
    expect(sumOf(families, 'shoal_gateway_tokens_total', { kind: 'cached' })).toBe(30);
    expect(sumOf(families, 'shoal_gateway_cost_micro_usd_total')).toBe(45);
    expect(
      sumOf(
        families,
        'shoal_gateway_request_duration_seconds',
        { provider: 'openai', model: 'gpt-4o-mini', le: '0.25' },
        'shoal_gateway_request_duration_seconds_bucket',
      ),
    ).toBe(3);
  });
});
