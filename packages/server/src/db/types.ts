export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  rowCount: number;
}

/** The one query interface both drivers offer inside a transaction. */
export interface Queryable {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export const DB_DRIVERS = ['pglite', 'postgres'] as const;
export type DbDriver = (typeof DB_DRIVERS)[number];

/** Roles of the database; see docs/adr/0002-tenant-isolation.md. */
export const APP_ROLE = 'shoal_app';
export const SYSTEM_ROLE = 'shoal_system';

export interface Database {
  readonly driver: DbDriver;
  /** A transaction as the app role with `shoal.tenant_id` set for this transaction only. */
  tenantTx<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A transaction as the system role, for cross-tenant work on the few tables it may touch. */
  systemTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement as the system role, atomic on its own: no BEGIN and COMMIT round trips, for
   * the hot single-statement paths (claim, heartbeat).
   */
  systemQuery<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A transaction as the owner: migrations, schema dumps and tests only. */
  ownerTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Serialises `fn` against every other process migrating the same database. */
  withMigrationLock<T>(fn: (owner: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for each NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Opens up to this many tenant and system connections now (within the pool sizes) and keeps at
   * least that many open while idle, so a worker's first burst, and its first burst after a quiet
   * spell, waits for no new session. Pools otherwise close a connection idle for 10 s. Over
   * several calls the largest ask holds; a driver with one in-process connection does nothing.
   */
  keepWarm(connections: { tenant: number; system: number }): Promise<void>;
  close(): Promise<void>;
}
