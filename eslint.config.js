import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'clearImmediate',
          'fetch',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Functions these scripts hand to the browser (page.evaluate) run there.
    files: ['bench/dashboard.mjs'],
    languageOptions: {
      globals: { document: 'readonly', window: 'readonly', MutationObserver: 'readonly' },
    },
  },
  {
    // @gsd/core is pure: no processes, databases, servers or file system. One small module reads a
    // project's `.planning` tree into memory for the (pure) state parser.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/planning/read-directory.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'child_process', 'fs', 'net', 'http'], message: '@gsd/core must stay pure' },
            { group: ['better-sqlite3', 'node-pty', '@gsd/*'], message: '@gsd/core must stay pure' },
          ],
        },
      ],
    },
  },
);
