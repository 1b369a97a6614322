// One transform for every package: SWC, because esbuild (vitest's default) does not emit the
// decorator metadata that type-graphql and MikroORM read at run time.
import swc from 'unplugin-swc';
import type { UserConfig } from 'vitest/config';

export const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
  });

/** Workspace packages resolve to their TypeScript sources under test (the "source" export condition). */
export const sourceResolve: UserConfig['resolve'] = { conditions: ['source', 'import', 'node', 'default'] };
