import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database, type DbDriver } from '../../src/db/index.ts';

export const TEST_DRIVER = (process.env.SHOAL_TEST_DRIVER ?? 'pglite') as DbDriver;

export interface TestDatabase {
  db: Database;
  driver: DbDriver;
  /** PostgreSQL only: owner URL of this test's database. */
  url: string | null;
  /** Opens another handle on the same database (PostgreSQL only), e.g. with a smaller pool. */
  reopen(options: { poolSize: number }): Database;
  drop(): Promise<void>;
}

function ownerUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, migrated database for one test file, on the driver of the running project. */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (TEST_DRIVER === 'postgres') {
    const name = `shoal_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      // Two copies of the template at the same moment can collide (55006); wait and retry.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    } finally {
      await admin.end();
    }
    const url = ownerUrl(name);
    const db = openPostgres({ url, poolSize: options.poolSize ?? 10 });
    return {
      db,
      driver: 'postgres',
      url,
      reopen: ({ poolSize }) => openPostgres({ url, poolSize }),
      async drop() {
        await db.close();
        const dropper = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const template = readFileSync(inject('pgliteTemplate'));
  const db = await openPglite({ loadDataDir: new Blob([template]) });
  return {
    db,
    driver: 'pglite',
    url: null,
    reopen: () => {
      throw new Error('PGlite has one connection per process');
    },
    drop: () => db.close(),
  };
}
