import { SQLSTATE, sqlState } from './errors.ts';
import { APP_ROLE, SYSTEM_ROLE, type DbDriver, type Queryable } from './types.ts';

const ROLE_ATTRIBUTES = 'nosuperuser nobypassrls nocreatedb nocreaterole noinherit';

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Creates the app and system roles, or resets their attributes: neither may ever own a table,
 * be a superuser or bypass row-level security. Roles are cluster-wide, so several databases
 * may race to create them; a duplicate means another process won, which is fine.
 */
export async function ensureRoles(owner: Queryable, driver: DbDriver, password?: string): Promise<void> {
  const login = driver === 'postgres' ? 'login' : 'nologin';
  const pw = password === undefined ? '' : ` password ${quoteLiteral(password)}`;
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    const exists = await owner.query(`select 1 from pg_roles where rolname = $1`, [role]);
    if (exists.rows.length === 0) {
      try {
        await owner.query(`create role ${role} ${login} ${ROLE_ATTRIBUTES}${pw}`);
      } catch (error) {
        const state = sqlState(error);
        if (state !== SQLSTATE.duplicateObject && state !== SQLSTATE.uniqueViolation) throw error;
      }
    }
    await owner.query(`alter role ${role} ${login} ${ROLE_ATTRIBUTES}${pw}`);
  }
}
