import { defineConfig } from 'vitest/config';

// Unit tests of the web app's plain TypeScript (no browser, no platform): src/**/*.test.ts.
export default defineConfig({
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    alias: { '@/': new URL('./src/', import.meta.url).pathname },
  },
});
