import type { Config } from '../config/index.ts';
import { observeCommits, type Database } from '../db/index.ts';
import { readPoolLiveness, readQueueStats } from '../engine/index.ts';
import { readBudgetUtilisation } from '../metering/index.ts';
import { createMetrics, type Logger, type Metrics } from '../observability/index.ts';

/**
 * A process's metrics and the database to hand everything else: its committed transactions
 * count runs and audit events. Queue depth, pool liveness and budgets are read at each scrape.
 */
export function openMetrics(deps: {
  config: Config;
  logger: Logger;
  db: Database;
  defaultMetrics?: boolean;
}): { metrics: Metrics; db: Database } {
  const metrics = createMetrics({
    maxTenants: deps.config.SHOAL_METRICS_MAX_TENANTS,
    logger: deps.logger,
    ...(deps.defaultMetrics === undefined ? {} : { defaultMetrics: deps.defaultMetrics }),
  });
  const { db } = deps;
  metrics.setSources({
    queue: () => db.systemTx((sys) => readQueueStats(sys)),
    pools: () => db.systemTx((sys) => readPoolLiveness(sys, deps.config.SHOAL_WORKER_LIVE_MS)),
    budgets: () => db.systemTx((sys) => readBudgetUtilisation(sys)),
  });
  return { metrics, db: observeCommits(db, (events) => metrics.committed(events)) };
}
