/**
 * `npm run bench [dir] [--all | --limit N] [--seed S] [--rounds R] [--max-kb K] [--include-minified] [--write-docs]`
 * (`--docs-from-latest` only re-renders docs/benchmark.md from bench-results/latest.json)
 *
 * How much the plugin costs on real code (default: the JS/TS sources under the project's own
 * node_modules). In one run it prints, and writes to bench-results/latest.json:
 * - ESLint with the parser only (the recommended config's parsers and files, no rules) versus the
 *   recommended config, as a ratio; and each rule's time from ESLint's own `stats` timing;
 * - each codemod and all codemods versus an identity transform that parses every file and returns
 *   nothing, as ratios;
 * - files per second and peak memory.
 * `--write-docs` also rewrites docs/benchmark.md with the figures. By default the corpus is a seeded
 * sample of 5,000 files (`--all` for every file: about 2 minutes per lint pass on 2 cores).
 *
 * Method. Every file is read into memory first, so disk I/O is not timed. Lint and codemods run
 * in-process (ESLint's `Linter`, and the transforms called directly with an api built from jscodeshift,
 * as the Runner would call them), file after file, with the compared variants interleaved per file
 * and their order alternated, so load from other processes falls on both sides alike; each figure is
 * the median of `--rounds` rounds after a warm-up pass. The per-rule `stats` pass is separate because
 * ESLint's timing wrappers slow the rules down; its numbers are an attribution, the wall-clock ratio is
 * the cost.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Linter } from 'eslint';
import { profileRules } from './lib/profile-rules';
import { collectCorpus, describeCorpus, parseCorpusArgs, projectRoot, SWEEP_BEGIN, SWEEP_END } from './lib/corpus';
import { applyCodemod, identityTransform, loadCodemods, loadPlugin, parserOnlyConfig, prepareConfig, recommendedConfig, recommendedRuleIds, type Transform } from './lib/targets';

const TARGET_ALL_RULES = 0.05;
const TARGET_ONE_RULE = 0.01;
const TARGET_CODEMODS = 1;
const MIN_DEFAULT_CORPUS = 5000;
const DEFAULT_SAMPLE = 5000;
const WARM_UP_FILES = 500;

interface Sample {
  path: string;
  source: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

let peakHeap = 0;
function notePeakHeap(): void {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
const ms = (value: number): string => `${(value / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const args = parseCorpusArgs(process.argv.slice(2));
  if (args.rest['docs-from-latest'] === true) {
    // Re-renders docs/benchmark.md from the last run's JSON, without measuring again.
    const latest = JSON.parse(readFileSync(join(projectRoot(), 'bench-results', 'latest.json'), 'utf8')) as Result;
    writeFileSync(join(projectRoot(), 'docs', 'benchmark.md'), withSweepSection(renderDocs(latest)));
    console.log('wrote docs/benchmark.md from bench-results/latest.json');
    return;
  }
  // All 12,000+ files take ~2 minutes per lint pass on a 2-core machine; a fixed 5,000-file sample
  // keeps a run under ten minutes. `--all` takes every file.
  if (args.dir === undefined && args.limit === undefined && args.rest.all !== true) args.limit = DEFAULT_SAMPLE;
  const rounds = Math.max(1, Number(args.rest.rounds ?? 3));
  const writeDocs = args.rest['write-docs'] === true;
  const started = new Date();

  const corpus = collectCorpus(args);
  console.log(describeCorpus(corpus));
  if (args.dir === undefined && corpus.files.length < MIN_DEFAULT_CORPUS && (args.limit ?? Infinity) >= MIN_DEFAULT_CORPUS) {
    console.log(`  note: only ${corpus.files.length} files (the target corpus is at least ${MIN_DEFAULT_CORPUS}); install more dependencies or pass a directory`);
  }
  const samples: Sample[] = [];
  const unreadable: string[] = [];
  for (const path of corpus.files) {
    try {
      samples.push({ path, source: readFileSync(path, 'utf8') });
    } catch (error) {
      unreadable.push(`${path}: ${(error as Error).message}`);
    }
  }
  for (const line of unreadable) console.log(`  unreadable, left out: ${line}`);

  const plugin = loadPlugin();
  const ruleIds = recommendedRuleIds(plugin);
  const codemods = loadCodemods();
  console.log(`rules in recommended: ${ruleIds.join(', ') || '(none)'}`);
  console.log(`codemods: ${codemods.map((codemod) => codemod.name).join(', ') || '(none)'}`);
  console.log(`${rounds} rounds after a warm-up; medians below\n`);

  // ---- ESLint: parser only vs recommended -------------------------------------------------------
  const linter = new Linter({ configType: 'flat', cwd: corpus.root });
  const parserOnly = prepareConfig(parserOnlyConfig(plugin), corpus.root);
  const recommended = prepareConfig(recommendedConfig(plugin), corpus.root);
  const lintCrashes: string[] = [];
  let parseErrors = 0;
  const lintOne = (config: Linter.Config[], sample: Sample): number => {
    const start = performance.now();
    try {
      const messages = linter.verify(sample.source, config, { filename: sample.path });
      if (config === parserOnly && messages.some((message) => message.fatal)) parseErrors++;
    } catch (error) {
      if (config === recommended) lintCrashes.push(`${sample.path}: ${(error as Error).stack}`);
    }
    return performance.now() - start;
  };
  const lintRound = (files: Sample[] = samples): { parserOnly: number; recommended: number } => {
    let parserTime = 0;
    let fullTime = 0;
    files.forEach((sample, index) => {
      if (index % 2 === 0) {
        parserTime += lintOne(parserOnly, sample);
        fullTime += lintOne(recommended, sample);
      } else {
        fullTime += lintOne(recommended, sample);
        parserTime += lintOne(parserOnly, sample);
      }
      if (index % 500 === 0) notePeakHeap();
    });
    return { parserOnly: parserTime, recommended: fullTime };
  };
  process.stdout.write('lint: warm-up');
  lintRound(samples.slice(0, WARM_UP_FILES));
  const lintRounds: { parserOnly: number; recommended: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    parseErrors = 0;
    lintCrashes.length = 0;
    process.stdout.write(`, round ${round + 1}`);
    lintRounds.push(lintRound());
  }
  const parserOnlyMs = median(lintRounds.map((round) => round.parserOnly));
  const recommendedMs = median(lintRounds.map((round) => round.recommended));
  // The ratio of each round's totals, then the median: robust to one round slowed by outside load.
  const lintRatio = median(lintRounds.map((round) => round.recommended / round.parserOnly));
  const rulesOverhead = lintRatio - 1;

  // ESLint's own per-rule timing (`stats`), in a separate pass: its wrappers add their own cost.
  process.stdout.write(', stats pass\n');
  // A rule that does nothing on every CallExpression: what ESLint's timing wrappers alone cost on the
  // busiest node type most rules listen to. Rules' stats times include this much measurement overhead.
  const calibrationId = 'bench/noop-call-expression';
  const withCalibration = prepareConfig(
    [
      ...recommendedConfig(plugin),
      {
        plugins: { bench: { rules: { 'noop-call-expression': { meta: { schema: [] }, create: () => ({ CallExpression() {} }) } } } },
        rules: { [calibrationId]: 'error' },
      },
    ],
    corpus.root,
  );
  const ruleTimes: Record<string, number> = Object.fromEntries([...ruleIds, calibrationId].map((id) => [id, 0]));
  let statsParse = 0;
  let statsTotal = 0;
  for (const sample of samples) {
    try {
      linter.verifyAndFix(sample.source, withCalibration, { filename: sample.path, fix: false, stats: true } as Linter.FixOptions);
    } catch {
      continue;
    }
    for (const pass of linter.getTimes().passes) {
      statsParse += pass.parse?.total ?? 0;
      statsTotal += pass.total ?? 0;
      for (const [id, time] of Object.entries(pass.rules ?? {})) ruleTimes[id] = (ruleTimes[id] ?? 0) + time.total;
    }
  }
  notePeakHeap();
  const calibrationMs = ruleTimes[calibrationId];
  delete ruleTimes[calibrationId];
  const rulesStatsTotal = Object.values(ruleTimes).reduce((sum, time) => sum + time, 0);

  // The same pass under a CPU profiler: each rule's share of lint time without GC pauses charged to it.
  process.stdout.write('lint: CPU-profiled pass\n');
  const cpu = await profileRules(() => {
    for (const sample of samples) {
      try {
        linter.verify(sample.source, recommended, { filename: sample.path });
      } catch {
        // counted as a crash above
      }
    }
  });
  notePeakHeap();

  // ---- Codemods vs identity ---------------------------------------------------------------------
  const codemodCrashes: string[] = [];
  const changedFiles: Record<string, number> = Object.fromEntries(codemods.map((codemod) => [codemod.name, 0]));
  const reportedFiles: Record<string, number> = Object.fromEntries(codemods.map((codemod) => [codemod.name, 0]));
  const variants: { name: string; transform: Transform }[] = [{ name: '(identity)', transform: identityTransform }, ...codemods];
  const codemodRound = async (count: boolean): Promise<number[]> => {
    const totals = variants.map(() => 0);
    for (let index = 0; index < samples.length; index++) {
      const sample = samples[index];
      for (let step = 0; step < variants.length; step++) {
        const which = (step + index) % variants.length;
        const variant = variants[which];
        const start = performance.now();
        try {
          const result = await applyCodemod(variant.transform, sample.path, sample.source);
          totals[which] += performance.now() - start;
          if (count && which > 0) {
            if (result.output !== undefined) changedFiles[variant.name]++;
            if (result.reports.length > 0) reportedFiles[variant.name]++;
          }
        } catch (error) {
          totals[which] += performance.now() - start;
          if (count && which > 0) codemodCrashes.push(`${variant.name} ${sample.path}: ${(error as Error).stack}`);
        }
      }
      if (index % 500 === 0) notePeakHeap();
    }
    return totals;
  };
  process.stdout.write('codemods: warm-up');
  await codemodRound(true);
  const codemodRounds: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    process.stdout.write(`, round ${round + 1}`);
    codemodRounds.push(await codemodRound(false));
  }
  process.stdout.write('\n\n');
  const variantMs = variants.map((_, which) => median(codemodRounds.map((totals) => totals[which])));
  const identityMs = variantMs[0];
  const allCodemodsMs = median(codemodRounds.map((totals) => totals.slice(1).reduce((sum, time) => sum + time, 0)));

  // ---- Report -----------------------------------------------------------------------------------
  const usage = process.resourceUsage();
  const files = samples.length;
  // A CPU-profile share of the recommended pass, expressed against parser-only time like the rest.
  const profiledShare = (id: string): number => ((cpu.byRule[id] ?? 0) / cpu.totalMs) * lintRatio;
  const perRule = ruleIds.map((id) => ({
    rule: id,
    ms: ruleTimes[id] ?? 0,
    shareOfParserOnly: (ruleTimes[id] ?? 0) / parserOnlyMs,
    withinTarget: (ruleTimes[id] ?? 0) / parserOnlyMs <= TARGET_ONE_RULE,
    cpuProfileShareOfParserOnly: profiledShare(id),
    withinTargetByCpuProfile: profiledShare(id) <= TARGET_ONE_RULE,
  }));
  const perCodemod = codemods.map((codemod, index) => ({
    codemod: codemod.name,
    ms: variantMs[index + 1],
    ratioToIdentity: variantMs[index + 1] / identityMs,
    filesChanged: changedFiles[codemod.name],
    filesWithReports: reportedFiles[codemod.name],
  }));
  const result = {
    date: started.toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: process.platform },
    versions: {
      eslint: Linter.version,
      jscodeshift: (JSON.parse(readFileSync(require.resolve('jscodeshift/package.json'), 'utf8')) as { version: string }).version,
    },
    corpus: {
      root: corpus.root,
      files,
      megabytes: Number((corpus.totalBytes / 1e6).toFixed(2)),
      notes: corpus.notes,
      unreadable,
      filesThatDoNotParse: parseErrors,
    },
    rounds,
    lint: {
      parserOnlyMs,
      recommendedMs,
      ratio: lintRatio,
      rulesOverhead,
      rounds: lintRounds.map((round) => ({ parserOnlyMs: round.parserOnly, recommendedMs: round.recommended, ratio: round.recommended / round.parserOnly })),
      target: { allRulesMax: TARGET_ALL_RULES, met: rulesOverhead <= TARGET_ALL_RULES },
      filesPerSecond: { parserOnly: files / (parserOnlyMs / 1000), recommended: files / (recommendedMs / 1000) },
      stats: {
        parseMs: statsParse,
        totalMs: statsTotal,
        rulesMs: rulesStatsTotal,
        rulesShareOfParserOnly: rulesStatsTotal / parserOnlyMs,
        noopCallExpressionRuleMs: calibrationMs,
        noopCallExpressionRuleShare: calibrationMs / parserOnlyMs,
      },
      perRule,
      perRuleTarget: {
        oneRuleMax: TARGET_ONE_RULE,
        met: perRule.every((rule) => rule.withinTarget),
        metByCpuProfile: perRule.every((rule) => rule.withinTargetByCpuProfile),
      },
      cpuProfile: { totalMs: cpu.totalMs, sharedUtilsShareOfParserOnly: (cpu.utilsMs / cpu.totalMs) * lintRatio },
      crashes: lintCrashes,
    },
    codemods: {
      identityMs,
      allCodemodsMs,
      ratio: allCodemodsMs / identityMs,
      rounds: codemodRounds.map((totals) => ({ identityMs: totals[0], allCodemodsMs: totals.slice(1).reduce((sum, time) => sum + time, 0) })),
      target: { allCodemodsMaxRatio: TARGET_CODEMODS, met: allCodemodsMs <= identityMs * TARGET_CODEMODS },
      filesPerSecond: { identity: files / (identityMs / 1000), allCodemods: files / (allCodemodsMs / 1000) },
      perCodemod,
      crashes: codemodCrashes,
    },
    memory: {
      peakRssMB: Number((usage.maxRSS / 1024).toFixed(1)),
      peakHeapMB: Number((peakHeap / 2 ** 20).toFixed(1)),
      note: 'includes the whole corpus held in memory as strings',
    },
  };

  const lines: string[] = [];
  lines.push(`ESLint on ${files} files (${result.corpus.megabytes} MB), median of ${rounds} rounds:`);
  lines.push(`  parser only          ${ms(parserOnlyMs)}  (${result.lint.filesPerSecond.parserOnly.toFixed(0)} files/s)`);
  lines.push(`  recommended config   ${ms(recommendedMs)}  (${result.lint.filesPerSecond.recommended.toFixed(0)} files/s)`);
  lines.push(`  ratio ${result.lint.ratio.toFixed(4)}: all rules add ${pct(rulesOverhead)} (target <= ${pct(TARGET_ALL_RULES)}: ${result.lint.target.met ? 'met' : 'MISSED'})`);
  lines.push(`  per round: ${result.lint.rounds.map((round) => round.ratio.toFixed(4)).join(', ')}`);
  lines.push(`  ESLint stats: rules ${ms(rulesStatsTotal)} = ${pct(result.lint.stats.rulesShareOfParserOnly)} of parser-only time; per rule (target <= ${pct(TARGET_ONE_RULE)} each):`);
  for (const rule of perRule) {
    lines.push(
      `    ${rule.rule.padEnd(48)} ${rule.ms.toFixed(1).padStart(9)} ms  ${pct(rule.shareOfParserOnly).padStart(7)}  ${rule.withinTarget ? 'ok' : 'MISSED'}` +
        `   (CPU profile: ${pct(rule.cpuProfileShareOfParserOnly)} ${rule.withinTargetByCpuProfile ? 'ok' : 'MISSED'})`,
    );
  }
  lines.push(`    ${'(a no-op CallExpression rule: timing overhead)'.padEnd(48)} ${calibrationMs.toFixed(1).padStart(9)} ms  ${pct(calibrationMs / parserOnlyMs).padStart(7)}`);
  lines.push(`  crashes: ${lintCrashes.length}; files that do not parse: ${parseErrors}`);
  lines.push('');
  lines.push('Codemods (in-process, transforms called directly), median of rounds:');
  lines.push(`  identity transform (parse only)  ${ms(identityMs)}  (${result.codemods.filesPerSecond.identity.toFixed(0)} files/s)`);
  for (const codemod of perCodemod) {
    lines.push(`  ${codemod.codemod.padEnd(32)} ${ms(codemod.ms)}  ratio ${codemod.ratioToIdentity.toFixed(4)}  (${codemod.filesChanged} files rewritten, ${codemod.filesWithReports} with reports)`);
  }
  lines.push(`  all codemods                     ${ms(allCodemodsMs)}  ratio ${result.codemods.ratio.toFixed(4)} (target <= ${TARGET_CODEMODS}: ${result.codemods.target.met ? 'met' : 'MISSED'})`);
  lines.push(`  crashes: ${codemodCrashes.length}`);
  lines.push('');
  lines.push(`Peak memory: RSS ${result.memory.peakRssMB} MB, heap ${result.memory.peakHeapMB} MB (${result.memory.note})`);
  console.log(lines.join('\n'));
  for (const crash of [...lintCrashes, ...codemodCrashes].slice(0, 20)) console.log(`\nCRASH ${crash}`);

  const outDir = join(projectRoot(), 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${relative(process.cwd(), join(outDir, 'latest.json'))}`);
  if (writeDocs) {
    const docsPath = join(projectRoot(), 'docs', 'benchmark.md');
    writeFileSync(docsPath, withSweepSection(renderDocs(result)));
    console.log(`wrote ${relative(process.cwd(), docsPath)}`);
  }
}

type Result = {
  date: string;
  command: string;
  machine: { node: string; cpu: string; cores: number };
  versions: { eslint: string; jscodeshift: string };
  corpus: { files: number; megabytes: number; notes: string[]; filesThatDoNotParse: number };
  rounds: number;
  lint: {
    parserOnlyMs: number;
    recommendedMs: number;
    ratio: number;
    rulesOverhead: number;
    rounds?: { ratio: number }[];
    target: { met: boolean };
    filesPerSecond: { parserOnly: number; recommended: number };
    stats: { rulesMs: number; rulesShareOfParserOnly: number; noopCallExpressionRuleMs: number; noopCallExpressionRuleShare: number };
    perRule: { rule: string; ms: number; shareOfParserOnly: number; withinTarget: boolean; cpuProfileShareOfParserOnly?: number; withinTargetByCpuProfile?: boolean }[];
    cpuProfile?: { sharedUtilsShareOfParserOnly: number };
    crashes: string[];
  };
  codemods: {
    identityMs: number;
    allCodemodsMs: number;
    ratio: number;
    target: { met: boolean };
    filesPerSecond: { identity: number; allCodemods: number };
    perCodemod: { codemod: string; ms: number; ratioToIdentity: number; filesChanged: number; filesWithReports: number }[];
    crashes: string[];
  };
  memory: { peakRssMB: number; peakHeapMB: number };
};

/** Keeps the section `npm run sweep -- --write-docs` wrote into docs/benchmark.md. */
function withSweepSection(text: string): string {
  const docsPath = join(projectRoot(), 'docs', 'benchmark.md');
  let previous = '';
  try {
    previous = readFileSync(docsPath, 'utf8');
  } catch {
    return text;
  }
  const section = new RegExp(`${SWEEP_BEGIN}[\\s\\S]*?${SWEEP_END}\n?`).exec(previous)?.[0];
  return section ? `${text.trimEnd()}\n\n${section}` : text;
}

function renderDocs(result: Result): string {
  const s = (value: number): string => (value / 1000).toFixed(2);
  const out: string[] = [];
  out.push('# Benchmark');
  out.push('');
  out.push(`Produced by \`${result.command}\` (\`scripts/bench.ts\`) on ${result.date.slice(0, 10)}: Node ${result.machine.node}, ${result.machine.cores} × ${result.machine.cpu}, ESLint ${result.versions.eslint}, jscodeshift ${result.versions.jscodeshift}. The full figures are in \`bench-results/latest.json\` (not committed).`);
  out.push('');
  out.push(`Corpus: ${result.corpus.files} real JS/TS files (${result.corpus.megabytes} MB) from the project's own \`node_modules\`; ${result.corpus.notes.join('; ')}.`);
  out.push(`Each figure is the median of ${result.rounds} rounds after a warm-up; files are read into memory first; the compared variants run interleaved file by file.`);
  out.push('');
  out.push('## ESLint');
  out.push('');
  out.push('| | time (s) | files/s |');
  out.push('|---|---:|---:|');
  out.push(`| parser only (recommended config's parser and files, no rules) | ${s(result.lint.parserOnlyMs)} | ${result.lint.filesPerSecond.parserOnly.toFixed(0)} |`);
  out.push(`| recommended config | ${s(result.lint.recommendedMs)} | ${result.lint.filesPerSecond.recommended.toFixed(0)} |`);
  out.push('');
  out.push(`Ratio ${result.lint.ratio.toFixed(3)}: all rules add **${pct(result.lint.rulesOverhead)}** to parser-only time (target ≤ 5%: ${result.lint.target.met ? 'met' : '**missed**'}). ESLint's own \`stats\` timing puts all rules' listeners at ${pct(result.lint.stats.rulesShareOfParserOnly)} of parser-only time. ${result.lint.rounds ? ` The ratio of each round: ${result.lint.rounds.map((round) => round.ratio.toFixed(3)).join(', ')}; differences of that size are noise on a shared machine.` : ''}`);
  out.push('');
  const profiled = (rule: Result['lint']['perRule'][number]): string =>
    rule.cpuProfileShareOfParserOnly === undefined ? '' : `${pct(rule.cpuProfileShareOfParserOnly)} (${rule.withinTargetByCpuProfile ? 'met' : '**missed**'})`;
  out.push('| rule | time (ms, ESLint stats) | share of parser-only time (stats) | target ≤ 1% (stats) | share by CPU profile |');
  out.push('|---|---:|---:|---|---:|');
  for (const rule of result.lint.perRule) out.push(`| \`${rule.rule}\` | ${rule.ms.toFixed(0)} | ${pct(rule.shareOfParserOnly)} | ${rule.withinTarget ? 'met' : '**missed**'} | ${profiled(rule)} |`);
  out.push(`| *a rule that does nothing on every \`CallExpression\` (what the timing itself costs)* | ${result.lint.stats.noopCallExpressionRuleMs.toFixed(0)} | ${pct(result.lint.stats.noopCallExpressionRuleShare)} | | |`);
  if (result.lint.cpuProfile) out.push(`| *shared helpers (\`src/core\`, \`src/prisma\`, …) called outside a rule file* | | | | ${pct(result.lint.cpuProfile.sharedUtilsShareOfParserOnly)} |`);
  out.push('');
  out.push('');
  out.push('How to read the per-rule figures: ESLint\'s `stats` time each listener call with `process.hrtime()`, so a rule is charged for the wrappers themselves (the no-op row: what they cost on a rule that listens to every call expression) and for any garbage-collection pause that happens to fall inside one of its listeners; files with no match at all then show up with several milliseconds. The last column is a second opinion from a V8 CPU profile of one more recommended pass: each sample is charged to the innermost rule file on its stack (ESLint helpers a rule calls count for it; garbage-collector samples count for no rule). The wall-clock ratio above is the real cost of all rules together. The rules are loaded from `src/` through tsx, as in the tests; the published `dist/` build is plain `tsc` output.');
  out.push('');
  out.push('## Codemods');
  out.push('');
  out.push('Run in-process: each transform is called directly with an api built from jscodeshift (`{ jscodeshift, j, stats, report }`), as jscodeshift\'s Runner calls it, but without its worker processes and file I/O, so the figure is the transform\'s own time and the order of files is fixed. The baseline is an identity transform that parses every file with the parser the codemods use and returns nothing.');
  out.push('');
  out.push('| codemod | time (s) | ratio to identity | files rewritten | files with reports |');
  out.push('|---|---:|---:|---:|---:|');
  out.push(`| identity (parse only) | ${s(result.codemods.identityMs)} | 1 | | |`);
  for (const codemod of result.codemods.perCodemod) {
    out.push(`| \`${codemod.codemod}\` | ${s(codemod.ms)} | ${codemod.ratioToIdentity.toFixed(4)} | ${codemod.filesChanged} | ${codemod.filesWithReports} |`);
  }
  out.push(`| all codemods | ${s(result.codemods.allCodemodsMs)} | **${result.codemods.ratio.toFixed(4)}** | | |`);
  out.push('');
  out.push(`Target: all codemods together ≤ the identity transform: ${result.codemods.target.met ? 'met' : '**missed**'}. A codemod skips a file that cannot match with a substring test before parsing it.`);
  out.push('');
  out.push(`Peak memory: ${result.memory.peakRssMB} MB RSS (${result.memory.peakHeapMB} MB heap), with the whole corpus held in memory.`);
  out.push(`Crashes: ${result.lint.crashes.length} in rules, ${result.codemods.crashes.length} in codemods. Files in the corpus that do not parse: ${result.corpus.filesThatDoNotParse}.`);
  out.push('');
  out.push('Reproduce: `npm run bench` (any directory: `npm run bench -- path/to/src`; a sample: `--limit 2000 --seed 1`).');
  out.push('');
  return out.join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
