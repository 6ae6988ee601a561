import type { ESLint, Linter } from 'eslint';
import * as typescriptParser from '@typescript-eslint/parser';
import { CODE_FILES } from './configs/files';
import { DEPLOY_FILE_ONLY_RULES, deployFileConfigs, legacyDeployFileOverrides } from './configs/deploy-files';
import { STRICT_RULE_SETTINGS } from './configs/strict-options';
import { rules } from './rules';

import { readPackageInfo } from './core/package-info';

const { name, version } = readPackageInfo();

const NAMESPACE = 'deploy-safe';

const recommendedCodeRules: Linter.RulesRecord = Object.fromEntries(
  Object.entries(rules)
    .filter(([id, rule]) => rule.meta.docs?.recommended && !DEPLOY_FILE_ONLY_RULES.includes(id))
    .map(([id]) => [`${NAMESPACE}/${id}`, 'error']),
);

const codeLanguageOptions = {
  parser: typescriptParser,
  ecmaVersion: 'latest',
  sourceType: 'module',
  parserOptions: { ecmaFeatures: { jsx: true } },
} satisfies Linter.Config['languageOptions'];

// typescript-eslint's rule types and ESLint's own do not line up (typescript-eslint#11543); users see
// ESLint's `Plugin` type.
const plugin = {
  meta: { name, version, namespace: NAMESPACE },
  rules: rules as unknown as NonNullable<ESLint.Plugin['rules']>,
  configs: {} as Record<string, Linter.Config[] | Linter.LegacyConfig>,
};

const recommended: Linter.Config[] = [
  {
    name: `${NAMESPACE}/recommended`,
    files: CODE_FILES,
    plugins: { [NAMESPACE]: plugin },
    languageOptions: codeLanguageOptions,
    rules: recommendedCodeRules,
  },
  ...deployFileConfigs(plugin),
];

const strict: Linter.Config[] = [
  ...recommended,
  {
    name: `${NAMESPACE}/strict`,
    files: CODE_FILES,
    rules: Object.fromEntries(
      Object.entries(STRICT_RULE_SETTINGS).map(([id, entry]) => [`${NAMESPACE}/${id}`, entry]),
    ),
  },
];

const legacyRecommended: Linter.LegacyConfig = {
  plugins: [NAMESPACE],
  overrides: [
    {
      files: CODE_FILES,
      parser: require.resolve('@typescript-eslint/parser'),
      parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } },
      rules: recommendedCodeRules,
    },
    ...legacyDeployFileOverrides(),
  ],
};

Object.assign(plugin.configs, {
  recommended,
  strict,
  // Aliases for users who followed the 2024 `flat/` convention.
  'flat/recommended': recommended,
  'flat/strict': strict,
  // ESLint 8 with `.eslintrc`: `extends: ['plugin:deploy-safe/legacy-recommended']`.
  'legacy-recommended': legacyRecommended,
});

type DeploySafePlugin = typeof plugin & {
  configs: {
    recommended: Linter.Config[];
    strict: Linter.Config[];
    'flat/recommended': Linter.Config[];
    'flat/strict': Linter.Config[];
    'legacy-recommended': Linter.LegacyConfig;
  };
};

export = plugin as DeploySafePlugin;
