import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { bindTenant } from './tenant-context.ts';
import { APP_ROLE, SYSTEM_ROLE, type Database, type Queryable, type Row } from './types.ts';

export interface PgliteOptions {
  /** Directory for the data; omitted: in memory. */
  dataDir?: string;
  /** A data directory dump (from `dumpDataDir`) to start from, e.g. a migrated template. */
  loadDataDir?: Blob | File;
}

function wrap(tx: Transaction): Queryable {
  return {
    async query<R extends Row>(text: string, params?: readonly unknown[]) {
      const result = await tx.query<R>(text, params ? [...params] : undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

/**
 * Embedded PostgreSQL in this process. PGlite has one connection and its superuser owns
 * everything, so the app and system roles are entered with `SET LOCAL ROLE` per transaction.
 * Every statement runs inside `transaction()`, whose mutex keeps transactions from interleaving.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Database & { pglite: PGlite }> {
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  await pglite.waitReady;

  const asRole = <T>(
    role: string | null,
    setup: ((tx: Queryable) => Promise<void>) | null,
    fn: (tx: Queryable) => Promise<T>,
  ) =>
    pglite.transaction(async (raw) => {
      const tx = wrap(raw);
      if (role) await tx.query(`set local role ${role}`);
      if (setup) await setup(tx);
      return fn(tx);
    });

  return {
    driver: 'pglite',
    pglite,
    tenantTx: (tenantId, fn) => asRole(APP_ROLE, (tx) => bindTenant(tx, tenantId), fn),
    systemTx: (fn) => asRole(SYSTEM_ROLE, null, fn),
    // The role is set per transaction here, so one statement still needs one.
    systemQuery: (text, params) => asRole(SYSTEM_ROLE, null, (tx) => tx.query(text, params)),
    ownerTx: (fn) => asRole(null, null, fn),
    // One process owns a PGlite directory, so its transaction mutex is the lock.
    withMigrationLock: (fn) => fn(queryableOutsideTx(pglite)),
    async listen(channel, onNotify) {
      const unsubscribe = await pglite.listen(channel, onNotify);
      return () => unsubscribe();
    },
    // One in-process connection: nothing to open ahead.
    keepWarm: async () => undefined,
    close: () => pglite.close(),
  };
}

/** Outside a transaction; without parameters a text may hold several statements (a migration). */
function queryableOutsideTx(pglite: PGlite): Queryable {
  return {
    async query<R extends Row>(text: string, params?: readonly unknown[]) {
      if (params === undefined) {
        const results = await pglite.exec(text);
        const last = results.at(-1);
        return { rows: (last?.rows ?? []) as R[], rowCount: last?.affectedRows ?? 0 };
      }
      const result = await pglite.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}
