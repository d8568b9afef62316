import { createHash } from 'node:crypto';
import pg from 'pg';
import { bindTenant, TENANT_SETTING } from './tenant-context.ts';
import { APP_ROLE, SYSTEM_ROLE, type Database, type Queryable, type Row } from './types.ts';

export interface PostgresOptions {
  /** URL of the owner role. */
  url: string;
  /** Password of the app and system roles; omitted for trust authentication. */
  rolePassword?: string;
  poolSize: number;
  systemPoolSize?: number;
  /**
   * The server ends an app or system transaction left idle this long, so a worker frozen in the
   * middle of one (SIGSTOP, a VM pause) does not hold its run locks until it wakes.
   */
  idleTransactionTimeoutMs?: number;
}

const INT8_OID = 20;
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function urlForRole(ownerUrl: string, role: string, password: string | undefined): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password ?? '';
  return url.toString();
}

/**
 * A statement with parameters is prepared once per connection under a name derived from its
 * text, so PostgreSQL parses and plans the engine's hot statements once, not on every call.
 * Our statement texts are constants (values always travel as parameters), so the set is small.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return name;
}

function wrap(client: pg.PoolClient | pg.Client): Queryable {
  return {
    async query<R extends Row>(text: string, params?: readonly unknown[]) {
      const raw: pg.QueryResult<R> | pg.QueryResult<R>[] = params
        ? await client.query<R>({ name: statementName(text), text, values: [...params] })
        : await client.query<R>(text);
      // Several statements in one text (a migration) answer with one result each.
      const result = Array.isArray(raw) ? raw.at(-1) : raw;
      return { rows: result?.rows ?? [], rowCount: result?.rowCount ?? result?.rows.length ?? 0 };
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * BEGIN and the tenant binding in one round trip: a simple query may hold two statements, and
 * a tenant id is a UUID (checked here, so nothing else can reach the text). Anything else is
 * bound with a parameter after a plain BEGIN, as before.
 */
function beginFor(tenantId: string | null): {
  text: string;
  setup: ((tx: Queryable) => Promise<void>) | null;
} {
  if (tenantId === null) return { text: 'begin', setup: null };
  if (UUID.test(tenantId))
    return { text: `begin; select set_config('${TENANT_SETTING}', '${tenantId}', true)`, setup: null };
  return { text: 'begin', setup: (tx) => bindTenant(tx, tenantId) };
}

async function inTransaction<T>(
  pool: pg.Pool,
  tenantId: string | null,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const tx = wrap(client);
  const begin = beginFor(tenantId);
  let discard = false;
  try {
    await client.query(begin.text);
    if (begin.setup) await begin.setup(tx);
    const result = await fn(tx);
    // COMMIT after a failed statement answers ROLLBACK without an error; PGlite raises 25P02
    // there, and so do we, rather than report a rolled-back transaction as committed.
    const committed = await client.query('commit');
    if (committed.command === 'ROLLBACK') {
      throw Object.assign(new Error('Transaction was rolled back instead of committed'), { code: '25P02' });
    }
    return result;
  } catch (error) {
    // A connection whose rollback fails is in an unknown state: destroy it, never reuse it.
    await client.query('rollback').catch(() => {
      discard = true;
    });
    throw error;
  } finally {
    client.release(discard);
  }
}

/** Opens `wanted` connections of `pool` (at most its size) and keeps that many while idle. */
async function keepPoolWarm(pool: pg.Pool, wanted: number): Promise<void> {
  const count = Math.min(Math.max(0, Math.floor(wanted)), pool.options.max ?? 10);
  // pg-pool reads `min` whenever a connection goes idle: at or below it, no idle timer is set.
  pool.options.min = Math.max(pool.options.min ?? 0, count);
  const opened = await Promise.allSettled(Array.from({ length: count }, () => pool.connect()));
  for (const result of opened) if (result.status === 'fulfilled') result.value.release();
  const failed = opened.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * PostgreSQL through node-postgres. The app and system pools log in as their own roles,
 * so a query can never climb back to the owner with `RESET ROLE`.
 */
export function openPostgres(options: PostgresOptions): Database {
  const common = { types: typeParsers, application_name: 'shoal' };
  const roleSession = options.idleTransactionTimeoutMs
    ? { options: `-c idle_in_transaction_session_timeout=${Math.round(options.idleTransactionTimeoutMs)}` }
    : {};
  const appPool = new pg.Pool({
    ...common,
    ...roleSession,
    connectionString: urlForRole(options.url, APP_ROLE, options.rolePassword),
    max: options.poolSize,
  });
  const systemPool = new pg.Pool({
    ...common,
    ...roleSession,
    connectionString: urlForRole(options.url, SYSTEM_ROLE, options.rolePassword),
    max: options.systemPoolSize ?? 4,
  });
  const ownerPool = new pg.Pool({ ...common, connectionString: options.url, max: 2 });
  for (const pool of [appPool, systemPool, ownerPool]) {
    pool.on('error', () => undefined);
    // A checked-out connection the server ends (idle transaction timeout, restart) emits 'error'
    // on the client; its pending or next query fails instead, and the transaction discards it.
    pool.on('connect', (client) => client.on('error', () => undefined));
  }

  return {
    driver: 'postgres',
    tenantTx: (tenantId, fn) => inTransaction(appPool, tenantId, fn),
    systemTx: (fn) => inTransaction(systemPool, null, fn),
    async systemQuery(text, params) {
      const client = await systemPool.connect();
      try {
        return await wrap(client).query(text, params);
      } finally {
        client.release();
      }
    },
    ownerTx: (fn) => inTransaction(ownerPool, null, fn),
    async withMigrationLock(fn) {
      const client = new pg.Client({ ...common, connectionString: options.url });
      await client.connect();
      try {
        await client.query(`select pg_advisory_lock(hashtext('shoal:migrate'))`);
        return await fn(wrap(client));
      } finally {
        await client.end();
      }
    },
    async listen(channel, onNotify) {
      // One dedicated connection per listener: LISTEN is per session, and pooled sessions move.
      const client = new pg.Client({
        ...common,
        connectionString: urlForRole(options.url, SYSTEM_ROLE, options.rolePassword),
      });
      client.on('error', () => undefined);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        await client.end();
      };
    },
    async keepWarm(connections) {
      await Promise.all([
        keepPoolWarm(appPool, connections.tenant),
        keepPoolWarm(systemPool, connections.system),
      ]);
    },
    async close() {
      await Promise.all([appPool.end(), systemPool.end(), ownerPool.end()]);
    },
  };
}
