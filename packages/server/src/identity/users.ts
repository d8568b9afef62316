import { randomUUID } from 'node:crypto';
import { SQLSTATE, sqlState, type Queryable } from '../db/index.ts';
import { IdentityError } from './errors.ts';
import { hashPassword } from './passwords.ts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

/** System role: users are global, found by email before any tenant is known. */
export async function findUserByEmail(sys: Queryable, email: string): Promise<UserRecord | null> {
  const result = await sys.query<{ id: string; email: string; name: string; password_hash: string }>(
    'select id, email, name, password_hash from users where lower(email) = lower($1)',
    [email],
  );
  const row = result.rows[0];
  return row ? { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash } : null;
}

export async function createUser(
  sys: Queryable,
  input: { email: string; name: string; password: string },
): Promise<UserRecord> {
  const user = {
    id: randomUUID(),
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
  };
  try {
    await sys.query('insert into users (id, email, name, password_hash) values ($1, $2, $3, $4)', [
      user.id,
      user.email,
      user.name,
      user.passwordHash,
    ]);
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation) throw new IdentityError('EMAIL_TAKEN');
    throw error;
  }
  return user;
}
