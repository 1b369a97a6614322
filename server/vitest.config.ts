import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { sourceResolve, swcPlugin } from '../vitest.shared.js';

const base = (
  name: string,
  test: NonNullable<TestProjectInlineConfiguration['test']>,
): TestProjectInlineConfiguration => ({
  plugins: [swcPlugin()],
  resolve: sourceResolve,
  test: {
    name,
    root: import.meta.dirname,
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    ...test,
  },
});

/**
 * Database-backed tests (`*.db.test.ts`) run twice: against real PostgreSQL (a fresh database per
 * test file, see src/test/database.ts) and against embedded PGlite.
 */
export const dbProject = (db: 'postgres' | 'pglite') =>
  base(`server:${db}`, {
    // `*.pg.test.ts`: tests that need a database shared across processes, which PGlite cannot be.
    include: db === 'postgres' ? ['src/**/*.db.test.ts', 'src/**/*.pg.test.ts'] : ['src/**/*.db.test.ts'],
    env: { TEST_DATABASE: db },
    globalSetup: db === 'postgres' ? ['src/test/postgres.global-setup.ts'] : [],
  });

/** Unit tests: everything else in server/. */
export default defineConfig(
  base('server', {
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.db.test.ts', 'src/**/*.pg.test.ts', '**/node_modules/**'],
  }),
);
