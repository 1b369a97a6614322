import { defineConfig } from 'vitest/config';
import { sourceResolve, swcPlugin } from '../vitest.shared.js';

export default defineConfig({
  plugins: [swcPlugin()],
  resolve: sourceResolve,
  test: {
    name: 'orchestration',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
