import type { ESLint, Linter } from 'eslint';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Language = NonNullable<ESLint.Plugin['languages']>[string];
type LanguageOptions = Record<string, unknown> & { parser?: unknown };

/**
 * Why the deploy-file configs carry a `language` of their own.
 *
 * A flat-config block without `files` applies to every file ESLint lints, and later blocks win. So
 * `typescript-eslint/base` (the first block of every `tseslint.configs.*` preset: no `files`,
 * `languageOptions: { parser: tsParser }`), placed after our config, replaced our parsers on
 * package.json, Procfiles, Dockerfiles and platform configs with TypeScript's: parse errors,
 * `no-unused-expressions` on package.json (typescript-estree reads `.json` as a JSON expression), and
 * every deploy-file finding lost. `languageOptions.parser` cannot be protected by ordering.
 *
 * `language` can: no preset sets it without `files`. Each deploy-file block therefore uses a language
 * of this plugin (`deploy-safe/jsonc`, `…/yaml`, `…/toml`, `…/shell-lines`) that is ESLint's own
 * JavaScript language (same parse, scope analysis, `SourceCode`, inline `eslint-disable` comments) with
 * its parser fixed: whatever `languageOptions.parser` a later block sets is replaced by the deploy
 * file's parser when ESLint normalizes the options. Other language options (`parserOptions` for
 * jsonc-eslint-parser's `jsonSyntax`, `globals`…) still merge as usual.
 *
 * ESLint does not export its JavaScript language; it is loaded from the installed ESLint's
 * `lib/languages/js` (present since 9.7, where `language` appeared). When that is missing (ESLint 8, which
 * uses `legacy-recommended` anyway, early 9.x, or a future layout) the blocks keep only
 * `languageOptions.parser`, as before: correct when deploy-safe's config comes last.
 */
/** What a rule's `meta.languages` names to run under every deploy-file language. */
export const DEPLOY_FILE_LANGUAGES = 'deploy-safe/*';

const FIRST_ESLINT_WITH_LANGUAGES = [9, 7] as const;

let jsLanguage: Language | null | undefined;

/** ESLint's JavaScript language from the ESLint installed beside this plugin, or null. */
function loadJsLanguage(): Language | null {
  if (jsLanguage !== undefined) return jsLanguage;
  jsLanguage = null;
  try {
    const manifestPath = require.resolve('eslint/package.json');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed ESLint's files, by path
    const { version } = require(manifestPath) as { version: string };
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const [firstMajor, firstMinor] = FIRST_ESLINT_WITH_LANGUAGES;
    if (major < firstMajor || (major === firstMajor && minor < firstMinor)) return jsLanguage;
    const languagePath = join(dirname(manifestPath), 'lib', 'languages', 'js', 'index.js');
    if (!existsSync(languagePath)) return jsLanguage;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- not in ESLint's `exports`, loaded by path
    const candidate = require(languagePath) as Partial<Language>;
    if (typeof candidate.parse === 'function' && typeof candidate.createSourceCode === 'function' && typeof candidate.validateLanguageOptions === 'function') {
      jsLanguage = candidate as Language;
    }
  } catch {
    jsLanguage = null;
  }
  return jsLanguage;
}

/** ESLint's JavaScript language with `parser` fixed to the given one. */
function fixedParserLanguage(base: Language, parser: unknown): Language {
  const withParser = (options: LanguageOptions | undefined): LanguageOptions => ({ ...options, parser });
  return {
    ...base,
    defaultLanguageOptions: withParser(base.defaultLanguageOptions as LanguageOptions | undefined),
    validateLanguageOptions(options: LanguageOptions) {
      base.validateLanguageOptions(withParser(options));
    },
    normalizeLanguageOptions(options: LanguageOptions) {
      const fixed = withParser(options);
      return base.normalizeLanguageOptions ? base.normalizeLanguageOptions(fixed) : fixed;
    },
    parse(file, context) {
      return base.parse(file, { ...context, languageOptions: withParser(context.languageOptions as LanguageOptions) });
    },
    createSourceCode(file, parseResult, context) {
      return base.createSourceCode(file, parseResult as never, { ...context, languageOptions: withParser(context.languageOptions as LanguageOptions) });
    },
  } as Language;
}

/** A language name for a parser: `jsonc` for jsonc-eslint-parser, `shell-lines` for ours. */
function languageNameOf(parser: unknown): string {
  const metaName = (parser as { meta?: { name?: string } }).meta?.name ?? 'deploy-file';
  return metaName.replace(/^.*\//, '').replace(/-eslint-parser$/, '');
}

/**
 * Gives each deploy-file block (`languageOptions.parser` with `files`) a language of the plugin that fixes
 * that parser, and registers those languages on the plugin. Returns the blocks unchanged when ESLint's
 * JavaScript language cannot be loaded.
 */
export function withDeployFileLanguages(
  plugin: { languages?: Record<string, Language> },
  namespace: string,
  blocks: Linter.Config[],
): Linter.Config[] {
  const base = loadJsLanguage();
  if (!base) return blocks;
  const languages: Record<string, Language> = (plugin.languages ??= {});
  return blocks.map((block) => {
    const parser = block.languageOptions?.parser;
    if (!parser || !block.files) return block;
    const name = languageNameOf(parser);
    const existing = languages[name] as (Language & { [PARSER]?: unknown }) | undefined;
    if (existing && existing[PARSER] !== parser) throw new Error(`two deploy-file parsers named ${name}`);
    if (!existing) languages[name] = Object.assign(fixedParserLanguage(base, parser), { [PARSER]: parser });
    return { ...block, language: `${namespace}/${name}` };
  });
}

const PARSER = Symbol('deploy-safe.parser');
