// The repository's own lint (`npm run lint`, part of `npm test`): typescript-eslint on every source,
// eslint-plugin-eslint-plugin on the rules, and the plugin's recommended config on its own code (a
// tool, not a service: it must report nothing here).
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';
import deploySafe from './dist/src/index.js';

export default [
  {
    ignores: ['dist/**', 'node_modules/**', 'bench-results/**', '.scratch/**', 'example/**', '**/__testfixtures__/**', 'test/fixtures/**', 'test/rules/fixtures/**', 'test/proof/fixtures/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['src/rules/*.ts'],
    ...eslintPlugin.configs['rules-recommended'],
  },
  {
    files: ['src/rules/*.ts'],
    rules: {
      'eslint-plugin/require-meta-default-options': 'error',
      'eslint-plugin/require-meta-schema-description': 'error',
      'eslint-plugin/no-meta-schema-default': 'error',
      'eslint-plugin/no-unused-message-ids': 'error',
      'eslint-plugin/no-unused-placeholders': 'error',
      'eslint-plugin/no-missing-placeholders': 'error',
      // createRule injects the docs URL, which the plugin cannot see.
      'eslint-plugin/require-meta-docs-url': 'off',
    },
  },
  {
    files: ['test/rules/*.test.ts'],
    ...eslintPlugin.configs['tests-recommended'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // ES-module-only parsers, loaded with require() so the plugin stays loadable from CommonJS configs.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^(jsonc|toml|yaml)-eslint-parser$'] }],
    },
  },
  {
    files: ['**/*.{js,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...deploySafe.configs.recommended,
];
