import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/no-file-logger-in-prod';
import rule from '../../src/rules/no-file-logger-in-prod';
import { defineFixtureTests, lintWithRule, runCodemod } from '../helpers/run-codemod';

defineFixtureTests('no-file-logger-in-prod', transform, { name: 'no-file-logger-in-prod', module: rule });

const fixtures = join(__dirname, '__testfixtures__', 'no-file-logger-in-prod');

describe('no-file-logger-in-prod codemod and rule agree', () => {
  // The rule offers suggestions, not fixes, so "nothing fixable left" proves little: check that every
  // rewritten file has nothing left to report, except the cases whose reports say what was left.
  for (const name of readdirSync(fixtures).filter((file) => /\.output\.\w+$/.test(file))) {
    const caseName = name.replace(/\.output\.\w+$/, '');
    it(`${caseName}: the rule reports nothing in the output`, () => {
      const output = readFileSync(join(fixtures, name), 'utf8');
      const messages = lintWithRule('no-file-logger-in-prod', rule, output, `src/${name}`);
      expect(existsSync(join(fixtures, `${caseName}.reports.txt`)) || messages.length === 0, JSON.stringify(messages)).toBe(true);
    });
  }

  it('every input without an output is one the rule passes or one the codemod reports', async () => {
    for (const name of readdirSync(fixtures).filter((file) => /\.input\.\w+$/.test(file))) {
      const caseName = name.replace(/\.input\.\w+$/, '');
      const extension = name.slice(name.lastIndexOf('.'));
      if (existsSync(join(fixtures, `${caseName}.output${extension}`))) continue;
      const input = readFileSync(join(fixtures, name), 'utf8');
      const messages = lintWithRule('no-file-logger-in-prod', rule, input, `src/${name}`);
      const run = await runCodemod(transform, input, `src/${name}`);
      expect(run.reports.length, caseName).toBe(messages.length);
    }
  });
});

describe('no-file-logger-in-prod codemod', () => {
  it('skips files that mention no logger before parsing them', async () => {
    const run = await runCodemod(transform, 'this is not JavaScript {{{', 'src/notes.ts');
    expect(run).toEqual({ output: 'this is not JavaScript {{{', changed: false, reports: [] });
  });

  it('reports a file that does not parse instead of crashing', async () => {
    const run = await runCodemod(transform, "import winston from 'winston';\nconst x = {{;", 'src/broken.ts');
    expect(run.changed).toBe(false);
    expect(run.reports.join('\n')).toMatch(/skipped: the file does not parse/);
  });

  it('leaves guarded and opt-in file transports and says nothing about them', async () => {
    const input = readFileSync(join(fixtures, 'dev-only-file.input.ts'), 'utf8');
    const run = await runCodemod(transform, input, 'src/logger.ts');
    expect(run).toEqual({ output: input, changed: false, reports: [] });
  });
});
