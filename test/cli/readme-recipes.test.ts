/**
 * The README's CI and pre-commit recipes, run as written: the GitHub Actions workflow's check step
 * produces the SARIF file its upload step reads, and the lint-staged globs hand ESLint every file the
 * recommended config lints.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import plugin from '../../src/index';
import { scratchDirectory } from '../helpers/scratch';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = scratchDirectory('deploy-safe-readme-');

function fenced(language: string, after: string): string {
  const start = readme.indexOf(after);
  const open = readme.indexOf(`\`\`\`${language}\n`, start);
  return readme.slice(open + language.length + 4, readme.indexOf('\n```', open));
}

describe('README recipes', () => {
  it('the GitHub Actions workflow: its check step writes the SARIF its upload step reads, with the finding in it', () => {
    const { parseYAML, getStaticYAMLValue } = require('yaml-eslint-parser') as typeof import('yaml-eslint-parser');
    const workflow = getStaticYAMLValue(parseYAML(fenced('yaml', '## In CI'))) as { jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; with?: { sarif_file?: string } }[] }> };
    const steps = Object.values(workflow.jobs)[0].steps;
    const check = steps.find((step) => step.run?.includes('deploy-safe check'))!;
    const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toBe('always()');
    const output = /> (\S+)$/.exec(check.run!)![1];
    expect(upload.with?.sarif_file).toBe(output);

    const dir = join(scratch, 'ci');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "svc", "private": true }\n');
    writeFileSync(join(dir, 'src', 'server.ts'), "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n");
    const command = check.run!.replace(/^npx deploy-safe/, `'${process.execPath}' '${cli}'`);
    let status = 0;
    try {
      execFileSync('sh', ['-c', command], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    const log = JSON.parse(readFileSync(join(dir, output), 'utf8')) as Log;
    expect(log.runs[0].results?.map((result) => `${result.ruleId} ${result.locations?.[0].physicalLocation?.artifactLocation?.uri}`)).toEqual([
      'deploy-safe/listen-requires-host src/server.ts',
    ]);
  }, 60_000);

  it('the lint-staged globs cover every file the recommended config lints', async () => {
    const globs = Object.keys((JSON.parse(fenced('json', '## Pre-commit')) as { 'lint-staged': Record<string, string> })['lint-staged']);
    const eslint = new ESLint({ cwd: scratch, overrideConfigFile: true, overrideConfig: plugin.configs.recommended as never });
    const files = ['src/server.ts', 'src/app.tsx', 'lib/db.mjs', 'lib/db.cjs', 'package.json', 'Dockerfile', 'Procfile', 'railway.json', 'railway.toml', 'fly.toml', 'render.yaml', 'vercel.json', 'nixpacks.toml', 'docker-compose.yml', 'scripts/start.sh'];
    for (const file of files) {
      expect(await eslint.isPathIgnored(join(scratch, file)), `${file} is linted by the recommended config`).toBe(false);
      expect(globs.some((glob) => minimatch(file, glob, { matchBase: true })), `${file} is handed to ESLint by lint-staged`).toBe(true);
    }
  });
});
