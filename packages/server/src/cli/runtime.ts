import { loadConfig, type Config } from '../config/index.ts';
import { migrate, openDatabase, type Database } from '../db/index.ts';
import { createLogger, type Logger } from '../observability/index.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
}

/** The composition root's shared part: config once, logger once, the database migrated. */
export async function openRuntime(
  env: Record<string, string | undefined>,
  options: { logToStderr?: boolean } = {},
): Promise<Runtime> {
  const config = loadConfig(env);
  const logger = createLogger({
    level: config.SHOAL_LOG_LEVEL,
    ...(options.logToStderr ? { destination: process.stderr } : {}),
  });
  const db = await openDatabase(config);
  try {
    await migrate(db, config.SHOAL_DB_ROLE_PASSWORD ? { rolePassword: config.SHOAL_DB_ROLE_PASSWORD } : {});
  } catch (error) {
    await db.close();
    throw error;
  }
  return { config, logger, db };
}
