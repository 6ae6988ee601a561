/**
 * `deploy-safe check` with oxlint for the code files (`--engine auto`, the default, where the project
 * has oxlint installed) prints exactly what the ESLint path prints: same findings, order, messages,
 * message ids, columns and parse errors, in every format; and falls back to ESLint, saying so in one
 * line, when oxlint cannot be used. The project's oxlint is a stand-in package that notes each run
 * and then runs the real oxlint (from this repository's node_modules), so a test can tell which
 * engine linted the code.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDirectory, writeProject } from '../helpers/scratch';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const realOxlint = join(root, 'node_modules', 'oxlint');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function deploySafe(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as Run;
    return { code, stdout, stderr };
  }
}

/**
 * An `oxlint` package in the project's node_modules: `runs.log` gets a line per run with the files it
 * was given; then it runs the real oxlint, or with `broken`, fails as an oxlint that cannot start would.
 */
function installOxlint(dir: string, { broken = false } = {}): string {
  const packageDir = join(dir, 'node_modules', 'oxlint');
  mkdirSync(join(packageDir, 'bin'), { recursive: true });
  const { version } = JSON.parse(readFileSync(join(realOxlint, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'oxlint', version, bin: { oxlint: 'bin/oxlint.cjs' } }));
  const log = join(packageDir, 'runs.log');
  writeFileSync(
    join(packageDir, 'bin', 'oxlint.cjs'),
    [
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).filter((a) => a.startsWith('./')).join(' ') + '\\n');`,
      broken
        ? `process.stderr.write('Failed to load JS plugin: boom\\n'); process.exit(2);`
        : `import(require('node:url').pathToFileURL(${JSON.stringify(join(realOxlint, 'dist', 'cli.js'))}).href);`,
    ].join('\n'),
  );
  return log;
}

const runs = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

function copyExample(name: string): string {
  const dir = join(scratchDirectory('deploy-safe-oxlint-check-'), name);
  cpSync(join(root, 'example'), dir, { recursive: true });
  return dir;
}

describe('deploy-safe check with oxlint installed', () => {
  it('prints the same JSON, text and SARIF for the bundled example as without oxlint, having linted its code with oxlint', async () => {
    const withOxlint = copyExample('example');
    const withoutOxlint = copyExample('example');
    const log = installOxlint(withOxlint);
    for (const format of ['json', 'text', 'sarif']) {
      const viaEslint = await deploySafe('check', withoutOxlint, '--format', format);
      const viaOxlint = await deploySafe('check', withOxlint, '--format', format);
      expect(viaEslint.code).toBe(1);
      expect(viaOxlint.code).toBe(viaEslint.code);
      expect(viaOxlint.stderr).toBe('');
      expect(viaOxlint.stdout.split(withOxlint).join('<dir>')).toBe(viaEslint.stdout.split(withoutOxlint).join('<dir>'));
    }
    // Three runs of oxlint, each given the example's code files and nothing else.
    expect(runs(log)).toHaveLength(3);
    expect(runs(log)[0].split(' ').sort()).toEqual(['./prisma.config.ts', './prisma/seed.ts', './src/config/database.ts', './src/routes/reports.ts', './src/server.ts', './src/services/auth.service.ts', './src/utils/logger.ts']);
    const json = JSON.parse((await deploySafe('check', withOxlint, '--format', 'json')).stdout) as { findings: { rule: string; messageId?: string }[] };
    expect(json.findings.length).toBeGreaterThan(10);
    for (const finding of json.findings) expect(finding.messageId).toMatch(/^[a-z][A-Za-z]+$/);
  });

  it('gives the same output as ESLint on columns after non-ASCII text, a BOM, CRLF, parse errors, disable comments and ESLint config comments', async () => {
    const files: Record<string, string> = {
      'package.json': '{ "name": "svc", "private": true, "dependencies": { "express": "^5.0.0" } }\n',
      '.gitignore': 'generated/\n',
      'src/accents.ts': 'import express from "express";\nconst app = express(); const label = "café 😀 ü"; app.listen(3000);\n',
      'src/bom.ts': '\uFEFFimport express from "express"; const app = express(); app.listen(3000);\n',
      'src/crlf.ts': 'import express from "express";\r\nconst app = express();\r\n\r\napp.listen(3000);\r\n',
      'src/broken.ts': 'const x = ;\n',
      'src/disabled.ts': [
        'import express from "express";',
        'const app = express();',
        'app.listen(3000); // eslint-disable-line deploy-safe/listen-requires-host',
        '// eslint-disable-next-line deploy-safe/listen-requires-host',
        'app.listen(3001);',
        '/* eslint-disable deploy-safe/listen-requires-host */',
        'app.listen(3002);',
        '/* eslint-enable deploy-safe/listen-requires-host */',
        'app.listen(3003);',
        '',
      ].join('\n'),
      'src/inline-config.ts': '/* eslint deploy-safe/listen-requires-host: "off" */\nimport express from "express";\nexport const app = express();\napp.listen(3000);\n',
      'src/eslint-env.js': '/* eslint-env node */\nconst express = require("express");\nexpress().listen(3000);\n',
      'generated/server.ts': 'import express from "express";\nexpress().listen(3000);\n',
      'src/component.vue': '<script setup lang="ts">\nimport express from "express";\nexpress().listen(3000);\n</script>\n',
    };
    const scratch = scratchDirectory('deploy-safe-oxlint-edge-');
    const withOxlint = writeProject(scratch, 'with', files);
    const withoutOxlint = writeProject(scratch, 'without', files);
    const log = installOxlint(withOxlint);
    const viaEslint = await deploySafe('check', withoutOxlint, '--format', 'json');
    const viaOxlint = await deploySafe('check', withOxlint, '--format', 'json');
    expect(runs(log)).toHaveLength(1);
    expect(viaOxlint.stdout.split(withOxlint).join('<dir>')).toBe(viaEslint.stdout.split(withoutOxlint).join('<dir>'));
    const result = JSON.parse(viaOxlint.stdout) as { findings: { file: string; line: number; column: number }[]; unparsable: { file: string; message: string }[] };
    // What ESLint says for these files, so that the comparison covers each case.
    expect(result.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}`)).toEqual([
      // UTF-16 code units, as ESLint counts: oxlint's own JSON says 59 (UTF-8 bytes).
      'src/accents.ts:2:55',
      'src/bom.ts:1:59',
      'src/crlf.ts:4:5',
      'src/disabled.ts:9:5',
      'src/eslint-env.js:3:11',
    ]);
    expect(result.unparsable.map((item) => `${item.file} ${item.message}`)).toEqual(['src/broken.ts Parsing error: Expression expected.', 'src/eslint-env.js /* eslint-env */ comments are no longer supported.']);
    // The files with ESLint config comments and the one oxlint cannot parse are ESLint's; oxlint got the rest.
    expect(runs(log)[0].split(' ').sort()).toEqual(['./src/accents.ts', './src/bom.ts', './src/broken.ts', './src/crlf.ts', './src/disabled.ts']);
    // And the findings in those files are oxlint's: only the file it cannot parse goes back to ESLint.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built module, whose oxlint-plugin.js oxlint loads
    const oxlint = require(join(root, 'dist', 'src', 'cli', 'oxlint.js')) as typeof import('../../src/cli/oxlint');
    const lint = await oxlint.lintWithOxlint(withOxlint, ['src/accents.ts', 'src/bom.ts', 'src/broken.ts', 'src/crlf.ts', 'src/disabled.ts'], join(realOxlint, 'bin', 'oxlint'));
    expect(lint.toEslint).toEqual(['src/broken.ts']);
    expect([...lint.messages].map(([file, messages]) => [file, messages.map((m) => `${m.ruleId} ${m.messageId} ${m.line}:${m.column}`)])).toEqual([
      ['src/accents.ts', ['deploy-safe/listen-requires-host missingHostNodeDefault 2:55']],
      ['src/bom.ts', ['deploy-safe/listen-requires-host missingHostNodeDefault 1:59']],
      ['src/crlf.ts', ['deploy-safe/listen-requires-host missingHostNodeDefault 4:5']],
      ['src/disabled.ts', ['deploy-safe/listen-requires-host missingHostNodeDefault 9:5']],
    ]);
  });

  it('falls back to ESLint with a one-line note when oxlint fails, and prints the same findings', async () => {
    const withBroken = copyExample('example');
    const plain = copyExample('example');
    const log = installOxlint(withBroken, { broken: true });
    const viaEslint = await deploySafe('check', plain, '--format', 'json');
    const fallback = await deploySafe('check', withBroken, '--format', 'json');
    expect(runs(log)).toHaveLength(1);
    expect(fallback.code).toBe(1);
    expect(fallback.stderr).toBe('deploy-safe: oxlint failed (Failed to load JS plugin: boom); the code was checked with ESLint\n');
    expect(fallback.stdout.split(withBroken).join('<dir>')).toBe(viaEslint.stdout.split(plain).join('<dir>'));
  });

  it('--engine eslint leaves an installed oxlint alone; --engine oxlint without one says so and uses ESLint', async () => {
    const withOxlint = copyExample('example');
    const log = installOxlint(withOxlint);
    const viaEslint = await deploySafe('check', withOxlint, '--engine', 'eslint', '--format', 'json');
    expect(viaEslint.code).toBe(1);
    expect(runs(log)).toEqual([]);
    const plain = copyExample('example');
    const asked = await deploySafe('check', plain, '--engine=oxlint', '--format', 'json');
    expect(asked.stderr).toBe(`deploy-safe: oxlint is not installed in ${plain}; the code was checked with ESLint\n`);
    expect(asked.stdout.split(plain).join('<dir>')).toBe(viaEslint.stdout.split(withOxlint).join('<dir>'));
    const bad = await deploySafe('check', plain, '--engine', 'biome');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--engine must be "auto", "eslint" or "oxlint", not "biome"');
  });
});
