import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from '../support/empty-database.ts';
import { runShoal } from '../support/run-cli.ts';
import { TEST_DRIVER } from '../support/test-db.ts';

describe('shoal CLI', () => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    database = await emptyDatabase();
  });
  afterAll(() => database.drop());

  it('creates a tenant, a key for it, and verifies its audit chain', async () => {
    const tenant = await runShoal(
      ['tenant', 'create', '--name', 'Acme', '--owner-email', 'ops@acme.test', '--json'],
      database.env,
    );
    expect(tenant.stderr).toBe('');
    expect(tenant.code).toBe(0);
    const { tenant: created, owner } = JSON.parse(tenant.stdout) as {
      tenant: { id: string; name: string };
      owner: { password: string };
    };
    expect(created.name).toBe('Acme');
    expect(owner.password.length).toBeGreaterThanOrEqual(12);

    const key = await runShoal(
      ['key', 'create', '--tenant', created.id, '--name', 'ci', '--role', 'viewer'],
      database.env,
    );
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^shoal_[0-9A-Za-z]{38}$/m);

    const verify = await runShoal(['audit', 'verify', '--tenant', created.id], database.env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${created.id} ok (2 events)`);
  });

  it('key create for an unknown tenant fails with a message', async () => {
    const result = await runShoal(
      ['key', 'create', '--tenant', '00000000-0000-4000-8000-000000000000', '--name', 'x'],
      database.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No tenant 00000000-0000-4000-8000-000000000000');
  });
});

// Argument handling opens no database, so once (in the PGlite project) is enough.
describe.runIf(TEST_DRIVER === 'pglite')('shoal CLI arguments', () => {
  const env = { SHOAL_DATA_DIR: join(tmpdir(), 'shoal-cli-never-created') };

  it.each([
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['key', 'create', '--name', 'x'], 'Missing required option --tenant'],
    [['key', 'create', '--tenant', 'not-a-uuid', '--name', 'x'], '--tenant must be a tenant id'],
    [
      ['key', 'create', '--tenant', '00000000-0000-4000-8000-000000000000', '--name', 'x', '--role', 'king'],
      '--role must be one of',
    ],
    [['serve', '--role', 'both'], '--role must be one of all, api, worker'],
    [['tenant', 'create', '--name', 'x', '--owner-email', 'nope'], '--owner-email is not an email address'],
    [['migrate', '--force'], "Unknown option '--force'"],
  ])('shoal %j exits 2 with a clear message', async (args, message) => {
    const result = await runShoal(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('bad configuration stops the process and names the variable', async () => {
    const result = await runShoal(['migrate'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: /);
  });

  it('every command prints its usage with --help', async () => {
    const commands = ['serve', 'migrate', 'tenant create', 'key create', 'audit verify', 'schema dump'];
    const results = await Promise.all(
      commands.map((command) => runShoal([...command.split(' '), '--help'], env)),
    );
    results.forEach((result, i) => {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: shoal ${commands[i]}`);
    });
  });
});

describe.runIf(TEST_DRIVER === 'postgres')('concurrent migrate', () => {
  it('ten shoal migrate processes on an empty database apply each migration exactly once', async () => {
    const database = await emptyDatabase();
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => runShoal(['migrate'], database.env)),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const appliedLines = results.flatMap((r) =>
        r.stdout.split('\n').filter((l) => l.startsWith('applied ')),
      );
      const counts = new Map<string, number>();
      for (const line of appliedLines) counts.set(line, (counts.get(line) ?? 0) + 1);
      expect(counts.size).toBeGreaterThan(0);
      for (const [line, count] of counts) expect(count, line).toBe(1);
      const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
      await client.connect();
      const rows = await client.query<{ version: number }>(
        'select version from shoal_migrations order by version',
      );
      await client.end();
      expect(rows.rows.map((r) => `applied ${String(r.version).padStart(4, '0')}`)).toEqual(
        [...counts.keys()].map((l) => l.slice(0, 'applied 0000'.length)).sort(),
      );
    } finally {
      await database.drop();
    }
  });
});
