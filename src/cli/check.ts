import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import plugin from '../index';
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

/** The ESLint options `check` lints a project with (also loaded by ESLint's worker threads, see check-options.ts). */
export function projectLinterOptions(dir: string, skip: string[] = []): ESLint.Options {
  const config: Linter.Config[] = [
    { name: 'deploy-safe/cli-ignores', ignores: [...IGNORE_PATTERNS, ...gitignorePatterns(dir), ...gitignorePatterns(dir, '.eslintignore'), ...skip] },
    // The project's directives name its other plugins' rules: neither unused nor unknown ones are ours to report.
    { name: 'deploy-safe/cli-directives', linterOptions: { reportUnusedDisableDirectives: 'off' } },
    ...plugin.configs.recommended,
  ];
  return { cwd: dir, overrideConfigFile: true, overrideConfig: config, errorOnUnmatchedPattern: false };
}

export function createProjectLinter(dir: string, skip: string[] = []): ESLint {
  return new ESLint(projectLinterOptions(dir, skip));
}

export interface CheckOptions {
  /** ESLint's multithreaded linting: a number of threads, `auto`, or `off` (the default). */
  concurrency?: number | 'auto' | 'off';
  /** Called as each file starts to be linted (not with concurrency: the files are linted in other threads). */
  onFile?: (file: string, done: number) => void;
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
 */
export async function relintFiles(dir: string, previous: ProjectLint, files: readonly string[]): Promise<ProjectLint> {
  const messages = new Map(previous.messages);
  for (const file of files) messages.delete(file);
  const present = files.filter((file) => existsSync(join(dir, file)));
  if (present.length > 0) {
    const skip = previous.unreadable.flatMap((entry) => [entry.file, `${entry.file}/**`]);
    const eslint = new ESLint({ ...projectLinterOptions(dir, skip), warnIgnored: false });
    for (const result of await eslint.lintFiles(present.map((file) => join(dir, file)))) messages.set(relativeFile(dir, result.filePath), result.messages);
  }
  return projectLint(dir, messages, previous.unreadable);
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
