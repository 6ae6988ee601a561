import { ESLintUtils } from '@typescript-eslint/utils';
import { readPackageInfo } from './package-info';
import { JSON_LANGUAGES, isJsonLanguageTree } from './languages';

export interface DeploySafeDocs {
  description: string;
  /** Enabled in `recommended`. */
  recommended?: boolean;
  requiresTypeChecking?: false;
}

export const REPOSITORY_URL = 'https://github.com/deploy-safe/eslint-plugin-deploy-safe';

// The docs of the version in use: a page on `main` may describe options this version does not have.
const { version } = readPackageInfo();
const ruleCreator = ESLintUtils.RuleCreator<DeploySafeDocs>((name) => `${REPOSITORY_URL}/blob/v${version}/docs/rules/${name}.md`);

/**
 * typescript-eslint's rule creator, with the rule's `meta.defaultOptions` merged into the configured
 * options once per distinct configuration instead of once per file. The creator merges them with
 * `structuredClone` on every file; inside a lint run that cost ~0.07 ms a file, more than the rule
 * itself spends on a file it cannot match (`npm run bench`, ESLint's per-rule stats). ESLint 9.15+
 * has already merged `meta.defaultOptions` into `context.options`; ESLint 8 has not, so the merge
 * stays. The memo is a pure function of the options (no state about files), so `--cache` and
 * `--concurrency` are unaffected; it holds at most a few entries, one per configuration in use.
 */
export const createRule: typeof ruleCreator = (spec) => {
  const rule = ruleCreator(spec);
  type Options = Parameters<typeof spec.create>[1];
  const defaults = (spec.meta.defaultOptions ?? []) as Options;
  const resolved = new Map<string, Options>();
  return {
    ...rule,
    create(context) {
      refuseOtherLanguages(spec.name, context.sourceCode.ast, (spec.meta as { languages?: readonly string[] }).languages);
      const key = JSON.stringify(context.options);
      let options = resolved.get(key);
      if (!options) {
        options = deepFreeze(ESLintUtils.applyDefault(defaults, context.options as Options));
        if (resolved.size < MAX_REMEMBERED_CONFIGURATIONS) resolved.set(key, options);
      }
      return spec.create(context, options);
    },
  };
};

const MAX_REMEMBERED_CONFIGURATIONS = 16;

/**
 * The rules read ESTree syntax trees (the plugin's parsers make one for package.json and deploy files
 * too). Under another ESLint language a rule would find nothing and say nothing; ESLint >= 10.2 refuses
 * it through `meta.languages`, and this makes every version refuse it, naming the cause. The deploy-file
 * rules also read JSON files under @eslint/json's languages (see deploy-files/json-language.ts).
 */
function refuseOtherLanguages(name: string, ast: { type: string } | undefined, languages: readonly string[] = []): void {
  if (ast === undefined || ast.type === 'Program') return;
  // @eslint/json's tree: the deploy-file rules that name its languages read the file's text again.
  if (isJsonLanguageTree(ast) && JSON_LANGUAGES.some((language) => languages.includes(language))) return;
  throw new Error(
    `deploy-safe/${name} cannot read this file: another ESLint language parsed it (its syntax tree is a ${ast.type}, not a Program), so the rule would report nothing. ` +
      "Keep that language's `files` off the files deploy-safe checks (package.json and deploy files), or put deploy-safe's config after it.",
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
