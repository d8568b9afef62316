import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/index.ts';

/**
 * One batch of succeeded gateway call records, as the gateway's call log writes them (one
 * multi-row insert): the ledger trigger counts them and the alert triggers fire.
 */
export async function insertCalls(
  db: Database,
  tenantId: string,
  calls: { costMicroUsd: number; at?: Date; apiKeyId?: string | null }[],
): Promise<void> {
  await db.systemQuery(
    `insert into llm_calls (tenant_id, id, operation, latency_ms, outcome, cost_micro_usd, tokens_in, tokens_out,
                            provider, model, price_id, price_source, api_key_id, created_at)
     select $1, c.id, 'chat', 1, 'succeeded', c.cost, 1, 1, 'simulated', 'sim-small', 1, 'catalog', c.key, c.at
       from unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::timestamptz[]) as c(id, cost, key, at)`,
    [
      tenantId,
      calls.map(() => randomUUID()),
      calls.map((c) => c.costMicroUsd),
      calls.map((c) => c.apiKeyId ?? null),
      calls.map((c) => (c.at ?? new Date()).toISOString()),
    ],
  );
}

export type AlertRow = {
  id: string;
  budget_id: string;
  kind: string;
  threshold: number | null;
  period_start: Date;
  spent_micro_usd: string;
  projected_micro_usd: string | null;
};

/** Every alert of a budget, by period and threshold, as the database holds them. */
export function alertsOf(db: Database, budgetId: string): Promise<AlertRow[]> {
  return db.ownerTx(async (tx) => {
    const result = await tx.query<AlertRow>(
      `select id, budget_id, kind, threshold, period_start, spent_micro_usd, projected_micro_usd
         from budget_alerts where budget_id = $1 order by period_start, kind desc, threshold`,
      [budgetId],
    );
    return result.rows;
  });
}

/** An alert webhook written straight to the database (its secret sealed by whoever calls). */
export async function insertAlertWebhook(
  db: Database,
  tenantId: string,
  webhook: { id?: string; url: string; secretSealed?: string },
): Promise<string> {
  const id = webhook.id ?? randomUUID();
  await db.ownerTx((tx) =>
    tx.query(
      `insert into alert_webhooks (tenant_id, id, url, secret_sealed, secret_fingerprint, created_by)
       values ($1, $2, $3, $4, 'sha256:test', 'test')`,
      [tenantId, id, webhook.url, webhook.secretSealed ?? 'unsealed'],
    ),
  );
  return id;
}

/** The outbox rows of a tenant, as the database holds them. */
export function deliveriesOf(db: Database, tenantId: string) {
  return db.ownerTx(async (tx) => {
    const result = await tx.query<{
      alert_id: string;
      webhook_id: string;
      state: string;
      attempts: number;
      next_attempt_at: Date;
      last_status: number | null;
      last_error: string | null;
    }>(
      `select alert_id, webhook_id, state, attempts, next_attempt_at, last_status, last_error
         from alert_deliveries where tenant_id = $1 order by created_at, alert_id, webhook_id`,
      [tenantId],
    );
    return result.rows;
  });
}
