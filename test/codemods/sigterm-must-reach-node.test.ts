import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import transform from '../../codemods/sigterm-must-reach-node';
import { verifyWithPluginRule } from '../../codemods/lib/apply-rule-fixes';
import rule from '../../src/rules/sigterm-must-reach-node';
import { defineFixtureTests, runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

defineFixtureTests('sigterm-must-reach-node', transform, { name: 'sigterm-must-reach-node', module: rule });

describe('sigterm-must-reach-node codemod: the command the package manager would run, from package.json', () => {
  const project = scratchDirectory('deploy-safe-sigterm-codemod-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'api', scripts: { build: 'tsc', start: 'node dist/server.js', 'start:migrate': 'prisma migrate deploy && node dist/server.js' } }, null, 2));
  mkdirSync(join(project, 'docker'));
  writeFileSync(join(project, 'Dockerfile.prod'), 'FROM node:20-slim\nCOPY . .\nENTRYPOINT ["sh", "docker/start.sh"]\n');

  const cases = [
    { file: 'Dockerfile', input: 'FROM node:20-slim\nWORKDIR /app\nCMD ["npm", "start"]\n', output: 'FROM node:20-slim\nWORKDIR /app\nCMD ["node", "dist/server.js"]\n' },
    { file: 'Dockerfile', input: 'FROM node:20-slim\nCMD npm start\n', output: 'FROM node:20-slim\nCMD ["node", "dist/server.js"]\n' },
    { file: 'docker-compose.yml', input: 'services:\n  web:\n    build: .\n    command: ["yarn", "start"]\n', output: 'services:\n  web:\n    build: .\n    command: ["node", "dist/server.js"]\n' },
    { file: 'docker-compose.yml', input: "services:\n  web:\n    build: .\n    command: 'npm start'\n", output: 'services:\n  web:\n    build: .\n    command: "node dist/server.js"\n' },
    { file: 'docker/start.sh', input: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nnpm start\n', output: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec node dist/server.js\n' },
  ];
  for (const { file, input, output } of cases) {
    it(`${file}: ${input.split('\n').find((line) => /CMD|command|npm/.test(line))!.trim()}`, async () => {
      const path = join(project, file);
      const run = await runCodemod(transform, input, path);
      expect(run.output).toBe(output);
      expect(run.reports).toEqual([]);
      expect((await runCodemod(transform, run.output, path)).changed, 'idempotent').toBe(false);
      expect(verifyWithPluginRule('sigterm-must-reach-node', rule, run.output, path)).toEqual([]);
    });
  }

  it('reports a start script it cannot turn into one exec-form command, and leaves the file as it was', async () => {
    const input = 'FROM node:20-slim\nCMD ["npm", "run", "start:migrate"]\n';
    const run = await runCodemod(transform, input, join(project, 'Dockerfile'));
    expect(run).toMatchObject({ output: input, changed: false });
    expect(run.reports.join('\n')).toMatch(/line 2: not rewritten: Dockerfile CMD starts `npm run start:migrate`.*the "start:migrate" script runs `prisma migrate deploy && node dist\/server\.js`, shell syntax that exec form cannot hold/);
  });

  it('leaves files without a start command byte-identical', async () => {
    for (const [file, input] of [
      ['Dockerfile', 'FROM node:20\nRUN npm ci\nCMD ["node", "dist/server.js"]\n'],
      ['docker-compose.yml', 'services:\n  db:\n    image: postgres:16\n'],
      ['Procfile', 'web: npm start\n'],
    ]) {
      expect(await runCodemod(transform, input, join(project, file))).toEqual({ output: input, changed: false, reports: [] });
    }
  });
});
