import { defineConfig } from 'vitest/config';

// End-to-end tests of the web app in Chromium, against a running platform (see e2e/browser.ts).
export default defineConfig({
  test: {
    name: 'web-e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.e2e.test.ts'],
    // Starts the platform as the README does, unless E2E_BASE_URL names a running one.
    globalSetup: ['e2e/platform.global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // One browser at a time: the machine is small and the tests share one platform.
    fileParallelism: false,
  },
});
