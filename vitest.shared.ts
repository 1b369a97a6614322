// One transform for every package: SWC, because esbuild (vitest's default) does not emit the
// decorator metadata that type-graphql and MikroORM read at run time.
import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import type { ViteUserConfig } from 'vitest/config';

export const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
  });

/**
 * Workspace packages resolve to their TypeScript sources under test (the "source" export condition).
 * `graphql` resolves to the file Node loads (its CommonJS entry): otherwise a test importing
 * `graphql` gets its ESM copy while type-graphql and Apollo load the CommonJS one, and graphql-js
 * refuses objects "from another module or realm".
 */
export const sourceResolve: ViteUserConfig['resolve'] = {
  conditions: ['source', 'import', 'node', 'default'],
  alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
};
