/**
 * CI's slice of `npm run sweep`: a fixed, seeded sample of real files from node_modules through every
 * rule and codemod. The full sweep (tens of thousands of files) runs on demand.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';
import { formatSweep, runSweep, type SweepResult } from '../../scripts/sweep';
import { listCodemods, type Codemod } from '../../scripts/lib/targets';

const SAMPLE = 400;
const SEED = 20_261_123;

describe('sweep over a sample of node_modules', () => {
  let result: SweepResult;

  it(`runs every rule and codemod over ${SAMPLE} real files without a failure`, async () => {
    result = await runSweep({ limit: SAMPLE, seed: SEED });
    // The report shows the file, the check and the stack of every failure.
    expect(result.failures, formatSweep(result)).toEqual([]);
    expect(result.files).toBe(SAMPLE);
    expect(result.unreadable).toEqual([]);
    expect(Object.keys(result.codemods).sort()).toEqual(listCodemods().map((codemod) => codemod.name).sort());
    // Most of the sample is code the recommended config lints (the rest: package.json files).
    expect(result.lint.files).toBeGreaterThan(SAMPLE / 2);
    for (const counts of Object.values(result.codemods)) expect(counts.untouched + counts.rewritten).toBe(SAMPLE);
  }, 240_000);
});

describe('the sweep catches what it is there to catch', () => {
  const dir = scratchDirectory('deploy-safe-sweep-');
  writeFileSync(join(dir, 'server.js'), "// the app\nconst app = require('express')();\napp.get('/', (req, res) => res.send('ok'));\n");
  writeFileSync(join(dir, 'worker.ts'), 'export const work = (n: number) => n * 2;\n');

  const planted: Codemod[] = [
    { name: 'throws', path: 'planted', transform: () => { throw new Error('planted crash'); } },
    { name: 'appends', path: 'planted', transform: (file) => `${file.source}// again\n` },
    { name: 'breaks-syntax', path: 'planted', transform: (file) => `${file.source}const = ;\n` },
    { name: 'drops-comment', path: 'planted', transform: (file) => file.source.replace('// the app\n', '') },
    { name: 'leaves-alone', path: 'planted', transform: () => undefined },
  ];

  it('reports a crashing codemod, a non-idempotent one, one whose output does not parse and one that drops a comment, with the file', async () => {
    const result = await runSweep({ dir, codemods: planted, includePackageJson: false });
    const seen = result.failures.map((failure) => `${failure.kind} ${failure.target} ${failure.file.slice(dir.length + 1)}`).sort();
    expect(seen).toEqual([
      'codemod-crash throws server.js',
      'codemod-crash throws worker.ts',
      'lost-comment drops-comment server.js',
      'not-idempotent appends server.js',
      'not-idempotent appends worker.ts',
      'output-does-not-parse breaks-syntax server.js',
      'output-does-not-parse breaks-syntax worker.ts',
    ]);
    expect(result.failures.find((failure) => failure.kind === 'codemod-crash')?.detail).toContain('planted crash');
    expect(result.codemods['leaves-alone']).toMatchObject({ untouched: 2, rewritten: 0, failures: 0 });
  });

  it('reports a crashing rule with its id and the file', async () => {
    const result = await runSweep({
      dir,
      codemods: [],
      includePackageJson: false,
      extraConfig: [
        {
          files: ['**/*.ts'],
          plugins: { planted: { rules: { boom: { meta: { schema: [] }, create: () => ({ Program() { throw new Error('planted rule crash'); } }) } } } },
          rules: { 'planted/boom': 'error' },
        },
      ],
    });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ kind: 'rule-crash', target: 'planted/boom', file: join(dir, 'worker.ts') });
    expect(result.failures[0].detail).toContain('planted rule crash');
    expect(result.lint.crashes).toBe(1);
  });
});
