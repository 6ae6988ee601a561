import type { ESLint, Linter } from 'eslint';
import * as typescriptParser from '@typescript-eslint/parser';
import { CODE_FILES } from './configs/files';
import { DEPLOY_FILE_ONLY_RULES, DEPLOY_FILE_RULES, deployFileConfigs, legacyDeployFileOverrides } from './configs/deploy-files';
import { DEPLOY_FILE_LANGUAGES, withDeployFileLanguages } from './configs/deploy-file-languages';
import { STRICT_RULE_SETTINGS } from './configs/strict-options';
import { rules } from './rules';
import type { DeploySafeRules as DeploySafeRulesMap, RuleOptions as RuleOptionsMap } from './types/rule-options';

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
  rules: withDeployFileRuleLanguages(rules) as unknown as NonNullable<ESLint.Plugin['rules']>,
  configs: {} as Record<string, Linter.Config[] | Linter.LegacyConfig>,
  languages: {} as NonNullable<ESLint.Plugin['languages']>,
};

/**
 * The deploy-file rules that declare `meta.languages: ['js/js']` also run under the plugin's deploy-file
 * languages (ESLint's JavaScript language with a fixed parser, see configs/deploy-file-languages.ts);
 * ESLint ≥ 10.2 refuses a rule whose `meta.languages` does not name the block's language.
 */
function withDeployFileRuleLanguages<T extends Record<string, { meta: { languages?: readonly string[] } }>>(ruleMap: T): T {
  return Object.fromEntries(
    Object.entries(ruleMap).map(([id, rule]) => {
      const languages = rule.meta.languages;
      if (!languages || !DEPLOY_FILE_RULES.includes(id) || languages.includes(DEPLOY_FILE_LANGUAGES)) return [id, rule];
      return [id, { ...rule, meta: { ...rule.meta, languages: [...languages, DEPLOY_FILE_LANGUAGES] } }];
    }),
  ) as T;
}

const recommended: Linter.Config[] = [
  {
    name: `${NAMESPACE}/recommended`,
    files: CODE_FILES,
    plugins: { [NAMESPACE]: plugin },
    languageOptions: codeLanguageOptions,
    rules: recommendedCodeRules,
  },
  ...withDeployFileLanguages(plugin, NAMESPACE, deployFileConfigs(plugin)),
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

// Types for `eslint.config.ts`, from ES modules and CommonJS alike
// (`import type { RuleOptions } from 'eslint-plugin-deploy-safe'`): a namespace that holds only types merges
// with the exported value. It has to be a `var`: TypeScript does not merge a namespace with a `const`.
// eslint-disable-next-line no-var
var deploySafe = plugin as DeploySafePlugin;
// eslint-disable-next-line @typescript-eslint/no-namespace -- the only way to add types to an `export =` value
declare namespace deploySafe {
  /** Each deploy-safe rule's options tuple, by rule ID (`'deploy-safe/listen-requires-host'`). */
  type RuleOptions = RuleOptionsMap;
  /** A `rules` object of deploy-safe rules only, each entry typed; for `satisfies`. */
  type DeploySafeRules = DeploySafeRulesMap;
}

export = deploySafe;
