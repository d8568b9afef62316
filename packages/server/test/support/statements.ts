import { randomUUID } from 'node:crypto';
import { createApiServer, createRateLimiter, type ApiServer } from '../../src/api/index.ts';
import type { Database } from '../../src/db/index.ts';
import { createApiKey, type Role } from '../../src/identity/index.ts';
import {
  createUsageLedger,
  setPlanPricing,
  type PricingInput,
  type UsageEvent,
} from '../../src/metering/index.ts';
import { createLogger } from '../../src/observability/index.ts';
import { testConfig } from './test-app.ts';

/** The API server with a clock the test sets (`clock.now`), no gateway. */
export function createClockedApp(db: Database, start: Date): { app: ApiServer; clock: { now: Date } } {
  const config = testConfig();
  const clock = { now: start };
  const app = createApiServer({
    config,
    db,
    logger: createLogger({ level: 'silent' }),
    rateLimiter: createRateLimiter({ perMinute: config.SHOAL_RATE_LIMIT_PER_MINUTE }),
    now: () => clock.now,
  });
  return { app, clock };
}

/** A custom plan with the free plan's limits, written straight to the catalogue. */
export async function createPlanRow(db: Database, name: string): Promise<void> {
  await db.ownerTx((tx) =>
    tx.query(
      `insert into plans (name, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
                          max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days,
                          llm_tokens_per_minute)
       select $1, weight, guaranteed_concurrency, burst_ceiling, run_starts_per_minute, queued_runs_max,
              max_payload_bytes, max_steps_per_run, log_retention_days, history_retention_days, llm_tokens_per_minute
         from plans where name = 'free'`,
      [name],
    ),
  );
}

/** Sets a plan's pricing through the store, as an operator would have when `asOf` was now. */
export async function pricePlan(
  db: Database,
  plan: string,
  pricing: PricingInput,
  asOf: Date,
): Promise<void> {
  await db.systemTx((sys) => setPlanPricing(sys, plan, pricing, asOf));
}

/** A tenant with a chosen id, zone and plan, and an API key of `role`; returns the key. */
export async function insertBillingTenant(
  db: Database,
  tenant: { id: string; name: string; plan: string; timeZone: string },
  role: Role = 'billing',
): Promise<string> {
  await db.ownerTx((tx) =>
    tx.query('insert into tenants (id, name, plan, time_zone) values ($1, $2, $3, $4)', [
      tenant.id,
      tenant.name,
      tenant.plan,
      tenant.timeZone,
    ]),
  );
  const created = await db.tenantTx(tenant.id, (tx) =>
    createApiKey(tx, tenant.id, {
      name: `${role} key`,
      role,
      expiresAt: null,
      createdBy: { type: 'user', id: randomUUID() },
      granterRole: null,
    }),
  );
  return created.secret;
}

/** Writes events through the real ledger writer; resolves to how many were new. */
export async function recordUsage(db: Database, events: readonly UsageEvent[]): Promise<number> {
  const ledger = createUsageLedger(
    { db, logger: createLogger({ level: 'silent' }) },
    { flushMs: 1000, maxBatch: 10_000 },
  );
  try {
    return await ledger.recordNow(events);
  } finally {
    await ledger.close();
  }
}

/** RFC 4180 rows of a CSV text (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}
