import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../src/audit/index.ts';
import { AUDIT_FULL_CHECK_MS, createAuditChainCheck } from '../../src/cli/audit-check.ts';
import { createLogger, createMetrics, type Metrics } from '../../src/observability/index.ts';
import { seedTenant, type TestTenant } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

/** The worker's periodic audit chain check: new events each pass, the whole chain once a day. */
describe('the periodic audit chain check', () => {
  let t: TestDatabase;
  let metrics: Metrics;
  let victim: TestTenant;
  let clean: TestTenant;

  beforeAll(async () => {
    t = await createTestDatabase();
    metrics = createMetrics({ maxTenants: 50, defaultMetrics: false });
    victim = await seedTenant(t.db, 'audit-check-victim');
    clean = await seedTenant(t.db, 'audit-check-clean');
  });
  afterAll(() => t.drop());

  const append = (tenant: TestTenant, n: number) =>
    t.db.tenantTx(tenant.tenantId, async (tx) => {
      for (let i = 0; i < n; i += 1)
        await appendAuditEvent(tx, tenant.tenantId, {
          actor: { type: 'system', id: null },
          action: 'test.event',
          details: { i },
        });
    });
  const failuresOf = async (tenant: TestTenant) => {
    const metric = await metrics.registry.getSingleMetric('shoal_audit_chain_verify_failures_total')?.get();
    return metric?.values.find((v) => v.labels.tenant === tenant.tenantId)?.value ?? 0;
  };
  const ours = (broken: string[]) => broken.filter((id) => id === victim.tenantId || id === clean.tenantId);

  it('finds a new event that does not link at once, an edited old one at the next full walk', async () => {
    const check = createAuditChainCheck({ db: t.db, logger: createLogger({ level: 'silent' }), metrics });
    await append(victim, 5);
    await append(clean, 5);
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    expect(ours(await check.pass(new Date(t0)))).toEqual([]);

    // An old event edited: the passes between full walks read only what is new.
    await t.db.ownerTx((tx) =>
      tx.query(`update audit_events set details = '{"i":"forged"}' where tenant_id = $1 and seq = 2`, [
        victim.tenantId,
      ]),
    );
    await append(victim, 2);
    expect(ours(await check.pass(new Date(t0 + 60_000)))).toEqual([]);
    expect(await failuresOf(victim)).toBe(0);

    const full = new Date(t0 + AUDIT_FULL_CHECK_MS);
    expect(ours(await check.pass(full))).toEqual([victim.tenantId]);
    expect(await failuresOf(victim)).toBe(1);
    // Still broken, reported again by every pass until repaired; the clean tenant never.
    expect(ours(await check.pass(new Date(full.getTime() + 60_000)))).toEqual([victim.tenantId]);
    expect(await failuresOf(victim)).toBe(2);
    expect(await failuresOf(clean)).toBe(0);
  });

  it('an event appended out of the chain is found by the next incremental pass', async () => {
    const check = createAuditChainCheck({ db: t.db, logger: createLogger({ level: 'silent' }), metrics });
    const t0 = Date.parse('2026-12-02T00:00:00Z');
    await check.pass(new Date(t0));
    const before = await failuresOf(clean);
    // A row written around the chain: right sequence number, wrong previous hash.
    await t.db.ownerTx((tx) =>
      tx.query(
        `insert into audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, target_type,
                                   target_id, request_id, ip, result, details, prev_hash, hash)
         select tenant_id, seq + 1, gen_random_uuid(), occurred_at, actor_type, actor_id, action, target_type,
                target_id, request_id, ip, result, details, repeat('0', 64), hash
           from audit_events where tenant_id = $1 order by seq desc limit 1`,
        [clean.tenantId],
      ),
    );
    expect(await check.pass(new Date(t0 + 60_000))).toContain(clean.tenantId);
    expect(await failuresOf(clean)).toBe(before + 1);
  });

  it('the newest events truncated since the last pass are found: the head it verified is gone', async () => {
    const tenant = await seedTenant(t.db, 'audit-check-truncated');
    const check = createAuditChainCheck({ db: t.db, logger: createLogger({ level: 'silent' }), metrics });
    await append(tenant, 4);
    const t0 = Date.parse('2026-12-03T00:00:00Z');
    expect(await check.pass(new Date(t0))).not.toContain(tenant.tenantId);
    // A shorter chain is valid on its own (ADR 0003); only the head kept by the check shows it.
    await t.db.ownerTx((tx) =>
      tx.query(
        'delete from audit_events where tenant_id = $1 and seq > (select max(seq) - 2 from audit_events where tenant_id = $1)',
        [tenant.tenantId],
      ),
    );
    expect(await check.pass(new Date(t0 + 60_000))).toContain(tenant.tenantId);
    expect(await failuresOf(tenant)).toBe(1);
  });
});
