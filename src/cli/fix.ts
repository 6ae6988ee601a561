import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { check, createProjectLinter, type CheckResult } from './check';
import { RESULT_MARKER } from './codemod-worker';
import { IGNORED_DIRECTORIES, listFiles } from './project-files';
import { invalidNewCommands } from '../deploy-files/shell-syntax';
import { changedFiles, listDirectories, restoreFile, snapshotFiles } from './rewrite-checks';
import { newTypeErrors, planTypeCheck, typeErrors } from './type-check';
import plugin from '../index';

/**
 * The order the codemods run in: the Prisma singleton exists before anything imports it (and before its
 * pool is bounded), the logger and the host are settled before the shutdown routine is written around
 * the server, and deploy files last.
 */
export const CODEMOD_ORDER = [
  'no-multiple-prisma-clients',
  // After the singleton exists: the shared client's adapter is the pool to bound.
  'pg-pool-requires-timeout',
  'no-findunique-then-create',
  'no-file-logger-in-prod',
  'listen-requires-host',
  'shutdown-must-close-server',
  'no-db-push-script',
  'sigterm-must-reach-node',
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

/** A rewrite `fix` did not keep: the file is byte-for-byte what it was. */
export interface RevertedFile {
  file: string;
  reason: string;
}

export interface FixResult {
  outcomes: CodemodOutcome[];
  /** Unified diff of everything the codemods changed (dry run only). */
  diff?: string;
  /** Rewrites that failed a check and were put back. */
  reverted: RevertedFile[];
  /** What the type check did: how long it took, or why it did not run. */
  typeCheck: string;
  after: CheckResult;
}

export interface FixOptions {
  dryRun: boolean;
  /** Type-check before and after with the project's own TypeScript (default true). */
  typeCheck?: boolean;
  /** Another transform file for a codemod (tests inject faulty ones to prove the checks refuse them). */
  transforms?: Partial<Record<string, string>>;
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

function runCodemod(codemod: string, transform: string, files: string[], root: string, onProgress?: FixOptions['onProgress']): Promise<CodemodOutcome> {
  const outcome: CodemodOutcome = { codemod, files: files.length, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] };
  const jobDir = mkdtempSync(join(tmpdir(), 'deploy-safe-job-'));
  const jobFile = join(jobDir, 'job.json');
  writeFileSync(jobFile, JSON.stringify({ transform, files, options: {} }));
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

/** A copy of the project without dependencies and build output; its node_modules links to the original's (for the type check). */
function copyProject(dir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'deploy-safe-dry-run-')), basename(dir));
  const ignored = new Set(IGNORED_DIRECTORIES);
  cpSync(dir, copy, { recursive: true, filter: (source) => !ignored.has(basename(source)) || source === dir });
  if (existsSync(join(dir, 'node_modules'))) symlinkSync(join(dir, 'node_modules'), join(copy, 'node_modules'), 'dir');
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

async function runCodemods(target: string, options: Pick<FixOptions, 'onProgress' | 'transforms'>): Promise<{ outcomes: CodemodOutcome[]; changedBy: Map<string, string[]> }> {
  const targets = await filesByCodemod(target);
  const outcomes: CodemodOutcome[] = [];
  const changedBy = new Map<string, string[]>();
  let state = snapshotFiles(target);
  for (const codemod of CODEMOD_ORDER) {
    if (!(codemod in plugin.rules)) continue;
    const files = targets.get(codemod) ?? [];
    if (files.length === 0) {
      outcomes.push({ codemod, files: 0, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] });
      continue;
    }
    outcomes.push(await runCodemod(codemod, options.transforms?.[codemod] ?? codemodPath(codemod), files, target, options.onProgress));
    const next = snapshotFiles(target);
    changedBy.set(codemod, changedFiles(state, next));
    state = next;
  }
  return { outcomes, changedBy };
}

/** `rule/messageId` of each finding in a file, counted: a rewrite may move findings, never add one. */
function findingCounts(result: CheckResult, file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of result.findings) {
    if (finding.file !== file) continue;
    const key = `${finding.rule}/${finding.messageId ?? finding.message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Type-checks each tsconfig project holding a kept rewrite, before (the original texts, from memory)
 * and after; puts back the files that add an error. Reverting can surface errors elsewhere (an
 * importer of a module not kept), so the check runs again, up to three rounds. Returns what it did.
 */
function checkTypes(target: string, original: ReadonlyMap<string, Buffer>, reverted: ReadonlyMap<string, string>, revert: (file: string, reason: string) => void): string {
  const started = Date.now();
  const kept = changedFiles(original, snapshotFiles(target)).filter((file) => !reverted.has(file));
  const plan = planTypeCheck(target, kept);
  const originals = new Map(kept.map((file) => [file, original.get(file)?.toString('utf8')]));
  const checked: string[] = [];
  for (const project of plan.projects) {
    try {
      const before = typeErrors(target, project, originals);
      for (let round = 0; round < 3; round++) {
        const current = changedFiles(original, snapshotFiles(target));
        const added = newTypeErrors(before, typeErrors(target, project), new Set(current.filter((file) => !original.has(file))));
        if (added.size === 0) break;
        const culprits = current.filter((file) => added.has(file));
        for (const file of culprits.length > 0 ? culprits : current.filter((item) => project.files.includes(item))) {
          revert(file, `the rewrite adds a type error (${added.get(file)?.[0] ?? [...added.entries()][0].join(': ')})`);
        }
      }
      checked.push(project.config);
    } catch (error) {
      plan.notChecked.push(`${project.files.join(', ')} (${project.config}: the type check could not run: ${(error as Error).message.split('\n')[0]})`);
    }
  }
  const lines: string[] = [];
  if (checked.length > 0) {
    lines.push(`type-checked ${checked.join(', ')} with the project's own TypeScript, before and after, in ${((Date.now() - started) / 1000).toFixed(1)} s (--no-typecheck skips it)`);
  }
  if (plan.notChecked.length > 0) lines.push(`not type-checked: ${plan.notChecked.join('; ')}`);
  return lines.join('\n');
}

/**
 * Runs the codemods, then keeps only the rewrites that pass every check: the file still parses, no
 * deploy-safe rule reports anything new in it, every shell command it wrote parses, the project has
 * no new type error (where it type-checks), and a second run would change nothing. A file that fails
 * is put back byte for byte, and so is everything the same codemod changed when the failing file is
 * one it created (the others import it).
 */
export async function fix(dir: string, options: FixOptions): Promise<FixResult> {
  const target = options.dryRun ? copyProject(dir) : dir;
  try {
    const original = snapshotFiles(target);
    const originalDirectories = listDirectories(target);
    const before = await check(target);
    const { outcomes, changedBy } = await runCodemods(target, options);
    const reverted = new Map<string, string>();
    const revert = (file: string, reason: string): void => {
      if (reverted.has(file)) return;
      reverted.set(file, reason);
      restoreFile(target, file, original.get(file), originalDirectories);
      if (original.has(file)) return;
      for (const [codemod, files] of changedBy) {
        if (!files.includes(file)) continue;
        for (const other of files) revert(other, `it depends on ${file}, which ${codemod} created and was not kept`);
      }
    };

    let after = await check(target);
    const changed = changedFiles(original, snapshotFiles(target));
    for (const file of changed) {
      const unparsable = after.unparsable.find((item) => item.file === file);
      if (unparsable && !before.unparsable.some((item) => item.file === file)) {
        revert(file, `the rewrite does not parse (${unparsable.message}, line ${unparsable.line})`);
        continue;
      }
      const was = findingCounts(before, file);
      const added = [...findingCounts(after, file)].find(([key, count]) => count > (was.get(key) ?? 0));
      if (added) {
        const finding = after.findings.find((item) => item.file === file && `${item.rule}/${item.messageId ?? item.message}` === added[0])!;
        revert(file, `the rewrite adds a ${finding.rule} finding (line ${finding.line}: ${finding.message})`);
        continue;
      }
      const text = existsSync(join(target, file)) ? readFileSync(join(target, file), 'utf8') : undefined;
      const invalid = text === undefined ? [] : invalidNewCommands(file, original.get(file)?.toString('utf8'), text);
      if (invalid.length > 0) revert(file, `the rewritten command is not valid shell: \`${invalid[0].command}\` (${invalid[0].error})`);
    }

    const typeCheckSummary = options.typeCheck === false ? 'not type-checked (--no-typecheck)' : checkTypes(target, original, reverted, revert);

    // A second run must change nothing: run the codemods again on a copy of what is kept.
    const kept = changedFiles(original, snapshotFiles(target));
    if (kept.length > 0) {
      const copy = copyProject(target);
      try {
        const first = snapshotFiles(copy);
        await runCodemods(copy, { transforms: options.transforms });
        for (const file of changedFiles(first, snapshotFiles(copy))) {
          if (kept.includes(file)) revert(file, 'a second run would change it again (the rewrite is not stable)');
        }
      } finally {
        rmSync(join(copy, '..'), { recursive: true, force: true });
      }
    }

    if (reverted.size > 0) after = await check(target);
    const diff = options.dryRun ? unifiedDiff(dir, target) : undefined;
    return {
      outcomes,
      diff,
      reverted: [...reverted].map(([file, reason]) => ({ file, reason })).sort((a, b) => a.file.localeCompare(b.file)),
      typeCheck: typeCheckSummary,
      after: { ...after, dir },
    };
  } finally {
    if (options.dryRun) rmSync(join(target, '..'), { recursive: true, force: true });
  }
}

/** Findings still there after the fix in files their codemod said nothing about, and did not have put back. */
export function unexplainedFindings(result: FixResult): CheckResult['findings'] {
  const reverted = new Set(result.reverted.map((item) => item.file));
  return result.after.findings.filter((finding) => {
    if (reverted.has(finding.file)) return false;
    const outcome = result.outcomes.find((item) => item.codemod === finding.rule);
    return !outcome?.reports.some((report) => report.startsWith(`${finding.file}: `)) && !outcome?.unparsable.some((item) => item.startsWith(`${finding.file}: `));
  });
}

export function formatFix(result: FixResult, dryRun: boolean): string {
  const lines: string[] = [];
  const width = Math.max(...result.outcomes.map((outcome) => outcome.codemod.length));
  for (const outcome of result.outcomes) {
    lines.push(
      `  ${outcome.codemod.padEnd(width)}  ${outcome.changed} changed, ${outcome.unchanged} unchanged, ${outcome.skipped} skipped, ${outcome.failed} failed`,
    );
  }
  const notKept = result.reverted.map((item) => item.file);
  const mark = (report: string): string => (notKept.some((file) => report.startsWith(`${file}: `) || report.includes(` ${file}`)) ? `${report} (not kept: see below)` : report);
  const reports = result.outcomes.flatMap((outcome) => outcome.reports.map((report) => `  [${outcome.codemod}] ${mark(report)}`));
  if (reports.length > 0) lines.push('', 'from the codemods: sites left as they were, and steps for you to take:', ...reports);
  const unparsable = [...new Set(result.outcomes.flatMap((outcome) => outcome.unparsable))];
  if (unparsable.length > 0) lines.push('', 'files that do not parse (left untouched):', ...unparsable.map((item) => `  ${item}`));
  const errors = result.outcomes.flatMap((outcome) => outcome.errors.map((error) => `  [${outcome.codemod}] ${error}`));
  if (errors.length > 0) lines.push('', 'failures (those files were not written):', ...errors);
  if (result.reverted.length > 0) {
    lines.push('', 'rewrites not kept (each of these files is exactly as it was):', ...result.reverted.map((item) => `  ${item.file}: ${item.reason}`));
  }
  if (result.typeCheck) lines.push('', result.typeCheck);
  const unexplained = unexplainedFindings(result);
  if (unexplained.length > 0) {
    lines.push(
      '',
      'findings left without a note from their codemod (a bug in deploy-safe: every finding fix leaves should say why):',
      ...unexplained.map((finding) => `  ${finding.file}:${finding.line}  [${finding.rule}] ${finding.message}`),
    );
  }
  if (dryRun) lines.push('', result.diff ? result.diff.trimEnd() : '(the codemods would change nothing)');
  return lines.join('\n');
}
