import type { Database } from '../../src/db/index.ts';
import { createRun, NO_RETRY, type StepPlan } from '../../src/engine/index.ts';

export interface LimitOverrides {
  weight?: number;
  guaranteed?: number;
  ceiling?: number;
  pool?: string;
}

/** An operator's overrides of a tenant's scheduling limits, written as the system role. */
export async function setSchedulingLimits(
  db: Database,
  tenantId: string,
  limits: LimitOverrides,
): Promise<void> {
  await db.systemTx((sys) =>
    sys.query(
      `insert into tenant_limits (tenant_id, weight, guaranteed_concurrency, burst_ceiling, pool)
       values ($1, $2, $3, $4, coalesce($5, 'shared'))
       on conflict (tenant_id) do update
          set weight = excluded.weight, guaranteed_concurrency = excluded.guaranteed_concurrency,
              burst_ceiling = excluded.burst_ceiling, pool = excluded.pool`,
      [
        tenantId,
        limits.weight ?? null,
        limits.guaranteed ?? null,
        limits.ceiling ?? null,
        limits.pool ?? null,
      ],
    ),
  );
}

/** A chain of `length` steps (`s0` → `s1` → …), for runs written without a published definition. */
export function chainSteps(length = 1): StepPlan[] {
  return Array.from({ length }, (_, i) => ({
    key: `s${i}`,
    id: `s${i}`,
    type: 'transform',
    needs: i === 0 ? [] : [`s${i - 1}`],
    retry: NO_RETRY,
  }));
}

/** Queues `count` runs of a tenant in one transaction; returns their ids in creation order. */
export async function queueRuns(
  db: Database,
  tenantId: string,
  workflowId: string,
  count: number,
  options: { steps?: readonly StepPlan[]; input?: unknown; priority?: number; workflowVersion?: number } = {},
): Promise<string[]> {
  return db.tenantTx(tenantId, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const { runId } = await createRun(tx, tenantId, {
        workflowId,
        workflowVersion: options.workflowVersion ?? 1,
        input: options.input ?? {},
        steps: options.steps ?? chainSteps(1),
        priority: options.priority ?? 0,
      });
      ids.push(runId);
    }
    return ids;
  });
}

/** Steps the tenant has leased right now, as the database counts them. */
export async function leasedCount(db: Database, tenantId: string): Promise<number> {
  const result = await db.systemTx((sys) =>
    sys.query<{ n: number }>(
      'select count(*)::int as n from step_queue where tenant_id = $1 and lease_owner is not null',
      [tenantId],
    ),
  );
  return result.rows[0]?.n ?? 0;
}

/** Lifts a test tenant's run-start and queue quotas, for tests that start runs by the hundred. */
export async function allowManyRunStarts(db: Database, tenantId: string): Promise<void> {
  await db.systemTx((sys) =>
    sys.query(
      `insert into tenant_limits (tenant_id, run_starts_per_minute, queued_runs_max) values ($1, 1000000, 1000000)
       on conflict (tenant_id) do update
          set run_starts_per_minute = excluded.run_starts_per_minute, queued_runs_max = excluded.queued_runs_max`,
      [tenantId],
    ),
  );
}
