import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { check, createProjectLinter, type CheckResult } from './check';
import { RESULT_MARKER } from './codemod-worker';
import { IGNORED_DIRECTORIES, listFiles } from './project-files';
import plugin from '../index';

/**
 * The order the codemods run in: the Prisma singleton exists before anything imports it, the logger and
 * the host are settled before the shutdown routine is written around the server, and deploy files last.
 */
export const CODEMOD_ORDER = [
  'no-multiple-prisma-clients',
  'no-findunique-then-create',
  'no-file-logger-in-prod',
  'listen-requires-host',
  'shutdown-must-close-server',
  'no-db-push-script',
];

export interface CodemodOutcome {
  codemod: string;
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  failed: number;
  /** `file: message` lines the codemod reported (sites it left alone, baseline steps...). */
  reports: string[];
  /** Files that did not parse, left untouched. */
  unparsable: string[];
  errors: string[];
}

export interface FixResult {
  outcomes: CodemodOutcome[];
  /** Unified diff of everything the codemods changed (dry run only). */
  diff?: string;
  after: CheckResult;
}

export interface FixOptions {
  dryRun: boolean;
  onProgress?: (codemod: string, done: number, total: number) => void;
}

function codemodPath(codemod: string): string {
  return join(__dirname, '..', '..', 'codemods', `${codemod}.js`);
}

/** The files each codemod applies to: those the recommended config lints with its rule enabled. */
async function filesByCodemod(dir: string): Promise<Map<string, string[]>> {
  const eslint = createProjectLinter(dir);
  const result = new Map<string, string[]>();
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    if (await eslint.isPathIgnored(path)) continue;
    const config = (await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown[]> } | undefined;
    for (const [id, entry] of Object.entries(config?.rules ?? {})) {
      const codemod = id.replace(/^deploy-safe\//, '');
      if (id === codemod || (Array.isArray(entry) && (entry[0] === 0 || entry[0] === 'off'))) continue;
      result.set(codemod, [...(result.get(codemod) ?? []), path]);
    }
  }
  return result;
}

function runCodemod(codemod: string, files: string[], root: string, onProgress?: FixOptions['onProgress']): Promise<CodemodOutcome> {
  const outcome: CodemodOutcome = { codemod, files: files.length, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] };
  const jobDir = mkdtempSync(join(tmpdir(), 'deploy-safe-job-'));
  const jobFile = join(jobDir, 'job.json');
  writeFileSync(jobFile, JSON.stringify({ transform: codemodPath(codemod), files, options: {} }));
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [join(__dirname, 'codemod-worker.js'), jobFile], {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 256 << 20,
    });
    let done = 0;
    let buffered = '';
    let counts: Record<string, number> | undefined;
    const onLine = (line: string): void => {
      if (line.startsWith(RESULT_MARKER)) {
        counts = JSON.parse(line.slice(RESULT_MARKER.length)) as Record<string, number>;
        return;
      }
      const match = /^\s*(OKK|NOC|SKIP|ERR|REP)\s+(\S+)\s?(.*)$/.exec(line);
      if (!match) return;
      const [, status, path, message] = match;
      const file = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
      if (status === 'REP') {
        if (/^skipped: the file does not parse/.test(message)) outcome.unparsable.push(`${file}: ${message.replace(/^skipped: /, '')}`);
        else outcome.reports.push(`${file}: ${message}`);
        return;
      }
      if (status === 'ERR') outcome.errors.push(`${file}: ${message}`);
      onProgress?.(codemod, ++done, files.length);
    };
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      if (buffered) onLine(buffered);
      rmSync(jobDir, { recursive: true, force: true });
      if (counts) {
        outcome.changed = counts.ok;
        outcome.unchanged = counts.nochange;
        outcome.skipped = counts.skip;
        outcome.failed = counts.error;
      }
      // A transform that fails to load makes jscodeshift count nothing at all: treat that as a failure.
      if (!counts || code !== 0 || outcome.changed + outcome.unchanged + outcome.skipped + outcome.failed !== files.length) {
        outcome.failed = Math.max(outcome.failed, files.length - outcome.changed - outcome.unchanged - outcome.skipped);
        outcome.errors.push(`the codemod did not run to completion (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
      }
      resolvePromise(outcome);
    });
  });
}

function copyProject(dir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'deploy-safe-dry-run-')), basename(dir));
  const ignored = new Set(IGNORED_DIRECTORIES);
  cpSync(dir, copy, { recursive: true, filter: (source) => !ignored.has(basename(source)) || source === dir });
  return copy;
}

function unifiedDiff(before: string, after: string): string {
  const files = [...new Set([...listFiles(before), ...listFiles(after)])].sort();
  const patches: string[] = [];
  for (const file of files) {
    const oldPath = join(before, file);
    const newPath = join(after, file);
    const oldText = existsSync(oldPath) ? readFileSync(oldPath, 'utf8') : '';
    const newText = existsSync(newPath) ? readFileSync(newPath, 'utf8') : '';
    if (oldText === newText) continue;
    patches.push(
      createTwoFilesPatch(existsSync(oldPath) ? `a/${file}` : '/dev/null', existsSync(newPath) ? `b/${file}` : '/dev/null', oldText, newText, '', '', { context: 3 })
        .split('\n')
        .filter((line) => !line.startsWith('====='))
        .join('\n'),
    );
  }
  return patches.join('');
}

export async function fix(dir: string, options: FixOptions): Promise<FixResult> {
  const target = options.dryRun ? copyProject(dir) : dir;
  try {
    const targets = await filesByCodemod(target);
    const outcomes: CodemodOutcome[] = [];
    for (const codemod of CODEMOD_ORDER) {
      if (!(codemod in plugin.rules)) continue;
      const files = targets.get(codemod) ?? [];
      if (files.length === 0) {
        outcomes.push({ codemod, files: 0, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] });
        continue;
      }
      outcomes.push(await runCodemod(codemod, files, target, options.onProgress));
    }
    const diff = options.dryRun ? unifiedDiff(dir, target) : undefined;
    const after = await check(target);
    return { outcomes, diff, after: { ...after, dir } };
  } finally {
    if (options.dryRun) rmSync(join(target, '..'), { recursive: true, force: true });
  }
}

export function formatFix(result: FixResult, dryRun: boolean): string {
  const lines: string[] = [];
  const width = Math.max(...result.outcomes.map((outcome) => outcome.codemod.length));
  for (const outcome of result.outcomes) {
    lines.push(
      `  ${outcome.codemod.padEnd(width)}  ${outcome.changed} changed, ${outcome.unchanged} unchanged, ${outcome.skipped} skipped, ${outcome.failed} failed`,
    );
  }
  const reports = result.outcomes.flatMap((outcome) => outcome.reports.map((report) => `  [${outcome.codemod}] ${report}`));
  if (reports.length > 0) lines.push('', 'from the codemods: sites left as they were, and steps for you to take:', ...reports);
  const unparsable = [...new Set(result.outcomes.flatMap((outcome) => outcome.unparsable))];
  if (unparsable.length > 0) lines.push('', 'files that do not parse (left untouched):', ...unparsable.map((item) => `  ${item}`));
  const errors = result.outcomes.flatMap((outcome) => outcome.errors.map((error) => `  [${outcome.codemod}] ${error}`));
  if (errors.length > 0) lines.push('', 'failures (those files were not written):', ...errors);
  if (dryRun) lines.push('', result.diff ? result.diff.trimEnd() : '(the codemods would change nothing)');
  return lines.join('\n');
}
