import { basename, dirname, resolve } from 'node:path';
import { deployFileParser } from '../../src/configs/deploy-files';
import { CODE_FILES } from '../../src/configs/files';
import type { API, FileInfo, Options } from 'jscodeshift';
import type { Linter } from 'eslint';
import * as typescriptParser from '@typescript-eslint/parser';
import { nearestPackageDirectory } from '../../src/core/project-root';
import { createReporter } from './report';

type LinterClass = typeof import('eslint').Linter;

/**
 * A lint of whole files with every rule on, done once by a caller that runs several codemods over the
 * same files (`deploy-safe fix`): the codemods look their rule's findings up there instead of parsing
 * each file again. Undefined answers (a file changed since, a rule not enabled there) mean "lint it".
 */
export interface SharedFindings {
  /** Every message of that lint for `path` (absolute) with exactly `source`, parse errors included; undefined when unknown. */
  messagesFor(path: string, source: string, ruleName: string): readonly Linter.LintMessage[] | undefined;
}

let sharedFindings: SharedFindings | undefined;

/**
 * Runs `run` with `findings` standing in for the codemods' own one-rule lints. Without it (the
 * standalone `jscodeshift -t` path) every codemod lints for itself, as before.
 */
export async function withSharedFindings<T>(findings: SharedFindings, run: () => Promise<T>): Promise<T> {
  const previous = sharedFindings;
  sharedFindings = findings;
  try {
    return await run();
  } finally {
    sharedFindings = previous;
  }
}

/** The shared findings of one rule in a file, when known; only for default rule options (those the shared lint used). */
function knownMessages(ruleName: string, source: string, path: string, ruleOptions: readonly unknown[]): Linter.LintMessage[] | undefined {
  if (!sharedFindings || !ruleOptions.every(isEmptyOption)) return undefined;
  return sharedFindings.messagesFor(resolve(path), source, ruleName)?.filter((message) => isOwnMessage(message, ruleName));
}

function isEmptyOption(option: unknown): boolean {
  return option === undefined || (typeof option === 'object' && option !== null && !Array.isArray(option) && Object.keys(option).length === 0);
}

let linterClass: LinterClass | undefined;
/** A Linter rooted at the file's project (nearest package.json): flat config only matches files under its `cwd`. */
function getLinter(filename: string): InstanceType<LinterClass> {
  // eslint is a peer dependency; loaded on first use so a file that cannot match costs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  linterClass ??= (require('eslint') as typeof import('eslint')).Linter;
  // Rooted at the project, as ESLint runs there: path options (`ignoreFiles: ['**/test/**']`) see `test/`.
  return new linterClass({ configType: 'flat', cwd: nearestPackageDirectory(filename) ?? dirname(filename) });
}

/**
 * A flat config with only one of the plugin's rules on. Unused `eslint-disable` comments are not
 * reported: with every other rule off, each directive for another rule would look unused, and its
 * autofix would delete it.
 */
function pluginRuleConfig(ruleName: string, rule: unknown, path: string, ruleOptions: unknown[]): Linter.Config {
  // package.json, Dockerfile, railway.json…: the parser the recommended config gives them.
  const deployParser = deployFileParser(path);
  return {
    files: deployParser ? [`**/${basename(path)}`] : CODE_FILES,
    plugins: { 'deploy-safe': { rules: { [ruleName]: rule as never } } },
    languageOptions: deployParser
      ? { parser: deployParser as Linter.Parser }
      : {
          parser: typescriptParser,
          ecmaVersion: 'latest',
          sourceType: 'module',
          parserOptions: { ecmaFeatures: { jsx: !/\.(?:ts|mts|cts)$/.test(path) } },
        },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { [`deploy-safe/${ruleName}`]: ['error', ...ruleOptions] },
  };
}

/**
 * A codemod that applies exactly the autofixes of one of the plugin's rules, so the codemod and
 * `eslint --fix` can never disagree. Text edits touch only the flagged ranges: the rest of the file,
 * its formatting and comments stay byte-identical. Problems the rule reports without a fix are
 * reported to the user.
 */
export function applyRuleFixes(
  ruleName: string,
  rule: unknown,
  mightMatch: RegExp | ((file: FileInfo) => boolean),
  ruleOptions: (options: Options) => unknown[] = () => [],
): (file: FileInfo, api: API, options: Options) => string | undefined {
  const canMatch = typeof mightMatch === 'function' ? mightMatch : (file: FileInfo) => mightMatch.test(file.source);
  return (file, api, options) => {
    if (file.path.endsWith('.d.ts') || !canMatch(file)) return undefined;
    const report = createReporter(api, file.path);
    const known = knownMessages(ruleName, file.source, file.path, ruleOptions(options));
    // Nothing reported (and the file parses): nothing to fix, no need to lint again.
    if (known?.length === 0) return undefined;
    // The shared lint is the first of verifyAndFix's passes: its fixes are applied here, the rest of the
    // passes (and the messages left) come from linting what they give.
    const input = known ? firstFixPass(file.source, known) : file.source;
    // What is left after that pass, from the same shared lint when it can lint the new text: with no fix
    // in it, verifyAndFix would stop there.
    const left = known && input !== file.source ? knownMessages(ruleName, input, file.path, ruleOptions(options)) : undefined;
    let result: Linter.FixReport;
    try {
      const filename = resolve(file.path);
      result = left && !left.some((message) => message.fix)
        ? { fixed: false, output: input, messages: left }
        : getLinter(filename).verifyAndFix(input, pluginRuleConfig(ruleName, rule, file.path, ruleOptions(options)), { filename });
    } catch (error) {
      // An invalid option: say so once per file rather than crash the whole run.
      report(`skipped: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()}`);
      return undefined;
    }
    for (const message of result.messages.filter((item) => isOwnMessage(item, ruleName))) {
      if (message.fatal) {
        report(`skipped: the file does not parse (${message.message})`);
        return undefined;
      }
      report(`not rewritten: ${message.message}`, message.line);
    }
    return result.output !== file.source ? result.output : undefined;
  };
}

/**
 * `source` after one pass of ESLint's fixer over `messages`, as verifyAndFix makes it: fixes in order of
 * their ranges, one that overlaps or touches the previous left for the next pass. Text with a byte
 * order mark (the fix ranges do not count it) is left to verifyAndFix.
 */
function firstFixPass(source: string, messages: readonly Linter.LintMessage[]): string {
  if (source.startsWith('\uFEFF') || messages.some((message) => message.fatal)) return source;
  const fixes = messages.flatMap((message) => (message.fix ? [message.fix] : [])).sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let last = Number.NEGATIVE_INFINITY;
  for (const { range: [start, end], text } of fixes) {
    if (last >= start || start > end || start < 0) continue;
    output += source.slice(Math.max(0, last), start) + text;
    last = end;
  }
  return output + source.slice(Math.max(0, last));
}

/**
 * The rule's own messages and parse errors. Inline comments for other rules (an `eslint-disable
 * valid-jsdoc` comment names a rule this one-rule config does not define) yield messages of their
 * own, which are not the codemod's business.
 */
function isOwnMessage(message: Linter.LintMessage, ruleName: string): boolean {
  return message.fatal === true || message.ruleId === `deploy-safe/${ruleName}`;
}

/** The messages of a lint with one plugin rule on: the rule's own, and parse errors (`fatal`). */
export function verifyWithPluginRule(ruleName: string, rule: unknown, source: string, path: string, ruleOptions: unknown[] = []): Linter.LintMessage[] {
  const known = knownMessages(ruleName, source, path, ruleOptions);
  if (known) return known;
  const filename = resolve(path);
  return getLinter(filename)
    .verify(source, pluginRuleConfig(ruleName, rule, path, ruleOptions), { filename })
    .filter((message) => isOwnMessage(message, ruleName));
}

