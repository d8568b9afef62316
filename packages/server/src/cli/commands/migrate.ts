import { loadConfig } from '../../config/index.ts';
import { migrate, openDatabase } from '../../db/index.ts';
import type { Command } from '../command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage: `Usage: shoal migrate

Applies pending migrations to DATABASE_URL (or the embedded PGlite) under an advisory lock,
so any number of processes may run it at once. Prints one line per migration it applied.`,
  options: {},
  async run(_values, io) {
    const config = loadConfig(io.env);
    const db = await openDatabase(config);
    try {
      const result = await migrate(
        db,
        config.SHOAL_DB_ROLE_PASSWORD ? { rolePassword: config.SHOAL_DB_ROLE_PASSWORD } : {},
      );
      for (const m of result.applied) io.out(`applied ${String(m.version).padStart(4, '0')}_${m.name}`);
      io.out(`database at migration ${result.current}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
