import { defineConfig } from 'vitest/config';

// End-to-end tests of the web app in Chromium, against a running platform (see e2e/browser.ts).
export default defineConfig({
  test: {
    name: 'web-e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One browser at a time: the machine is small and the tests share one platform.
    fileParallelism: false,
  },
});
