import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jscodeshift, { type API, type FileInfo, type Options } from 'jscodeshift';
import { ESLint, type Linter } from 'eslint';
import { verifyWithPluginRule, withSharedFindings, type SharedFindings } from '../../codemods/lib/apply-rule-fixes';
import { projectLinterOptions } from '../../src/cli/check';
import { deployFileParser } from '../../src/configs/deploy-files';
import { lineMapping } from '../../codemods/lib/transform';
import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';

export type Transform = (file: FileInfo, api: API, options: Options) => string | undefined | null | Promise<string | undefined | null>;

export interface CodemodRun {
  /** What the file contains after the run (the input when the transform skipped it). */
  output: string;
  /** Whether the transform asked jscodeshift to write the file. */
  changed: boolean;
  reports: string[];
}

export async function runCodemod(transform: Transform, source: string, path = 'src/server.ts', options: Options = {}): Promise<CodemodRun> {
  const reports: string[] = [];
  const api = {
    jscodeshift,
    j: jscodeshift,
    stats: () => {},
    report: (message: string) => reports.push(message),
  } as unknown as API;
  const result = await transform({ path, source }, api, options);
  const changed = typeof result === 'string' && result !== source;
  return { output: changed ? result : source, changed, reports };
}

/** ESLint's view of a file after a codemod: the rule's messages (and parse errors), linted from the file's project as ESLint would. */
export function lintWithRule(ruleName: string, rule: unknown, source: string, filename: string, options: unknown[] = []): Linter.LintMessage[] {
  return verifyWithPluginRule(ruleName, rule, source, filename, options);
}

/**
 * The rule and its codemod held together: every message the rule still reports after the codemod
 * must have a report from the codemod naming its line (what blocked the rewrite), and no report may
 * name a line the rule does not report.
 */
export function leftWithoutReason(ruleName: string, rule: unknown, input: string, run: CodemodRun, filename: string, options: unknown[] = []): string[] {
  const toInput = lineMapping(run.output, input);
  const reportedLines = new Set(run.reports.flatMap((report) => /^line (\d+): /.exec(report)?.[1] ?? []).map(Number));
  return lintWithRule(ruleName, rule, run.output, filename, options)
    .filter((message) => !message.fatal && !reportedLines.has(toInput(message.line)))
    .map((message) => `line ${toInput(message.line)} (${message.messageId}) has no reason: ${message.message}`);
}

/** The rewritten file parses with the parser the recommended config gives it (deploy files have their own). */
export function assertParses(source: string, filename: string): void {
  const deployParser = deployFileParser(filename);
  if (deployParser) deployParser.parseForESLint(source, { filePath: filename });
  else parse(source, { jsx: /\.(?:tsx|jsx|js|mjs|cjs)$/.test(filename), filePath: filename, range: true, loc: true });
}

const FIXTURE_ROOT = join(__dirname, '..', 'codemods', '__testfixtures__');

/**
 * What `deploy-safe fix` hands a codemod for `source` at `filename`: the messages of its one lint of
 * the project (every rule on, as `check` lints) while the text is unchanged, nothing for other texts
 * or where the recommended config does not enable the codemod's rule.
 */
async function fixRunFindings(eslint: ESLint, source: string, filename: string): Promise<SharedFindings> {
  const path = resolve(filename);
  const [result] = await eslint.lintText(source, { filePath: path });
  const config = (await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown[]> } | undefined;
  const enabled = new Set(Object.entries(config?.rules ?? {}).filter(([, entry]) => entry[0] !== 0 && entry[0] !== 'off').map(([id]) => id));
  return {
    messagesFor: (file, text, ruleName) => (file === path && text === source && enabled.has(`deploy-safe/${ruleName}`) ? result.messages : undefined),
  };
}

/**
 * One test per fixture `<case>.input.<ext>` in `__testfixtures__/<codemod>/`: the output equals
 * `<case>.output.<ext>` byte for byte (no output file: the file must come back untouched), a second
 * run changes nothing, the output parses, every finding the rule still reports has a reason from the
 * codemod at its line, and what the codemod reported is exactly `<case>.reports.txt` (none when there
 * is no such file). `UPDATE_FIXTURES=1` writes the outputs and reports (read them before committing).
 */
export function defineFixtureTests(
  codemod: string,
  transform: Transform,
  rule?: { name: string; module: unknown; options?: unknown[] },
  optionsFor: (caseName: string) => Options = () => ({}),
): void {
  const directory = join(FIXTURE_ROOT, codemod);
  const inputs = readdirSync(directory).filter((name) => /\.input\.\w+$/.test(name));
  describe(`${codemod} fixtures`, () => {
    const eslint = new ESLint(projectLinterOptions(process.cwd()));
    it('has fixtures', () => expect(inputs.length).toBeGreaterThan(0));
    for (const inputName of inputs) {
      const caseName = inputName.replace(/\.input\.\w+$/, '');
      const extension = inputName.slice(inputName.lastIndexOf('.'));
      const filename = `src/${caseName}${extension}`;
      it(caseName, async () => {
        const input = readFileSync(join(directory, inputName), 'utf8');
        const outputPath = join(directory, `${caseName}.output${extension}`);
        const options = optionsFor(caseName);
        const run = await runCodemod(transform, input, filename, options);
        // `deploy-safe fix` runs the codemod with the findings of the lint it already made: the same rewrite, the same notes.
        const inFix = await withSharedFindings(await fixRunFindings(eslint, input, filename), () => runCodemod(transform, input, filename, options));
        expect(inFix, 'as `deploy-safe fix` runs it').toEqual(run);
        if (process.env.UPDATE_FIXTURES && run.changed) writeFileSync(outputPath, run.output);
        if (existsSync(outputPath)) {
          expect(run.output).toBe(readFileSync(outputPath, 'utf8'));
          expect(run.changed).toBe(true);
        } else {
          expect(run.changed, 'a file without an .output fixture must come back untouched').toBe(false);
        }
        const second = await runCodemod(transform, run.output, filename, options);
        expect(second.changed, 'the codemod is idempotent').toBe(false);
        if (run.changed) assertParses(run.output, filename);
        if (rule) {
          expect(leftWithoutReason(rule.name, rule.module, input, run, filename, rule.options), 'every finding left has a reason').toEqual([]);
        }
        const reportsPath = join(directory, `${caseName}.reports.txt`);
        if (process.env.UPDATE_FIXTURES && run.reports.length > 0) writeFileSync(reportsPath, `${run.reports.join('\n')}\n`);
        const expectedReports = existsSync(reportsPath) ? readFileSync(reportsPath, 'utf8').split('\n').filter(Boolean) : [];
        expect(run.reports, `what the codemod says (${caseName}.reports.txt)`).toEqual(expectedReports);
      });
    }
  });
}
