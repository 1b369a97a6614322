import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/.next/**',
      '**/node_modules/**',
      'web/src/gql/**',
      '**/.data/**',
      'artifacts/**',
      'web/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['**/*.test.ts', 'bench/**', 'scripts/**'], rules: { 'no-console': 'off' } },
  // GraphQL results in tests are read dynamically; typing each one would add noise, not safety.
  { files: ['**/*.test.ts', '**/src/test/**', 'web/e2e/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['web/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Rows and cells must come from the same Table as the table around them: Mantine's Table.Tr inside
    // components/table throws "Table component was not found in the tree" in the browser.
    files: ['web/src/**'],
    ignores: ['web/src/components/table.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@mantine/core',
              importNames: ['Table'],
              message:
                "Use Table from '@/components/table' (Mantine's brings ScrollArea and @floating-ui into the first load).",
            },
          ],
        },
      ],
    },
  },
);
