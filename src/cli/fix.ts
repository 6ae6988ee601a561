import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { createProjectLinter, lintProject, projectConfig, relintFiles, type CheckResult, type ProjectLint } from './check';
import { filesToRelint } from './lint-dependencies';
import { PassFindings, runCodemod, type CodemodOutcome } from './codemod-runner';
import { withSharedFindings } from '../../codemods/lib/apply-rule-fixes';
import { NOT_SOURCE_DIRECTORIES } from '../core/source-tree';
import { listFiles, textNow } from './project-files';
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

export type { CodemodOutcome } from './codemod-runner';

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

interface CodemodTargets {
  /** The files each codemod applies to (absolute paths): those the recommended config lints with its rule enabled. */
  files: Map<string, string[]>;
  /** The deploy-safe rules enabled on each file, by relative path. */
  rules: Map<string, Set<string>>;
}

async function codemodTargets(dir: string): Promise<CodemodTargets> {
  const eslint = createProjectLinter(dir);
  const files = new Map<string, string[]>();
  const rules = new Map<string, Set<string>>();
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    if (await eslint.isPathIgnored(path)) continue;
    const config = (await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown[]> } | undefined;
    for (const [id, entry] of Object.entries(config?.rules ?? {})) {
      const codemod = id.replace(/^deploy-safe\//, '');
      if (id === codemod || (Array.isArray(entry) && (entry[0] === 0 || entry[0] === 'off'))) continue;
      files.set(codemod, [...(files.get(codemod) ?? []), path]);
      rules.set(file, (rules.get(file) ?? new Set()).add(codemod));
    }
  }
  return { files, rules };
}

/** A copy of the project without dependencies and build output; its node_modules links to the original's (for the type check). */
function copyProject(dir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'deploy-safe-dry-run-')), basename(dir));
  const ignored = new Set(NOT_SOURCE_DIRECTORIES);
  cpSync(dir, copy, { recursive: true, filter: (source) => !ignored.has(basename(source)) || source === dir });
  if (existsSync(join(dir, 'node_modules'))) symlinkSync(join(dir, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** Unified diff of `files` (relative paths) from their `original` texts to what `dir` holds now. */
function unifiedDiff(original: ReadonlyMap<string, Buffer>, dir: string, files: readonly string[]): string {
  const patches: string[] = [];
  for (const file of files) {
    const newPath = join(dir, file);
    const oldText = original.get(file)?.toString('utf8') ?? '';
    const newText = existsSync(newPath) ? readFileSync(newPath, 'utf8') : '';
    if (oldText === newText) continue;
    patches.push(
      createTwoFilesPatch(original.has(file) ? `a/${file}` : '/dev/null', existsSync(newPath) ? `b/${file}` : '/dev/null', oldText, newText, '', '', { context: 3 })
        .split('\n')
        .filter((line) => !line.startsWith('====='))
        .join('\n'),
    );
  }
  return patches.join('');
}

/** A lint of `dir` with the text of each linted file as it was linted (read at once, before any codemod runs). */
interface PassLint {
  lint: ProjectLint;
  sources: Map<string, string>;
}

async function lintPass(dir: string): Promise<PassLint> {
  const lint = await lintProject(dir);
  return { lint, sources: readSources(dir, lint.messages.keys()) };
}

function readSources(dir: string, files: Iterable<string>, into = new Map<string, string>()): Map<string, string> {
  for (const file of files) {
    try {
      into.set(file, readFileSync(join(dir, file), 'utf8'));
    } catch {
      // gone or unreadable: the codemods lint it themselves, if they see it at all
    }
  }
  return into;
}

/**
 * `previous` brought up to date after `changed` files were written: only the files whose findings can
 * differ are linted again, and of those only the ones the codemods' pass has no current lint of.
 */
async function relintPass(dir: string, previous: PassLint, changed: readonly string[], pass?: PassFindings): Promise<PassLint> {
  const now = (file: string): string | undefined => textNow(dir, file);
  const files = filesToRelint(changed, previous.lint.messages.keys(), (file, when) => (when === 'before' ? previous.sources.get(file) : now(file)));
  if (files === 'all') return lintPass(dir);
  const lint = await relintFiles(dir, previous.lint, files, (file) => {
    const text = now(file);
    return pass && text !== undefined ? pass.current(file, text) : undefined;
  });
  const sources = new Map(previous.sources);
  for (const file of files) sources.delete(file);
  return { lint, sources: readSources(dir, files.filter((file) => lint.messages.has(file)), sources) };
}

/**
 * One pass of every codemod, in order, in this process. `start` is the lint of `target` as it is now:
 * the codemods take their findings from it (one parse per file for all of them) while it still holds.
 */
async function runCodemods(
  target: string,
  start: PassLint,
  options: Pick<FixOptions, 'onProgress' | 'transforms'>,
  only?: ReadonlySet<string>,
): Promise<{ outcomes: CodemodOutcome[]; changedBy: Map<string, string[]>; linked: Array<[string, string]>; findings: PassFindings }> {
  const targets = await codemodTargets(target);
  const files = new Map([...start.sources].map(([file, source]) => [file, { source, messages: start.lint.messages.get(file) ?? [] }]));
  const skip = start.lint.unreadable.flatMap((entry) => [entry.file, `${entry.file}/**`]);
  const findings = new PassFindings(target, files, targets.rules, projectConfig(target, skip));
  const outcomes: CodemodOutcome[] = [];
  const changedBy = new Map<string, string[]>();
  const linked: Array<[string, string]> = [];
  // Which files a codemod wrote: those it returned new text for, and those it created or deleted
  // (a shared Prisma client module, railway.json). Listing the tree is enough to see the latter: the
  // files a codemod rewrites besides its own are ones it creates.
  let present = new Set(listFiles(target));
  for (const codemod of CODEMOD_ORDER) {
    if (!(codemod in plugin.rules)) continue;
    const codemodFiles = (targets.files.get(codemod) ?? []).filter((path) => !only || only.has(relative(target, path).split('\\').join('/')));
    if (codemodFiles.length === 0) {
      outcomes.push({ codemod, files: 0, changed: 0, unchanged: 0, skipped: 0, failed: 0, reports: [], unparsable: [], errors: [] });
      continue;
    }
    const transform = options.transforms?.[codemod] ?? codemodPath(codemod);
    const written: string[] = [];
    outcomes.push(await withSharedFindings(findings, () => runCodemod(codemod, transform, codemodFiles, target, options.onProgress, written, linked)));
    const next = new Set(listFiles(target));
    const changed = [...new Set([...written, ...[...next].filter((file) => !present.has(file)), ...[...present].filter((file) => !next.has(file))])].sort();
    changedBy.set(codemod, changed);
    findings.changed(changed);
    present = next;
  }
  return { outcomes, changedBy, linked, findings };
}

/**
 * Of `files` (or of every linted file, for `all`), those a second run of the codemods can change:
 * the ones with a finding or a parse error left. Each codemod rewrites only what its rule reports
 * (the sweep holds every codemod to it, test/robustness/sweep-sample.test.ts), and writes another
 * file only from a finding, so a file nothing reports stays as it is, and with no such file at all
 * the second run would change nothing. A transform passed in `transforms` is not held to this.
 */
function stillReported(lint: ProjectLint, files: readonly string[] | 'all'): string[] {
  return (files === 'all' ? [...lint.messages.keys()] : files).filter((file) =>
    lint.messages.get(file)?.some((message) => message.fatal === true || message.ruleId?.startsWith('deploy-safe/') === true),
  );
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
    const start = await lintPass(target);
    const before = start.lint.result;
    const { outcomes, changedBy, linked, findings } = await runCodemods(target, start, options);
    const reverted = new Map<string, string>();
    const isChanged = (file: string): boolean => {
      const path = join(target, file);
      const now = existsSync(path) ? readFileSync(path) : undefined;
      const was = original.get(file);
      return now === undefined || was === undefined ? now !== was : !now.equals(was);
    };
    const revert = (file: string, reason: string): void => {
      if (reverted.has(file)) return;
      reverted.set(file, reason);
      restoreFile(target, file, original.get(file), originalDirectories);
      // Half of a rewrite that spans two files loses behaviour: both go back together.
      for (const [from, to] of linked) {
        const partner = from === file ? to : to === file ? from : undefined;
        if (partner !== undefined && isChanged(partner)) revert(partner, `it was rewritten together with ${file}, which was not kept`);
      }
      if (original.has(file)) return;
      for (const [codemod, files] of changedBy) {
        if (!files.includes(file)) continue;
        for (const other of files) revert(other, `it depends on ${file}, which ${codemod} created and was not kept`);
      }
    };

    const changed = changedFiles(original, snapshotFiles(target));
    // A file written alongside one whose own rewrite was not written (the transform failed after it).
    for (const [from, to] of linked) {
      if (!changed.includes(from) && changed.includes(to)) revert(to, `it was rewritten together with ${from}, whose rewrite was not written`);
    }
    findings.changed([...reverted.keys()]);
    let afterLint = await relintPass(target, start, changed, findings);
    let after = afterLint.lint.result;
    // How many rewrites had been put back when `after` was linted: it describes the project until another is.
    let revertsLinted = 0;
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
      const text = textNow(target, file);
      const invalid = text === undefined ? [] : invalidNewCommands(file, original.get(file)?.toString('utf8'), text);
      if (invalid.length > 0) revert(file, `the rewritten command is not valid shell: \`${invalid[0].command}\` (${invalid[0].error})`);
    }

    const typeCheckSummary = options.typeCheck === false ? 'not type-checked (--no-typecheck)' : checkTypes(target, original, reverted, revert);

    // A second run must change nothing: run the codemods again on a copy of what is kept.
    const kept = changedFiles(original, snapshotFiles(target));
    if (kept.length > 0 && reverted.size > revertsLinted) {
      afterLint = await relintPass(target, afterLint, [...reverted.keys()].sort());
      after = afterLint.lint.result;
      revertsLinted = reverted.size;
    }
    // The second run takes its findings from `afterLint`. It runs on the kept files and on those whose
    // findings can depend on them: every other file is as the first run saw it, so the codemods would
    // do with it what they did then (codemods write other files only from deploy files, or to create a
    // module that does not exist).
    const dependants = kept.length === 0
      ? []
      : filesToRelint(kept, afterLint.lint.messages.keys(), (file, when) =>
          when === 'before' ? original.get(file)?.toString('utf8') : afterLint.sources.get(file) ?? textNow(target, file),
        );
    const rerun = options.transforms ? dependants : stillReported(afterLint.lint, dependants);
    if (rerun === 'all' || rerun.length > 0) {
      const copy = copyProject(target);
      try {
        const first = snapshotFiles(copy);
        // The copy holds what `after` linted.
        await runCodemods(copy, afterLint, { transforms: options.transforms }, rerun === 'all' ? undefined : new Set(rerun));
        for (const file of changedFiles(first, snapshotFiles(copy))) {
          if (kept.includes(file)) revert(file, 'a second run would change it again (the rewrite is not stable)');
        }
      } finally {
        rmSync(join(copy, '..'), { recursive: true, force: true });
      }
    }

    if (reverted.size > revertsLinted) after = (await relintPass(target, afterLint, [...reverted.keys()].sort())).lint.result;
    const diff = options.dryRun ? unifiedDiff(original, target, changedFiles(original, snapshotFiles(target))) : undefined;
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
