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
  const unreadable = listUnreadable(dir);
  const skip = unreadable.flatMap((entry) => [entry.file, `${entry.file}/**`]);
  const concurrency = options.concurrency ?? 'off';
  const eslint = (concurrency !== 'off' && (await concurrentLinter(dir, skip, concurrency))) || createProjectLinter(dir, skip);
  const results = await eslint.lintFiles(['.']);
  const findings: Finding[] = [];
  const unparsable: Finding[] = unreadable.map(({ file, reason }) => ({ rule: 'unreadable', file, line: 0, column: 0, message: reason }));
  for (const result of results) {
    const file = relative(dir, result.filePath).split('\\').join('/');
    for (const message of result.messages) {
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
  return { dir: resolve(dir), filesChecked: results.length, findings, unparsable };
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
