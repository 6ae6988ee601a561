/**
 * `npm run sweep [dir] [--limit N] [--seed S] [--max-kb K] [--no-package-json] [--no-declarations] [--json FILE] [--write-docs]`
 *
 * Every rule (ESLint's Linter with the recommended config) and every codemod (`codemods/*.ts`, called
 * in-process with an api built from jscodeshift) over every JS/TS file under node_modules, minified
 * or not, declaration files included (ESLint lints them; codemods skip them), up to 1 MB each, and
 * every package.json (the deploy-file rules and codemods read them). It checks, file by file:
 * - no rule and no codemod throws (a parse error in the input is counted, not a crash);
 * - what a codemod writes parses (with the parser the codemod used, and with typescript-estree when
 *   the input parsed with it; package.json must stay valid JSON);
 * - a second run of the codemod on its own output changes nothing;
 * - a codemod rewrites only files its rule flags: a file the rule of the same name does not report
 *   comes back byte-identical;
 * - a codemod keeps every comment of the file (it may add some, never drop one).
 * Prints counts, and for every failure the file, the check and the stack. Exits 1 on any failure.
 * `--write-docs` puts a summary into docs/benchmark.md (its own section, between markers).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Linter } from 'eslint';
import { parse } from '@typescript-eslint/typescript-estree';
import { parsersFor } from '../codemods/lib/transform';
import { collectCorpus, describeCorpus, parseCorpusArgs, projectRoot, SWEEP_BEGIN, SWEEP_END, type Corpus, type CorpusOptions } from './lib/corpus';
import { applyCodemod, loadCodemods, loadPlugin, prepareConfig, recommendedConfig, type Codemod } from './lib/targets';
import jscodeshift from 'jscodeshift';

/** A sweep covers every file up to 1 MB, minified or not (huge generated bundles only make it slow). */
export const SWEEP_MAX_BYTES = 1024 * 1024;

export type FailureKind = 'rule-crash' | 'codemod-crash' | 'output-does-not-parse' | 'not-idempotent' | 'rewrote-unflagged-file' | 'lost-comment';

export interface Failure {
  kind: FailureKind;
  /** `deploy-safe/<rule>` for lint, the codemod's name for codemods. */
  target: string;
  file: string;
  detail: string;
}

export interface CodemodCounts {
  /** Returned nothing: skipped before parsing, or nothing to change. */
  untouched: number;
  rewritten: number;
  /** Files on which the codemod reported something it left alone (including "does not parse"). */
  withReports: number;
  failures: number;
  ms: number;
}

export interface SweepResult {
  files: number;
  unreadable: string[];
  notes: string[];
  lint: { files: number; doNotParse: number; messagesByRule: Record<string, number>; crashes: number; ms: number };
  codemods: Record<string, CodemodCounts>;
  failures: Failure[];
  slowest: { target: string; file: string; ms: number }[];
  ms: number;
}

export interface SweepOptions extends CorpusOptions {
  includePackageJson?: boolean;
  /** An already collected corpus (the options' corpus filters are then ignored). */
  corpus?: Corpus;
  /** Codemods to run instead of those in codemods/ (the sweep's own tests plant broken ones). */
  codemods?: Codemod[];
  /** Config entries appended to the recommended config (the same, for a broken rule). */
  extraConfig?: Linter.Config[];
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function parsesWithTypescriptEstree(source: string, path: string): boolean {
  try {
    parse(source, { jsx: !/\.(?:ts|mts|cts)$/.test(path), filePath: path, range: false, loc: false, comment: false, tokens: false });
    return true;
  } catch {
    return false;
  }
}

/** The first parse error of `output`, with the parser(s) the codemod would use on this file; undefined when it parses. */
function outputParseError(output: string, path: string, inputParsedWithEstree: boolean): string | undefined {
  if (extname(path) === '.json') {
    try {
      JSON.parse(output);
      return undefined;
    } catch (error) {
      return `not valid JSON: ${(error as Error).message}`;
    }
  }
  if (inputParsedWithEstree && !parsesWithTypescriptEstree(output, path)) {
    try {
      parse(output, { jsx: !/\.(?:ts|mts|cts)$/.test(path), filePath: path });
    } catch (error) {
      return `typescript-estree: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  let lastError = '';
  for (const parser of parsersFor(path)) {
    try {
      jscodeshift.withParser(parser)(output);
      return undefined;
    } catch (error) {
      lastError = `${parser}: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  return lastError;
}

/** Comments of `source` (trimmed text), or undefined when typescript-estree cannot parse it. */
function commentsOf(source: string, path: string): string[] | undefined {
  try {
    const ast = parse(source, { jsx: !/\.(?:ts|mts|cts)$/.test(path), filePath: path, comment: true, range: false, loc: false, tokens: false });
    return (ast.comments ?? []).map((comment) => comment.value.trim());
  } catch {
    return undefined;
  }
}

/** Comments of `before` that `after` no longer has (as a multiset). */
function lostComments(before: string, after: string, path: string): string[] {
  const old = commentsOf(before, path);
  const kept = commentsOf(after, path);
  if (!old || !kept) return [];
  const remaining = new Map<string, number>();
  for (const comment of kept) remaining.set(comment, (remaining.get(comment) ?? 0) + 1);
  const lost: string[] = [];
  for (const comment of old) {
    const count = remaining.get(comment) ?? 0;
    if (count === 0) lost.push(comment);
    else remaining.set(comment, count - 1);
  }
  return lost;
}

/** The first differing line of two texts, for a failure message. */
function firstDifference(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (a[index] !== b[index]) return `line ${index + 1}:\n  - ${(a[index] ?? '').slice(0, 200)}\n  + ${(b[index] ?? '').slice(0, 200)}`;
  }
  return '(same lines, different bytes)';
}

export function sweepCorpus(options: SweepOptions = {}): Corpus {
  return collectCorpus({
    maxBytes: SWEEP_MAX_BYTES,
    skipMinified: false,
    ...options,
    includePackageJson: options.includePackageJson ?? true,
    includeDeclarations: options.includeDeclarations ?? true,
  });
}

export async function runSweep(options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const corpus = options.corpus ?? sweepCorpus(options);
  const plugin = loadPlugin();
  const codemods = options.codemods ?? loadCodemods();
  const linter = new Linter({ configType: 'flat', cwd: corpus.root });
  const config = prepareConfig([...recommendedConfig(plugin), ...(options.extraConfig ?? [])], corpus.root) as Linter.Config[] & {
    getConfig?: (path: string) => { rules?: Record<string, unknown> } | undefined;
  };
  const ruleIdOf = (codemod: string): string | undefined => (codemod in plugin.rules ? `deploy-safe/${codemod}` : undefined);
  const ruleIdOfError = (error: unknown): string => {
    const fromError = (error as { ruleId?: unknown }).ruleId;
    if (typeof fromError === 'string') return fromError;
    return /Rule: "([^"]+)"/.exec(String((error as Error)?.message))?.[1] ?? '(unknown rule)';
  };

  const result: SweepResult = {
    files: corpus.files.length,
    unreadable: [...corpus.excluded.unreadable],
    notes: corpus.notes,
    lint: { files: 0, doNotParse: 0, messagesByRule: {}, crashes: 0, ms: 0 },
    codemods: Object.fromEntries(codemods.map((codemod) => [codemod.name, { untouched: 0, rewritten: 0, withReports: 0, failures: 0, ms: 0 }])),
    failures: [],
    slowest: [],
    ms: 0,
  };
  const noteTime = (target: string, file: string, ms: number): void => {
    if (ms < 200) return;
    result.slowest.push({ target, file, ms });
    result.slowest.sort((a, b) => b.ms - a.ms);
    result.slowest.length = Math.min(result.slowest.length, 10);
  };
  const fail = (failure: Failure): void => {
    result.failures.push(failure);
    if (failure.kind !== 'rule-crash') result.codemods[failure.target].failures++;
  };

  for (let index = 0; index < corpus.files.length; index++) {
    const path = corpus.files[index];
    if (index % 250 === 0) options.onProgress?.(index, corpus.files.length, performance.now() - started);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      result.unreadable.push(`${path}: ${(error as Error).message}`);
      continue;
    }

    // Rules, through the recommended config.
    const fileConfig = config.getConfig?.(path);
    const flaggedBy = new Set<string>();
    if (fileConfig !== undefined || !config.getConfig) {
      const start = performance.now();
      try {
        // Inline `eslint-disable` and `/* eslint rule: ... */` comments in other people's code would hide
        // our rules from the sweep or name rules that are not loaded: ignored here.
        const messages = linter.verify(source, config, { filename: path, allowInlineConfig: false });
        result.lint.files++;
        if (messages.some((message) => message.fatal)) result.lint.doNotParse++;
        for (const message of messages) {
          if (!message.ruleId) continue;
          flaggedBy.add(message.ruleId);
          result.lint.messagesByRule[message.ruleId] = (result.lint.messagesByRule[message.ruleId] ?? 0) + 1;
        }
      } catch (error) {
        result.lint.crashes++;
        fail({ kind: 'rule-crash', target: ruleIdOfError(error), file: path, detail: errorText(error) });
      }
      const ms = performance.now() - start;
      result.lint.ms += ms;
      noteTime('eslint (recommended)', path, ms);
    }

    // Codemods.
    let inputParsesWithEstree: boolean | undefined;
    for (const codemod of codemods) {
      const counts = result.codemods[codemod.name];
      const start = performance.now();
      let first;
      try {
        first = await applyCodemod(codemod.transform, path, source);
      } catch (error) {
        fail({ kind: 'codemod-crash', target: codemod.name, file: path, detail: errorText(error) });
        continue;
      } finally {
        const ms = performance.now() - start;
        counts.ms += ms;
        noteTime(codemod.name, path, ms);
      }
      if (first.reports.length > 0) counts.withReports++;
      if (first.output === undefined) {
        counts.untouched++;
        continue;
      }
      counts.rewritten++;
      const ruleId = ruleIdOf(codemod.name);
      const setting = ruleId === undefined ? undefined : fileConfig?.rules?.[ruleId];
      const severity = Array.isArray(setting) ? setting[0] : setting;
      const ruleRan = setting !== undefined && severity !== 0 && severity !== 'off';
      if (ruleRan && ruleId !== undefined && !flaggedBy.has(ruleId)) {
        fail({ kind: 'rewrote-unflagged-file', target: codemod.name, file: path, detail: `${ruleId} reports nothing here, yet the codemod changed ${firstDifference(source, first.output)}` });
      }
      inputParsesWithEstree ??= extname(path) !== '.json' && parsesWithTypescriptEstree(source, path);
      const parseError = outputParseError(first.output, path, inputParsesWithEstree);
      if (parseError !== undefined) {
        fail({ kind: 'output-does-not-parse', target: codemod.name, file: path, detail: `${parseError}\nchange: ${firstDifference(source, first.output)}` });
        continue;
      }
      if (inputParsesWithEstree) {
        const lost = lostComments(source, first.output, path);
        if (lost.length > 0) {
          fail({ kind: 'lost-comment', target: codemod.name, file: path, detail: `dropped ${lost.length} comment(s): ${lost.slice(0, 3).map((comment) => JSON.stringify(comment.slice(0, 120))).join(', ')}` });
        }
      }
      try {
        const second = await applyCodemod(codemod.transform, path, first.output);
        if (second.output !== undefined) {
          fail({ kind: 'not-idempotent', target: codemod.name, file: path, detail: `a second run changed ${firstDifference(first.output, second.output)}` });
        }
      } catch (error) {
        fail({ kind: 'codemod-crash', target: codemod.name, file: path, detail: `on its own output: ${errorText(error)}` });
      }
    }
  }
  options.onProgress?.(corpus.files.length, corpus.files.length, performance.now() - started);
  result.ms = performance.now() - started;
  return result;
}

export function formatSweep(result: SweepResult, root?: string): string {
  const show = (file: string): string => (root ? relative(root, file) : file);
  const lines: string[] = [];
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  lines.push(`swept ${result.files} files in ${seconds(result.ms)}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  if (result.unreadable.length > 0) lines.push(`  unreadable (left out): ${result.unreadable.length}`, ...result.unreadable.slice(0, 20).map((line) => `    ${line}`));
  lines.push('');
  lines.push(`ESLint, recommended config: ${result.lint.files} files linted in ${seconds(result.lint.ms)}, ${result.lint.doNotParse} do not parse (reported as a parse error, not a crash), ${result.lint.crashes} crashes`);
  for (const [rule, count] of Object.entries(result.lint.messagesByRule).sort()) lines.push(`  ${rule}: ${count} messages`);
  lines.push('');
  lines.push('codemods:');
  for (const [name, counts] of Object.entries(result.codemods)) {
    lines.push(`  ${name.padEnd(32)} ${counts.rewritten} rewritten, ${counts.untouched} untouched, ${counts.withReports} with reports, ${counts.failures} failures, ${seconds(counts.ms)}`);
  }
  if (result.slowest.length > 0) {
    lines.push('', 'slowest files:');
    for (const slow of result.slowest) lines.push(`  ${slow.ms.toFixed(0).padStart(6)} ms  ${slow.target}  ${show(slow.file)}`);
  }
  const byKind = new Map<string, number>();
  for (const failure of result.failures) byKind.set(failure.kind, (byKind.get(failure.kind) ?? 0) + 1);
  lines.push('', `failures: ${result.failures.length}${byKind.size ? ` (${[...byKind].map(([kind, count]) => `${kind}: ${count}`).join(', ')})` : ''}`);
  for (const failure of result.failures) {
    lines.push('', `FAIL ${failure.kind} [${failure.target}] ${failure.file}`, ...failure.detail.split('\n').map((line) => `  ${line}`));
  }
  return lines.join('\n');
}

/** The sweep's section of docs/benchmark.md. */
export function renderSweepSection(result: SweepResult, command: string, root: string): string {
  const lines = [SWEEP_BEGIN, '## Sweep', ''];
  lines.push(`\`${command}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}): every rule (ESLint's \`Linter\`, recommended config) and every codemod over ${result.files} files under \`${relative(projectRoot(), root) || '.'}\` (every JS/TS file, declaration files included, and every package.json${result.notes.length ? `; ${result.notes.join('; ')}` : ''}), in ${(result.ms / 60_000).toFixed(1)} minutes on one core.`);
  lines.push('');
  lines.push(`ESLint: ${result.lint.files} files linted, ${result.lint.doNotParse} do not parse (a parsing error, not a crash), **${result.lint.crashes} crashes**.`);
  lines.push('');
  lines.push('| codemod | rewritten | untouched | with reports | failures |');
  lines.push('|---|---:|---:|---:|---:|');
  for (const [name, counts] of Object.entries(result.codemods)) lines.push(`| \`${name}\` | ${counts.rewritten} | ${counts.untouched} | ${counts.withReports} | ${counts.failures} |`);
  lines.push('');
  lines.push('Checks: no rule or codemod throws; every rewritten file parses; a second run changes nothing; a codemod changes only files its rule flags; no comment is dropped.');
  lines.push(`Failures: ${result.failures.length}.`);
  for (const failure of result.failures.slice(0, 20)) lines.push(`- \`${failure.kind}\` [${failure.target}] \`${relative(root, failure.file)}\`: ${failure.detail.split('\n')[0]}`);
  lines.push('', SWEEP_END, '');
  return lines.join('\n');
}

function writeSweepSection(section: string): void {
  const docsPath = join(projectRoot(), 'docs', 'benchmark.md');
  const previous = existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '# Benchmark\n';
  const pattern = new RegExp(`${SWEEP_BEGIN}[\\s\\S]*?${SWEEP_END}\n?`);
  writeFileSync(docsPath, pattern.test(previous) ? previous.replace(pattern, section) : `${previous.trimEnd()}\n\n${section}`);
}

async function main(): Promise<void> {
  const args = parseCorpusArgs(process.argv.slice(2));
  const options: SweepOptions = {
    ...(args.dir !== undefined ? { dir: args.dir } : {}),
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.maxBytes !== undefined ? { maxBytes: args.maxBytes } : {}),
    includePackageJson: args.rest['no-package-json'] !== true,
    includeDeclarations: args.rest['no-declarations'] !== true,
    onProgress: (done, total, elapsed) => {
      const eta = done > 0 ? ((elapsed / done) * (total - done)) / 1000 : 0;
      process.stderr.write(`  ${done}/${total} files, ${(elapsed / 1000).toFixed(0)} s${done > 0 && done < total ? `, ~${eta.toFixed(0)} s left` : ''}\n`);
    },
  };
  const corpus = sweepCorpus(options);
  console.log(describeCorpus(corpus));
  const codemods = loadCodemods().map((codemod) => codemod.name);
  const plugin = loadPlugin();
  console.log(`rules: ${Object.keys(plugin.rules).join(', ')}\ncodemods: ${codemods.join(', ')}\n`);
  const result = await runSweep({ ...options, corpus });
  console.log(formatSweep(result));
  if (typeof args.rest.json === 'string') writeFileSync(args.rest.json, `${JSON.stringify(result, null, 2)}\n`);
  if (args.rest['write-docs'] === true) {
    const flags = [
      ...(args.dir !== undefined ? [args.dir] : []),
      ...(args.limit !== undefined ? [`--limit ${args.limit}`] : []),
      ...(args.seed !== undefined ? [`--seed ${args.seed}`] : []),
      ...(args.maxBytes !== undefined ? [`--max-kb ${args.maxBytes / 1024}`] : []),
      ...(args.rest['no-package-json'] === true ? ['--no-package-json'] : []),
      ...(args.rest['no-declarations'] === true ? ['--no-declarations'] : []),
    ];
    writeSweepSection(renderSweepSection(result, `npm run sweep${flags.length ? ` -- ${flags.join(' ')}` : ''}`, corpus.root));
    console.log('wrote the sweep section of docs/benchmark.md');
  }
  process.exitCode = result.failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(errorText(error));
    process.exit(2);
  });
}
