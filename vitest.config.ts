import { defineConfig } from 'vitest/config';
import { dbProject } from './server/vitest.config.js';

export default defineConfig({
  test: {
    projects: [
      'orchestration/vitest.config.ts',
      'server/vitest.config.ts',
      dbProject('postgres'),
      dbProject('pglite'),
      'web/vitest.unit.config.ts',
      'web/vitest.config.ts',
    ],
  },
});
