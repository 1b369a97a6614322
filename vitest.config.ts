import { defineConfig } from 'vitest/config';

// Database-backed tests run against both databases the platform supports: real PostgreSQL (a fresh
// database per test file) and embedded PGlite. See server/src/test/database.ts.
const dbProject = (db: 'postgres' | 'pglite') => ({
  extends: './server/vitest.config.ts',
  test: {
    name: `server:${db}`,
    include: ['src/**/*.db.test.ts'],
    exclude: ['**/node_modules/**'],
    env: { TEST_DATABASE: db },
    globalSetup: db === 'postgres' ? ['src/test/postgres.global-setup.ts'] : [],
  },
});

export default defineConfig({
  test: {
    projects: ['orchestration/vitest.config.ts', 'server/vitest.config.ts', dbProject('postgres'), dbProject('pglite')],
  },
});
