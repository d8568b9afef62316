import { defineConfig } from 'vitest/config';

/**
 * Every test runs on PGlite; with DATABASE_URL set, every test runs again on PostgreSQL.
 * Each test file gets its own database (a copy of a migrated template).
 */
const drivers = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export default defineConfig({
  test: {
    projects: drivers.map((driver) => ({
      extends: true,
      test: {
        name: driver,
        env: { SHOAL_TEST_DRIVER: driver },
        include: ['packages/*/test/**/*.test.ts'],
        globalSetup: ['packages/server/test/support/global-setup.ts'],
      },
    })),
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
