import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDirectory, writeProject } from '../helpers/scratch';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const scratch = scratchDirectory('deploy-safe-cli-');

async function deploySafe(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const project = (name: string, files: Record<string, string>): string => writeProject(scratch, name, files);

const FASTIFY_SERVER = "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n";

describe('deploy-safe command line errors', () => {
  it('rejects a missing directory', async () => {
    const result = await deploySafe('check', join(scratch, 'nope'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no such directory: ${join(scratch, 'nope')}`);
  });

  it('rejects a directory without package.json', async () => {
    const dir = join(scratch, 'no-package');
    mkdirSync(dir);
    const result = await deploySafe('fix', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no package.json');
  });

  it('rejects unknown options and commands with the usage', async () => {
    const unknownOption = await deploySafe('check', '--fix');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('unknown option "--fix" for check');
    expect(unknownOption.stderr).toContain('Usage:');
    const unknownCommand = await deploySafe('lint');
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "lint"');
    const badFormat = await deploySafe('check', '--format', 'xml');
    expect(badFormat.stderr).toContain('--format must be "text", "json" or "sarif"');
  });
});

describe('deploy-safe --help and --version', () => {
  it('prints the usage with the exit codes, and the version, exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const help = await deploySafe(flag);
      expect([help.code, help.stderr]).toEqual([0, '']);
      expect(help.stdout).toMatch(/^Usage:\n  deploy-safe check/);
      expect(help.stdout).toContain('Exit codes:\n  0  nothing to report');
    }
    expect((await deploySafe('fix', '--help')).stdout).toMatch(/^Usage:/);
    const version = await deploySafe('--version');
    expect([version.code, version.stdout]).toEqual([0, `${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`]);
  });
});

describe('deploy-safe check', () => {
  it('groups findings by rule with file:line, exits 1, and ignores node_modules and build output', async () => {
    const dir = project('check-text', {
      'src/server.ts': FASTIFY_SERVER,
      'node_modules/dep/index.js': FASTIFY_SERVER,
      'dist/server.js': FASTIFY_SERVER,
    });
    const result = await deploySafe('check', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('listen-requires-host  (1;');
    expect(result.stdout).toContain('src/server.ts:3:11  Fastify binds 127.0.0.1');
    expect(result.stdout).not.toContain('node_modules');
    expect(result.stdout).not.toContain('dist/server.js');
    expect(result.stdout).toMatch(/✖ 1 problem in 1 file \(1 rule\)/);
  });

  it("reports only its own findings: the project's directives for other plugins are not findings, and .eslintignore is read without ESLint's warning", async () => {
    const dir = project('check-directives', {
      'src/server.ts': `// eslint-disable-next-line @typescript-eslint/no-explicit-any\nconst handler = (x: any) => x;\n/* eslint-disable no-console */\n${FASTIFY_SERVER}`,
      '.eslintignore': 'generated/\n',
      'generated/server.ts': FASTIFY_SERVER,
    });
    const result = await deploySafe('check', dir, '--format=json');
    const report = JSON.parse(result.stdout) as { findings: { rule: string; file: string }[]; unparsable: unknown[] };
    expect(report.findings.map((finding) => `${finding.rule} ${finding.file}`)).toEqual(['listen-requires-host src/server.ts']);
    expect(report.unparsable).toEqual([]);
    expect(result.stderr).toBe('');
  });

  it('prints SARIF 2.1.0 for GitHub code scanning: one result per finding with its rule and place, parse failures as notifications', async () => {
    const dir = project('check-sarif', { 'src/server.ts': FASTIFY_SERVER, 'src/broken.ts': 'const = ;\n' });
    const result = await deploySafe('check', dir, '--format', 'sarif');
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as import('sarif').Log;
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe('eslint-plugin-deploy-safe');
    expect(run.tool.driver.rules?.map((rule) => rule.id)).toContain('deploy-safe/listen-requires-host');
    expect(run.tool.driver.rules?.find((rule) => rule.id === 'deploy-safe/listen-requires-host')?.helpUri).toMatch(/\/blob\/v\d+\.\d+\.\d+\/docs\/rules\/listen-requires-host\.md$/);
    expect(run.results).toEqual([
      expect.objectContaining({
        ruleId: 'deploy-safe/listen-requires-host',
        level: 'error',
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 11 } } }],
      }),
    ]);
    expect(run.tool.driver.rules?.[run.results![0].ruleIndex!]?.id).toBe('deploy-safe/listen-requires-host');
    expect(run.invocations?.[0].toolExecutionNotifications?.map((item) => item.message.text)).toEqual([expect.stringMatching(/^src\/broken\.ts:1: Parsing error/)]);
  });

  it('--concurrency: ESLint worker threads give exactly the findings of a single-threaded run', async () => {
    const files: Record<string, string> = { 'package.json': '{ "name": "svc", "private": true, "scripts": { "prestart": "prisma db push" } }\n' };
    for (let index = 0; index < 6; index++) files[`src/server-${index}.ts`] = FASTIFY_SERVER;
    const dir = project('check-concurrency', files);
    const single = await deploySafe('check', dir, '--format=json');
    const threaded = await deploySafe('check', dir, '--format=json', '--concurrency', '2');
    expect(threaded.code).toBe(1);
    expect(JSON.parse(threaded.stdout)).toEqual(JSON.parse(single.stdout));
    expect((JSON.parse(single.stdout) as { findings: unknown[] }).findings).toHaveLength(7);
    expect((await deploySafe('check', dir, '--concurrency', 'many')).stderr).toContain('--concurrency must be a positive number, "auto" or "off"');
  });

  it('prints JSON for CI', async () => {
    const dir = project('check-json', { 'src/server.ts': FASTIFY_SERVER, 'src/broken.ts': 'const = ;\n' });
    const result = await deploySafe('check', dir, '--format=json');
    const report = JSON.parse(result.stdout) as { findings: { rule: string; file: string; line: number; codemod: string }[]; unparsable: { file: string }[] };
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'listen-requires-host', file: 'src/server.ts', line: 3, codemod: 'listen-requires-host' })]);
    expect(report.unparsable.map((item) => item.file)).toEqual(['src/broken.ts']);
  });

  it('names a dangling symlink and an unreadable file, and checks the rest', async () => {
    const dir = project('check-unreadable', { 'src/server.ts': FASTIFY_SERVER, 'src/locked.ts': FASTIFY_SERVER });
    symlinkSync(join(dir, 'src', 'gone.ts'), join(dir, 'src', 'dangling.ts'));
    chmodSync(join(dir, 'src', 'locked.ts'), 0o000);
    const result = await deploySafe('check', dir, '--format=json');
    chmodSync(join(dir, 'src', 'locked.ts'), 0o644);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: { file: string }[]; unparsable: { rule: string; file: string; message: string }[] };
    expect(report.unparsable).toContainEqual(expect.objectContaining({ rule: 'unreadable', file: 'src/dangling.ts', message: 'a symbolic link to a file that does not exist' }));
    // root reads a mode-000 file anyway: then it is simply checked
    const lockedIsReadable = process.getuid?.() === 0;
    if (!lockedIsReadable) expect(report.unparsable).toContainEqual(expect.objectContaining({ rule: 'unreadable', file: 'src/locked.ts', message: 'cannot be read (EACCES)' }));
    expect(report.findings.map((finding) => finding.file)).toEqual(lockedIsReadable ? ['src/locked.ts', 'src/server.ts'] : ['src/server.ts']);
  });

  it('exits 0 on a clean project', async () => {
    const dir = project('check-clean', { 'src/index.ts': 'export const answer = 42;\n' });
    const result = await deploySafe('check', dir);
    expect(result.code).toBe(0);
    // package.json is linted too (no-db-push-script, listen-requires-host)
    expect(result.stdout).toContain('✔ no problems in 2 files');
  });
});

describe('deploy-safe fix', () => {
  it('--dry-run prints a unified diff and writes nothing', async () => {
    const dir = project('fix-dry', { 'src/server.ts': FASTIFY_SERVER });
    const result = await deploySafe('fix', dir, '--dry-run');
    expect(result.stdout).toContain('--- a/src/server.ts\n+++ b/src/server.ts');
    expect(result.stdout).toContain("+await app.listen({ port: 3000, host: process.env.HOST ?? '0.0.0.0' });");
    // package.json goes to listen-requires-host too (Vite servers started by a script), skipped unread
    expect(result.stdout).toMatch(/listen-requires-host\s+1 changed, 0 unchanged, 1 skipped, 0 failed/);
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(FASTIFY_SERVER);
    expect(result.code).toBe(0);
  });

  it('rewrites, lists files that do not parse without touching them, and checks again', async () => {
    const broken = 'app.listen(3000\nconst = ;\n';
    const dir = project('fix-write', { 'src/server.ts': FASTIFY_SERVER, 'src/broken.ts': broken, 'src/util.ts': 'export {};\n' });
    const result = await deploySafe('fix', dir);
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toContain("host: process.env.HOST ?? '0.0.0.0'");
    expect(readFileSync(join(dir, 'src/broken.ts'), 'utf8')).toBe(broken);
    expect(result.stdout).toContain('files that do not parse (left untouched):\n  src/broken.ts:');
    expect(result.stdout).toContain('check after the fix:');
    expect(result.stdout).toContain('✔ no problems');
  });

  it('the bundled example: check finds problems, fix --dry-run leaves the example untouched', async () => {
    const dir = join(scratch, 'example');
    cpSync(join(root, 'example'), dir, { recursive: true });
    const before = readFileSync(join(dir, 'src/server.ts'), 'utf8');
    expect((await deploySafe('check', dir)).code).toBe(1);
    await deploySafe('fix', dir, '--dry-run');
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toBe(before);
  });
});
