import { describe, expect, it } from 'vitest';
import { createMetrics, createTenantLabeller, OTHER_TENANT } from '../../src/observability/index.ts';
import { parseExposition, seriesCount, sumOf, type Family } from '../support/prometheus-text.ts';
import { testConfig } from '../support/test-app.ts';

/**
 * The tenant cap (docs/adr/0010-metrics-cardinality.md): 5,000 active tenants never make more
 * series than the configured number of tenants allows, `other` carries the rest's sum, and no
 * counter series ever goes down.
 */
const TENANTS = 5_000;
const ROUNDS = 4;
const tenantId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
// Every hundredth tenant is twenty times as busy as the others.
const weightOf = (i: number) => (i % 100 === 0 ? 20 : 1);

/** Distinct label sets of a family without its tenant label. */
function combosWithoutTenant(family: Family): number {
  const combos = new Set<string>();
  for (const s of family.samples) {
    const { tenant: _tenant, ...rest } = s.labels;
    combos.add(`${s.name}${JSON.stringify(Object.entries(rest).sort())}`);
  }
  return combos.size;
}

const tenantsOf = (family: Family) => new Set(family.samples.map((s) => s.labels.tenant));

describe('metrics cardinality', () => {
  it('5,000 active tenants stay under the series bound of the configured cap, and other carries their sum', async () => {
    const maxTenants = testConfig().SHOAL_METRICS_MAX_TENANTS;
    expect(maxTenants).toBe(50);
    const metrics = createMetrics({ maxTenants, defaultMetrics: false });
    const all = Array.from({ length: TENANTS }, (_, i) => tenantId(i));
    metrics.setSources({
      queue: async () => all.map((id, i) => ({ tenantId: id, pool: 'shared', queued: i % 3, running: 1 })),
      budgets: async () =>
        all.map((id, i) => ({ tenantId: id, budgetId: `b${i}`, spentMicroUsd: i, limitMicroUsd: 10_000 })),
      pools: async () => [{ pool: 'shared', liveWorkers: 2 }],
      reservationsOpen: () => 3,
    });
    let emitted = { runs: 0, tokensIn: 0, cost: 0, audit: 0 };
    let previous: Map<string, Family> | null = null;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (let i = 0; i < TENANTS; i += 1) {
        for (let n = 0; n < weightOf(i); n += 1) {
          const id = all[i] as string;
          metrics.committed([
            { type: 'run.started', tenantId: id, workflow: `wf-${i % 3}` },
            { type: 'run.finished', tenantId: id, workflow: `wf-${i % 3}`, state: 'succeeded' },
            { type: 'audit.appended', tenantId: id, action: 'runs.start' },
          ]);
          metrics.stepAttempt(id, 'llm.chat', 'succeeded', 0.02);
          metrics.queueWait(id, 'shared', 0.01);
          metrics.llmCall({
            tenantId: id,
            provider: 'simulated',
            model: 'sim-small',
            outcome: 'succeeded',
            cacheHit: false,
            tokensIn: 11,
            tokensOut: 5,
            tokensCached: 0,
            costMicroUsd: 7,
            latencyMs: 3,
            attempts: [{ provider: 'simulated', model: 'sim-small', outcome: 'succeeded' }],
          });
          emitted = {
            runs: emitted.runs + 1,
            tokensIn: emitted.tokensIn + 11,
            cost: emitted.cost + 7,
            audit: emitted.audit + 1,
          };
        }
      }
      const families = parseExposition((await metrics.scrape()).body);

      // The bound: each family's label sets without the tenant, times the cap plus `other`.
      let bound = 0;
      for (const family of families.values()) {
        const tenanted = family.samples.some((s) => s.labels.tenant !== undefined);
        if (tenanted) expect(tenantsOf(family).size).toBeLessThanOrEqual(maxTenants + 1);
        bound += tenanted ? combosWithoutTenant(family) * (maxTenants + 1) : family.samples.length;
      }
      expect(seriesCount(families)).toBeLessThanOrEqual(bound);
      expect(bound).toBeLessThan(TENANTS);
      expect(sumOf(families, 'shoal_metrics_tenants_folded')).toBe(TENANTS - maxTenants);

      // Every event is in some series: the sum over tenants, `other` included, is the total.
      expect(sumOf(families, 'shoal_runs_started_total')).toBe(emitted.runs);
      expect(sumOf(families, 'shoal_runs_finished_total', { state: 'succeeded' })).toBe(emitted.runs);
      expect(sumOf(families, 'shoal_audit_events_total')).toBe(emitted.audit);
      expect(sumOf(families, 'shoal_step_attempts_total')).toBe(emitted.runs);
      expect(sumOf(families, 'shoal_gateway_tokens_total', { kind: 'in' })).toBe(emitted.tokensIn);
      expect(sumOf(families, 'shoal_gateway_cost_micro_usd_total')).toBe(emitted.cost);
      expect(sumOf(families, 'shoal_queue_wait_seconds', {}, 'shoal_queue_wait_seconds_count')).toBe(
        emitted.runs,
      );
      expect(sumOf(families, 'shoal_queue_depth')).toBe(all.reduce((sum, _, i) => sum + (i % 3), 0));
      expect(sumOf(families, 'shoal_steps_running')).toBe(TENANTS);
      expect(sumOf(families, 'shoal_queue_depth', { tenant: OTHER_TENANT })).toBeGreaterThan(0);
      // A ratio is not summed: `other` shows the highest of the folded tenants' budgets.
      expect(
        sumOf(families, 'shoal_budget_utilisation_ratio', { tenant: OTHER_TENANT, budget: OTHER_TENANT }),
      ).toBe((TENANTS - 1) / 10_000);
      expect(sumOf(families, 'shoal_pool_live_workers', { pool: 'shared' })).toBe(2);
      expect(sumOf(families, 'shoal_budget_reservations_open')).toBe(3);

      // No counter or histogram series disappears or decreases between scrapes.
      if (previous) {
        for (const family of previous.values()) {
          if (family.type === 'gauge') continue;
          const now = families.get(family.name);
          for (const sample of family.samples) {
            const same = now?.samples.find(
              (s) => s.name === sample.name && JSON.stringify(s.labels) === JSON.stringify(sample.labels),
            );
            expect(same, `${sample.name} ${JSON.stringify(sample.labels)}`).toBeDefined();
            expect(same?.value).toBeGreaterThanOrEqual(sample.value);
          }
        }
      }
      previous = families;
    }

    // Half the slots went to the first tenants seen, the other half to the busiest of the rest.
    const own = all.filter((id) => metrics.tenants.peek(id) !== OTHER_TENANT);
    expect(own).toHaveLength(maxTenants);
    const firstCome = all.slice(0, maxTenants / 2);
    expect(own.slice(0, maxTenants / 2)).toEqual(firstCome);
    for (const id of own.slice(maxTenants / 2)) expect(weightOf(all.indexOf(id))).toBe(20);
  });
});

describe('tenant labeller', () => {
  it('keeps a tenant its own series for good once given one; the busiest folded take the free slots at a rebalance', () => {
    const labeller = createTenantLabeller({ maxTenants: 4 });
    expect(labeller.label('t1')).toBe('t1');
    expect(labeller.label('t2')).toBe('t2');
    // Half the slots are first come; the rest wait for a rebalance.
    expect(labeller.label('t3')).toBe(OTHER_TENANT);
    for (let i = 0; i < 5; i += 1) labeller.label('busy');
    labeller.label('t4');
    labeller.label('t5');
    expect(labeller.folded()).toBe(4);
    labeller.rebalance();
    expect(labeller.label('busy')).toBe('busy');
    expect(labeller.own()).toBe(4);
    // Ties are broken by id, so the choice is the same in every process.
    expect(labeller.label('t3')).toBe('t3');
    expect(labeller.label('t4')).toBe(OTHER_TENANT);
    labeller.rebalance();
    expect(labeller.own()).toBe(4);
    expect(['t1', 't2', 't3', 'busy'].map((id) => labeller.label(id))).toEqual(['t1', 't2', 't3', 'busy']);
    expect(labeller.label('t5')).toBe(OTHER_TENANT);
    expect(labeller.folded()).toBe(1);
  });

  it('counts gauge-only tenants as folded without taking a busy slot from anyone', () => {
    const labeller = createTenantLabeller({ maxTenants: 2 });
    expect(labeller.peek('a')).toBe('a');
    expect(labeller.peek('b')).toBe(OTHER_TENANT);
    labeller.label('c');
    expect(labeller.folded()).toBe(2);
    labeller.rebalance();
    expect(labeller.label('c')).toBe('c');
    expect(labeller.peek('b')).toBe(OTHER_TENANT);
  });
});
