import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDirectory } from '../helpers/scratch';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const workDir = scratchDirectory('deploy-safe-pack-');

const SERVER = "import Fastify from 'fastify';\n\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n";
const FIXED = "import Fastify from 'fastify';\n\nconst app = Fastify();\nawait app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });\n";

interface Project {
  eslint: string;
  files: Record<string, string>;
}

const projects: Record<string, Project> = {
  'eslint-10-flat': {
    eslint: 'eslint@10',
    files: { 'eslint.config.mjs': "import deploySafe from 'eslint-plugin-deploy-safe';\nexport default deploySafe.configs.recommended;\n" },
  },
  'eslint-9-flat': {
    eslint: 'eslint@9',
    files: { 'eslint.config.js': "module.exports = require('eslint-plugin-deploy-safe').configs.recommended;\n" },
  },
  'eslint-8-eslintrc': {
    eslint: 'eslint@8.57.1',
    files: { '.eslintrc.json': JSON.stringify({ root: true, extends: ['plugin:deploy-safe/legacy-recommended'] }) },
  },
};

let tarball = '';

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: root, maxBuffer: 32 << 20 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  tarball = join(workDir, packed.filename);
  await Promise.all(
    Object.entries(projects).map(async ([name, project]) => {
      const dir = join(workDir, name);
      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, version: '1.0.0' }));
      writeFileSync(join(dir, 'src', 'server.ts'), SERVER);
      for (const [file, content] of Object.entries(project.files)) writeFileSync(join(dir, file), content);
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, project.eslint, 'jscodeshift@~17.4.0'], {
        cwd: dir,
        maxBuffer: 32 << 20,
      });
    }),
  );
}, 600_000);

async function eslintFindings(dir: string): Promise<string[]> {
  try {
    await run('npx', ['eslint', '--format', 'json', 'src/server.ts'], { cwd: dir });
    return [];
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    if (!stdout.startsWith('[')) throw new Error(`eslint failed: ${stderr}`);
    const [result] = JSON.parse(stdout) as { messages: { ruleId: string; line: number }[] }[];
    return result.messages.map((message) => `${message.ruleId}:${message.line}`);
  }
}

describe('the packed package, installed into a fresh project', () => {
  it('ships the built plugin, codemods and docs only', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/dist/src/index.js');
    expect(files).toContain('package/dist/codemods/listen-requires-host.js');
    expect(files).toContain('package/docs/rules/listen-requires-host.md');
    expect(files).toContain('package/oxlint/recommended.json');
    expect(files.filter((file) => file.startsWith('package/test/') || file.startsWith('package/src/'))).toEqual([]);
  });

  for (const name of Object.keys(projects)) {
    it(`${name}: reports the loopback-default listen`, async () => {
      expect(await eslintFindings(join(workDir, name))).toEqual(['deploy-safe/listen-requires-host:4']);
    }, 120_000);
  }

  it('the codemod runs from the installed package with the README command, then ESLint is clean', async () => {
    const dir = join(workDir, 'eslint-10-flat');
    const codemod = 'node_modules/eslint-plugin-deploy-safe/dist/codemods/listen-requires-host.js';
    const preview = await run('npx', ['jscodeshift', '--no-babel', '--dry', '--print', '-t', codemod, 'src/'], { cwd: dir });
    expect(preview.stdout).toContain("host: process.env.HOST ?? '0.0.0.0'");
    expect(readFileSync(join(dir, 'src', 'server.ts'), 'utf8')).toBe(SERVER);

    const { stdout } = await run('npx', ['jscodeshift', '--no-babel', '-t', codemod, 'src/'], { cwd: dir });
    expect(stdout).toMatch(/1 ok/);
    expect(readFileSync(join(dir, 'src', 'server.ts'), 'utf8')).toBe(FIXED);
    expect(await eslintFindings(dir)).toEqual([]);
  }, 120_000);

  it('every codemod command in the README runs as written and rewrites the bundled example', async () => {
    const dir = join(workDir, 'readme-commands');
    cpSync(join(root, 'example'), dir, { recursive: true, filter: (source) => !source.includes('node_modules') });
    symlinkSync(join(workDir, 'eslint-10-flat', 'node_modules'), join(dir, 'node_modules'), 'dir');
    // The example is an Express service; a Vite preview started from the Procfile gives the
    // deploy-file command of listen-requires-host something to rewrite.
    writeFileSync(join(dir, 'Procfile'), 'web: vite preview --port $PORT\n');
    // And a Dockerfile that starts the service through npm, for the container-start codemod.
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/^\| `([a-z-]+)`[^|]*\| `(npx jscodeshift [^`]+)`/gm)].map(([, rule, command]) => ({ rule, command }));
    expect([...new Set(commands.map(({ rule }) => rule))].sort()).toEqual(readdirSync(join(root, 'src', 'rules')).filter((file) => file !== 'index.ts').map((file) => file.replace(/\.ts$/, '')).sort());
    const outcomes: string[] = [];
    for (const { rule, command } of commands) {
      const { stdout } = await run('sh', ['-c', command], { cwd: dir, maxBuffer: 32 << 20 });
      const ok = Number(/(\d+) ok/.exec(stdout)?.[1] ?? 0);
      const errors = Number(/(\d+) errors/.exec(stdout)?.[1] ?? -1);
      outcomes.push(`${rule}: ${ok > 0 ? 'rewrote files' : 'rewrote nothing'}, ${errors} errors`);
    }
    expect(outcomes).toEqual(commands.map(({ rule }) => `${rule}: rewrote files, 0 errors`));
    expect(readFileSync(join(dir, 'Procfile'), 'utf8')).toBe('web: vite preview --port $PORT --host\n');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/^CMD \["node", "[^"]+"\]$/m);
    expect(readFileSync(join(dir, 'src', 'config', 'database.ts'), 'utf8')).toContain('connectionTimeoutMillis');
    // The migration moved to Railway's release step, out of every instance's start.
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).not.toContain('db push');
    expect(readFileSync(join(dir, 'railway.json'), 'utf8')).toMatch(/"preDeployCommand": \[?"(?:npx )?prisma migrate deploy"/);
  }, 300_000);
});
