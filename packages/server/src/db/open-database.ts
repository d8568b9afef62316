import { mkdirSync } from 'node:fs';
import type { Config } from '../config/index.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './pg-driver.ts';
import type { Database } from './types.ts';

/** PostgreSQL when `DATABASE_URL` is set, otherwise PGlite under `SHOAL_DATA_DIR`. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    return openPostgres({
      url: config.DATABASE_URL,
      poolSize: config.SHOAL_DB_POOL_SIZE,
      idleTransactionTimeoutMs: config.SHOAL_DB_IDLE_TX_TIMEOUT_MS,
      ...(config.SHOAL_DB_ROLE_PASSWORD ? { rolePassword: config.SHOAL_DB_ROLE_PASSWORD } : {}),
    });
  }
  const dataDir = `${config.SHOAL_DATA_DIR}/pglite`;
  mkdirSync(dataDir, { recursive: true });
  return openPglite({ dataDir });
}
