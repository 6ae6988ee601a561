import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import plugin from '../index';
import { CODE_FILES } from '../configs/files';
import { isCodeFile } from './lint-dependencies';
import { type Engine, findOxlint, lintWithOxlint } from './oxlint';
import { IGNORE_PATTERNS, gitignorePatterns, listUnreadable } from './project-files';

export interface Finding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
  /** The rule's message id: what `fix` compares to tell a new finding from one that was there. */
  messageId?: string;
  /** The codemod that rewrites it (same name as the rule), or undefined for parse errors. */
  codemod?: string;
}

export interface CheckResult {
  dir: string;
  filesChecked: number;
  findings: Finding[];
  /** Files ESLint could not parse, and entries that cannot be read: reported, never fatal for the run. */
  unparsable: Finding[];
}

/** The flat config `check` lints a project with, `skip` (unreadable entries) left out. */
export function projectConfig(dir: string, skip: string[] = []): Linter.Config[] {
  return [
    { name: 'deploy-safe/cli-ignores', ignores: [...IGNORE_PATTERNS, ...gitignorePatterns(dir), ...gitignorePatterns(dir, '.eslintignore'), ...skip] },
    // The project's directives name its other plugins' rules: neither unused nor unknown ones are ours to report.
    { name: 'deploy-safe/cli-directives', linterOptions: { reportUnusedDisableDirectives: 'off' } },
    ...plugin.configs.recommended,
  ];
}

/** The ESLint options `check` lints a project with (also loaded by ESLint's worker threads, see check-options.ts). */
export function projectLinterOptions(dir: string, skip: string[] = []): ESLint.Options {
  return { cwd: dir, overrideConfigFile: true, overrideConfig: projectConfig(dir, skip), errorOnUnmatchedPattern: false };
}

export function createProjectLinter(dir: string, skip: string[] = []): ESLint {
  return new ESLint(projectLinterOptions(dir, skip));
}

export interface CheckOptions {
  /** ESLint's multithreaded linting: a number of threads, `auto`, or `off` (the default). */
  concurrency?: number | 'auto' | 'off';
  /** Called as each file starts to be linted (not with concurrency: the files are linted in other threads). */
  onFile?: (file: string, done: number) => void;
  /**
   * What lints the code files: `eslint` (the default), `oxlint` (the project's oxlint, see oxlint.ts;
   * package.json and deploy files stay on ESLint), or `auto`: oxlint where the project has it installed.
   * If oxlint cannot be run or its output read, the code is linted by ESLint and `onNote` is told why.
   */
  engine?: Engine;
  /** One line for the user (the CLI writes it to stderr): oxlint was asked for and ESLint linted instead. */
  onNote?: (line: string) => void;
}

/**
 * A rule that reports nothing and tells when ESLint starts on a file: ESLint has no progress events.
 * It is on for exactly the files the recommended config lints, so it adds no file to the run.
 */
function progressConfig(dir: string, onFile: NonNullable<CheckOptions['onFile']>): Linter.Config {
  let done = 0;
  const progress = {
    meta: { type: 'suggestion' as const, schema: [] },
    create(context: { filename: string }) {
      onFile(relative(dir, context.filename).split('\\').join('/'), ++done);
      return {};
    },
  };
  return {
    name: 'deploy-safe/cli-progress',
    files: plugin.configs.recommended.flatMap((config) => config.files ?? []) as string[],
    plugins: { 'deploy-safe-cli': { rules: { progress } } },
    rules: { 'deploy-safe-cli/progress': 'error' },
  };
}

/**
 * With concurrency, ESLint's worker threads cannot receive the plugin object: they load the options
 * from a module instead (ESLint.fromOptionsModule, ESLint ≥ 9.34), which rebuilds them from these
 * environment variables. Undefined where the installed ESLint has no multithreaded linting.
 */
async function concurrentLinter(dir: string, skip: string[], concurrency: number | 'auto'): Promise<ESLint | undefined> {
  const fromOptionsModule = (ESLint as unknown as { fromOptionsModule?: (url: URL) => Promise<ESLint> }).fromOptionsModule;
  if (typeof fromOptionsModule !== 'function') return undefined;
  process.env.DEPLOY_SAFE_CHECK_OPTIONS = JSON.stringify({ dir, skip, concurrency });
  return fromOptionsModule.call(ESLint, pathToFileURL(join(__dirname, 'check-options.js')));
}

export async function check(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  return (await lintProject(dir, options)).result;
}

/** What `check` reports, and every message of the lint by relative path (what `fix` hands its codemods). */
export interface ProjectLint {
  result: CheckResult;
  messages: Map<string, Linter.LintMessage[]>;
  unreadable: UnreadableEntry[];
}

export async function lintProject(dir: string, options: CheckOptions = {}): Promise<ProjectLint> {
  const unreadable = listUnreadable(dir);
  const skip = unreadable.flatMap((entry) => [entry.file, `${entry.file}/**`]);
  const engine = options.engine ?? 'eslint';
  if (engine !== 'eslint') {
    const oxlint = findOxlint(dir);
    if (oxlint) {
      const messages = await lintCodeWithOxlint(dir, skip, oxlint.bin, options.onNote);
      if (messages) return projectLint(dir, messages, unreadable);
    } else if (engine === 'oxlint') {
      options.onNote?.(`deploy-safe: oxlint is not installed in ${dir}; the code was checked with ESLint`);
    }
  }
  const concurrency = options.concurrency ?? 'off';
  const concurrent = concurrency !== 'off' ? await concurrentLinter(dir, skip, concurrency) : undefined;
  const eslint = concurrent ?? (options.onFile ? withProgress(dir, skip, options.onFile) : createProjectLinter(dir, skip));
  const messages = new Map<string, Linter.LintMessage[]>();
  for (const result of await eslint.lintFiles(['.'])) messages.set(relativeFile(dir, result.filePath), result.messages);
  return projectLint(dir, messages, unreadable);
}

/**
 * `previous` with `files` (relative paths; created, changed or deleted since) linted again: what a
 * full lint would give when no other file's findings depend on those files (the caller's to decide).
 * `known` gives the messages of a file whose lint the caller already has for its text now.
 */
export async function relintFiles(
  dir: string,
  previous: ProjectLint,
  files: readonly string[],
  known: (file: string) => readonly Linter.LintMessage[] | undefined = () => undefined,
): Promise<ProjectLint> {
  const messages = new Map(previous.messages);
  for (const file of files) messages.delete(file);
  const toLint = files.filter((file) => {
    if (!existsSync(join(dir, file))) return false;
    const current = known(file);
    if (current) messages.set(file, [...current]);
    return !current;
  });
  if (toLint.length > 0) {
    const skip = previous.unreadable.flatMap((entry) => [entry.file, `${entry.file}/**`]);
    const eslint = new ESLint({ ...projectLinterOptions(dir, skip), warnIgnored: false });
    for (const result of await eslint.lintFiles(toLint.map((file) => join(dir, file)))) messages.set(relativeFile(dir, result.filePath), result.messages);
  }
  return projectLint(dir, messages, previous.unreadable);
}

// Block comments that configure ESLint itself (`/* eslint rule: "off" */`, `/* eslint-env node */`, a
// `/* eslint-disable-line */` over several lines): oxlint ignores them or reads them otherwise, and ESLint
// reports some of them. Files with one are linted by ESLint, as on the ESLint path.
const ESLINT_CONFIG_COMMENT = /\/\*\s*eslint(?:-env|-disable-line)?(?:\s|\*\/)/;

/**
 * A parser that reads nothing: with it and no rule on, ESLint only lists the code files it would lint
 * (its own ignores, the project's, the same globs), at the cost of reading them, for oxlint to lint.
 * It notes the files that have ESLint configuration comments.
 */
function listingParser(withConfigComments: Set<string>): Linter.Parser {
  return {
    meta: { name: 'deploy-safe/listing-parser' },
    parseForESLint(code: string, parserOptions?: { filePath?: string }) {
      if (parserOptions?.filePath && ESLINT_CONFIG_COMMENT.test(code)) withConfigComments.add(parserOptions.filePath);
      const ast = { type: 'Program', body: [], sourceType: 'module', comments: [], tokens: [], range: [0, 0], loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } } };
      return { ast: ast as unknown as never };
    },
  };
}

/**
 * The project's messages with the code files linted by oxlint and the rest by ESLint, or undefined
 * (after a note) when oxlint's results cannot be used.
 */
async function lintCodeWithOxlint(dir: string, skip: string[], bin: string, onNote: CheckOptions['onNote']): Promise<Map<string, Linter.LintMessage[]> | undefined> {
  const options = projectLinterOptions(dir, skip);
  const config = (options.overrideConfig as Linter.Config[]).filter((entry) => entry.name !== 'deploy-safe/recommended');
  const withConfigComments = new Set<string>();
  const parser = listingParser(withConfigComments);
  const lister = new ESLint({ ...options, overrideConfig: [...config, { name: 'deploy-safe/cli-code-files', files: CODE_FILES, languageOptions: { parser } }] });
  const messages = new Map<string, Linter.LintMessage[]>();
  const codeFiles: string[] = [];
  const toEslint: string[] = [];
  for (const result of await lister.lintFiles(['.'])) {
    const file = relativeFile(dir, result.filePath);
    messages.set(file, result.messages);
    if (isCodeFile(file)) (withConfigComments.has(result.filePath) ? toEslint : codeFiles).push(file);
  }
  let oxlint;
  try {
    oxlint = await lintWithOxlint(dir, codeFiles, bin);
  } catch (error) {
    onNote?.(`deploy-safe: oxlint failed (${error instanceof Error ? error.message : String(error)}); the code was checked with ESLint`);
    return undefined;
  }
  for (const [file, fileMessages] of oxlint.messages) messages.set(file, fileMessages);
  toEslint.push(...oxlint.toEslint);
  if (toEslint.length > 0) {
    const eslint = new ESLint({ ...options, warnIgnored: false });
    for (const result of await eslint.lintFiles(toEslint.map((file) => join(dir, file)))) messages.set(relativeFile(dir, result.filePath), result.messages);
  }
  return messages;
}

function withProgress(dir: string, skip: string[], onFile: NonNullable<CheckOptions['onFile']>): ESLint {
  const options = projectLinterOptions(dir, skip);
  return new ESLint({ ...options, overrideConfig: [...(options.overrideConfig as Linter.Config[]), progressConfig(dir, onFile)] });
}

type UnreadableEntry = ReturnType<typeof listUnreadable>[number];

function relativeFile(dir: string, path: string): string {
  return relative(dir, path).split('\\').join('/');
}

function projectLint(dir: string, unsorted: Map<string, Linter.LintMessage[]>, unreadable: UnreadableEntry[]): ProjectLint {
  // By path, so a lint of part of the project merged into a whole one reads the same as a whole one.
  const messages = new Map([...unsorted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const findings: Finding[] = [];
  const unparsable: Finding[] = unreadable.map(({ file, reason }) => ({ rule: 'unreadable', file, line: 0, column: 0, message: reason }));
  for (const [file, fileMessages] of messages) {
    for (const message of fileMessages) {
      // "Definition for rule '@typescript-eslint/…' was not found": a directive for a plugin this run does not load.
      if (!message.fatal && !message.ruleId?.startsWith('deploy-safe/')) continue;
      if (message.fatal || !message.ruleId) {
        unparsable.push({ rule: 'parse-error', file, line: message.line, column: message.column, message: message.message });
        continue;
      }
      const rule = message.ruleId.replace(/^deploy-safe\//, '');
      findings.push({ rule, file, line: message.line, column: message.column, message: message.message, messageId: message.messageId, codemod: rule });
    }
  }
  return { result: { dir: resolve(dir), filesChecked: messages.size, findings, unparsable }, messages, unreadable };
}

export function formatCheck(result: CheckResult): string {
  const lines: string[] = [];
  const byRule = new Map<string, Finding[]>();
  for (const finding of result.findings) byRule.set(finding.rule, [...(byRule.get(finding.rule) ?? []), finding]);
  for (const [rule, findings] of byRule) {
    lines.push(`${rule}  (${findings.length}; fix: deploy-safe fix, or the ${rule} codemod)`);
    for (const finding of findings) lines.push(`  ${finding.file}:${finding.line}:${finding.column}  ${finding.message}`);
    lines.push('');
  }
  if (result.unparsable.length > 0) {
    lines.push('could not read or parse (left unchecked)');
    for (const item of result.unparsable) lines.push(`  ${item.line > 0 ? `${item.file}:${item.line}` : item.file}  ${item.message}`);
    lines.push('');
  }
  const files = new Set(result.findings.map((finding) => finding.file)).size;
  lines.push(
    result.findings.length === 0
      ? `✔ no problems in ${result.filesChecked} file${result.filesChecked === 1 ? '' : 's'}`
      : `✖ ${result.findings.length} problem${result.findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${byRule.size} rule${byRule.size === 1 ? '' : 's'}), ${result.filesChecked} file${result.filesChecked === 1 ? '' : 's'} checked; \`deploy-safe fix\` applies the codemods`,
  );
  return lines.join('\n');
}
