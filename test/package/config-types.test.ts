import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';

/**
 * `eslint.config.ts` users get typed rule options from the packed package: a wrong option fails `tsc`
 * with the option named, a right one passes, from ES modules and CommonJS configs, through `defineConfig`
 * and plain `Linter.Config[]`.
 */
const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const workDir = scratchDirectory('deploy-safe-config-types-');

const ESM_GOOD = `import deploySafe from 'eslint-plugin-deploy-safe';
import type { RuleOptions } from 'eslint-plugin-deploy-safe';
import { defineConfig } from 'eslint/config';

const listen: RuleOptions['deploy-safe/listen-requires-host'][0] = { fallbackHost: '::' };

export default defineConfig([
  ...deploySafe.configs.recommended,
  {
    rules: {
      'deploy-safe/listen-requires-host': ['error', listen],
      'deploy-safe/pg-pool-requires-timeout': ['warn', { connectionTimeoutMillis: 5000 }],
      'deploy-safe/no-db-push-script': 'error',
      'no-console': ['error', { allow: ['warn'] }],
    },
  },
]);
`;
const ESM_BAD = `import deploySafe from 'eslint-plugin-deploy-safe';
import { defineConfig } from 'eslint/config';

export default defineConfig([
  ...deploySafe.configs.recommended,
  { rules: { 'deploy-safe/listen-requires-host': ['error', { fallbackHost: 42 }] } },
]);
`;
const CJS_GOOD = `import deploySafe = require('eslint-plugin-deploy-safe');
import type { Linter } from 'eslint';
import type { DeploySafeRules } from 'eslint-plugin-deploy-safe';

const rules = { 'deploy-safe/shutdown-must-close-server': ['error', { requireSignalHandler: true }] } satisfies DeploySafeRules;
const config: Linter.Config[] = [...deploySafe.configs.recommended, { rules }];
export = config;
`;
const CJS_BAD = `import deploySafe = require('eslint-plugin-deploy-safe');
import type { Linter } from 'eslint';

const config: Linter.Config[] = [...deploySafe.configs.recommended, { rules: { 'deploy-safe/no-findunique-then-create': ['error', { prismaSchemaPath: 'x' }] } }];
export = config;
`;

const TSCONFIG = (files: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [], ...extra },
    files,
  });

const CASES: Record<string, { files: Record<string, string>; tsconfig: string; error?: RegExp }> = {
  'esm-good': { files: { 'eslint.config.ts': ESM_GOOD }, tsconfig: TSCONFIG(['eslint.config.ts']) },
  'esm-bad': { files: { 'eslint.config.ts': ESM_BAD }, tsconfig: TSCONFIG(['eslint.config.ts']), error: /fallbackHost.*\n?.*number.*not assignable to type 'string'|'fallbackHost' are incompatible/ },
  'bundler-good': { files: { 'eslint.config.ts': ESM_GOOD }, tsconfig: TSCONFIG(['eslint.config.ts'], { module: 'preserve', moduleResolution: 'bundler' }) },
  'cjs-good': { files: { 'eslint.config.cts': CJS_GOOD }, tsconfig: TSCONFIG(['eslint.config.cts']) },
  'cjs-bad': { files: { 'eslint.config.cts': CJS_BAD }, tsconfig: TSCONFIG(['eslint.config.cts']), error: /'prismaSchemaPath' does not exist/ },
};

let projectDir = '';

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: root, maxBuffer: 32 << 20 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  projectDir = join(workDir, 'project');
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'config-types', private: true, version: '1.0.0', type: 'module' }));
  const typescript = (JSON.parse(readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version;
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDir, packed.filename), 'eslint@10', `typescript@${typescript}`], {
    cwd: projectDir,
    maxBuffer: 32 << 20,
  });
}, 600_000);

async function typeCheck(name: string): Promise<{ code: number; output: string }> {
  const { files, tsconfig } = CASES[name];
  const dir = join(projectDir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'tsconfig.json'), tsconfig);
  try {
    const { stdout } = await run(join(projectDir, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, output: stdout };
  }
}

describe('typed rule options in eslint.config.ts, from the packed package', () => {
  for (const [name, { error }] of Object.entries(CASES)) {
    it(`${name}: ${error ? 'fails, naming the option' : 'type-checks'}`, async () => {
      const { code, output } = await typeCheck(name);
      if (error) {
        expect(code).not.toBe(0);
        expect(output).toMatch(error);
      } else {
        expect(output).toBe('');
        expect(code).toBe(0);
      }
    }, 120_000);
  }
});
