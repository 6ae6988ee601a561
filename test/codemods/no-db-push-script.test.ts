import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/no-db-push-script';
import { deployFileConfigs, deployFileParser } from '../../src/configs/deploy-files';
import rule from '../../src/rules/no-db-push-script';
import { invalidNewCommands } from '../../src/deploy-files/shell-syntax';
import { runCodemod, type Transform } from '../helpers/run-codemod';

/**
 * Fixtures are small projects: `__testfixtures__/no-db-push-script/<case>/` holds `<file>.input`
 * (and `<file>.output` where the codemod must change it) plus any file copied as is (a Prisma schema).
 * Each case runs the codemod on every input file of a copy of the project, in both orders, and checks
 * every file byte for byte (no .output: byte-identical), that a second run changes nothing, that the
 * outputs parse, that every command they write is valid shell (`bash -n`), that the rule finds no deploy-time problem left, and that `reports.txt` lines were
 * reported, in order. `UPDATE_FIXTURES=1` writes the outputs (read them before committing).
 */
const ROOT = join(__dirname, '__testfixtures__', 'no-db-push-script');
const cases = readdirSync(ROOT).filter((name) => statSync(join(ROOT, name)).isDirectory());

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

function materialise(caseDir: string): { dir: string; inputs: string[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'deploy-safe-db-push-')), 'project');
  cpSync(caseDir, dir, { recursive: true, filter: (source) => !source.endsWith('.output') && !source.endsWith('reports.txt') });
  const inputs: string[] = [];
  for (const file of walk(dir)) {
    if (!file.endsWith('.input')) continue;
    renameSync(file, file.slice(0, -'.input'.length));
    inputs.push(file.slice(0, -'.input'.length));
  }
  return { dir, inputs: inputs.sort() };
}

async function runAll(files: string[]): Promise<string[]> {
  const reports: string[] = [];
  for (const file of files) {
    const run = await runCodemod(transform as Transform, readFileSync(file, 'utf8'), file);
    if (run.changed) writeFileSync(file, run.output);
    reports.push(...run.reports);
  }
  return reports;
}

function deployTimeFindings(file: string): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat', cwd: join(file, '..') });
  const plugin = { rules: { 'no-db-push-script': rule as never } };
  return linter
    .verify(
      readFileSync(file, 'utf8'),
      deployFileConfigs(plugin as never).map((config) => ({ ...config, rules: { 'deploy-safe/no-db-push-script': 'error' as const } })),
      { filename: file },
    )
    .filter((message) => message.fatal || message.messageId !== 'dataLossFlag');
}

describe('no-db-push-script codemod fixtures', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(0));

  for (const name of cases) {
    const caseDir = join(ROOT, name);
    for (const order of ['forward', 'reverse'] as const) {
      it(`${name} (${order})`, async () => {
        const { dir, inputs } = materialise(caseDir);
        try {
          const reports = await runAll(order === 'forward' ? inputs : [...inputs].reverse());
          for (const file of inputs) {
            const fixture = join(caseDir, `${relative(dir, file)}`);
            const actual = readFileSync(file, 'utf8');
            if (process.env.UPDATE_FIXTURES && order === 'forward' && actual !== readFileSync(`${fixture}.input`, 'utf8')) writeFileSync(`${fixture}.output`, actual);
            const expected = existsSync(`${fixture}.output`) ? `${fixture}.output` : `${fixture}.input`;
            expect(actual, relative(dir, file)).toBe(readFileSync(expected, 'utf8'));
            expect(() => deployFileParser(file)!.parseForESLint(actual, { filePath: file })).not.toThrow();
            expect(invalidNewCommands(file, readFileSync(`${fixture}.input`, 'utf8'), actual), `every command written is valid shell (bash -n) in ${relative(dir, file)}`).toEqual([]);
            expect(deployTimeFindings(file), `nothing left for the rule in ${relative(dir, file)}`).toEqual([]);
          }
          const again = await runAll(inputs);
          for (const file of inputs) {
            const fixture = join(caseDir, relative(dir, file));
            const expected = existsSync(`${fixture}.output`) ? `${fixture}.output` : `${fixture}.input`;
            expect(readFileSync(file, 'utf8'), `idempotent: ${relative(dir, file)}`).toBe(readFileSync(expected, 'utf8'));
          }
          expect(again.filter((report) => /^moved|Baseline/.test(report))).toEqual([]);
          const reportsFile = join(caseDir, 'reports.txt');
          if (existsSync(reportsFile)) {
            const wanted = readFileSync(reportsFile, 'utf8').split('\n').filter(Boolean);
            const positions = wanted.map((line) => reports.findIndex((report) => report.includes(line)));
            expect(positions.every((position) => position >= 0), `reports:\n${reports.join('\n')}`).toBe(true);
            expect([...positions].sort((a, b) => a - b)).toEqual(positions);
          }
        } finally {
          rmSync(join(dir, '..'), { recursive: true, force: true });
        }
      });
    }
  }

  it('--dry reports the move and writes nothing but its own output', async () => {
    const { dir } = materialise(join(ROOT, 'seed-railway'));
    try {
      const railway = readFileSync(join(dir, 'railway.json'), 'utf8');
      const run = await runCodemod(transform as Transform, readFileSync(join(dir, 'package.json'), 'utf8'), join(dir, 'package.json'), { dry: true });
      expect(run.reports[0]).toMatch(/^would move the migration to railway\.json deploy\.preDeployCommand: npx prisma migrate deploy/);
      expect(readFileSync(join(dir, 'railway.json'), 'utf8')).toBe(railway);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
