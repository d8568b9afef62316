import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.ts';
import { ensureRoles } from './roles.ts';
import type { Database, Queryable } from './types.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

/** Reads `NNNN_name.sql` files; numbering must start at 1 and have no gaps. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file, index) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match)
      throw new DbError('MIGRATION_FILES_INVALID', `Migration file name "${file}" is not NNNN_name.sql`);
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new DbError('MIGRATION_FILES_INVALID', `Migration ${file} should be numbered ${index + 1}`);
    }
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { version, name: match[2] ?? '', sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export interface MigrateResult {
  applied: { version: number; name: string }[];
  current: number;
}

/**
 * Applies pending migrations under the database's migration lock, each in its own
 * transaction together with its bookkeeping row, so a crash leaves no half-applied file.
 * Refuses to run when an applied file changed (checksum) or the database is newer than the code.
 */
export async function migrate(
  db: Database,
  options: { rolePassword?: string; migrations?: Migration[] } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations();
  return db.withMigrationLock(async (owner) => {
    await ensureRoles(owner, db.driver, options.rolePassword);
    await owner.query(`create table if not exists shoal_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const done = await owner.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from shoal_migrations order by version',
    );
    const byVersion = new Map(migrations.map((m) => [m.version, m]));
    for (const row of done.rows) {
      const known = byVersion.get(row.version);
      if (!known) {
        throw new DbError(
          'MIGRATION_UNKNOWN',
          `Database has migration ${row.version} (${row.name}) that this version of Shoal does not know; upgrade Shoal`,
        );
      }
      if (known.checksum !== row.checksum) {
        throw new DbError(
          'MIGRATION_CHECKSUM_MISMATCH',
          `Migration ${row.version} (${row.name}) was changed after it was applied; migrations are forward-only`,
        );
      }
    }
    const appliedVersions = new Set(done.rows.map((r) => r.version));
    const applied: MigrateResult['applied'] = [];
    for (const migration of migrations) {
      if (appliedVersions.has(migration.version)) continue;
      await applyOne(owner, migration);
      applied.push({ version: migration.version, name: migration.name });
    }
    return { applied, current: migrations.at(-1)?.version ?? 0 };
  });
}

async function applyOne(owner: Queryable, migration: Migration): Promise<void> {
  await owner.query('begin');
  try {
    await owner.query(migration.sql);
    await owner.query('insert into shoal_migrations (version, name, checksum) values ($1, $2, $3)', [
      migration.version,
      migration.name,
      migration.checksum,
    ]);
    await owner.query('commit');
  } catch (error) {
    await owner.query('rollback');
    throw error;
  }
}
