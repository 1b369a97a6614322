import { defineConfig } from 'vitest/config';
import { sourceResolve, swcPlugin } from '../vitest.shared.js';

// Unit tests. The database-backed tests (`*.db.test.ts`) run twice, once per database, through the
// two projects the root vitest.config.ts derives from this one.
export default defineConfig({
  plugins: [swcPlugin()],
  resolve: sourceResolve,
  test: {
    name: 'server',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.db.test.ts', '**/node_modules/**'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
