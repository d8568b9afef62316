import { SQLSTATE, sqlState } from './errors.ts';
import { APP_ROLE, SYSTEM_ROLE, type DbDriver, type Queryable } from './types.ts';

const ROLE_ATTRIBUTES = 'nosuperuser nobypassrls nocreatedb nocreaterole noinherit';

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Creates the app and system roles, or corrects their attributes: neither may ever own a table,
 * be a superuser or bypass row-level security. Roles are cluster-wide, so several databases
 * may race to create them; a duplicate means another process won, which is fine. A role that
 * is already as it should be is left alone, so a non-superuser owner can migrate again.
 */
export async function ensureRoles(owner: Queryable, driver: DbDriver, password?: string): Promise<void> {
  const login = driver === 'postgres';
  const attributes = `${login ? 'login' : 'nologin'} ${ROLE_ATTRIBUTES}`;
  const pw = password === undefined ? '' : ` password ${quoteLiteral(password)}`;
  for (const role of [APP_ROLE, SYSTEM_ROLE]) {
    const found = await owner.query<{ compliant: boolean }>(
      `select (not rolsuper and not rolbypassrls and not rolcreatedb and not rolcreaterole and not rolinherit
               and rolcanlogin = $2) as compliant
         from pg_roles where rolname = $1`,
      [role, login],
    );
    const existing = found.rows[0];
    if (!existing) {
      try {
        await owner.query(`create role ${role} ${attributes}${pw}`);
        continue;
      } catch (error) {
        const state = sqlState(error);
        if (state !== SQLSTATE.duplicateObject && state !== SQLSTATE.uniqueViolation) throw error;
      }
    }
    if (!existing?.compliant) await owner.query(`alter role ${role} ${attributes}${pw}`);
    else if (pw) await owner.query(`alter role ${role}${pw}`);
  }
}
