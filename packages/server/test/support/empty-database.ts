import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_DRIVER } from './test-db.ts';

/** An empty database for CLI tests: a fresh PGlite directory, or a new PostgreSQL database. */
export async function emptyDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (TEST_DRIVER === 'postgres') {
    const name = `shoal_cli_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      async drop() {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  return { env: { SHOAL_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
