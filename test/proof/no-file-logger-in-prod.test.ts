import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/no-file-logger-in-prod';
import rule from '../../src/rules/no-file-logger-in-prod';
import { CLEANUP_TIMEOUT_MS, removeQuietly } from '../helpers/scratch';
import { copyPackageClosure } from '../helpers/package-closure';
import { lintWithRule, runCodemod } from '../helpers/run-codemod';

/**
 * The seed's winston logger (`src/utils/logger.ts`: File transports under `logs/`, Console only
 * outside production) and the codemod's rewrite of it, each started the way a container starts it:
 * NODE_ENV=production, a non-root user, a working directory it cannot write to.
 */
const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures', 'no-file-logger-in-prod');
const originalSource = readFileSync(join(fixtures, 'logger.ts'), 'utf8');
const mainSource = readFileSync(join(fixtures, 'main.ts'), 'utf8');

/** How to run a command as a user that file permissions apply to; undefined (with the reason) when we cannot. */
function findUnprivilegedRunner(): { prefix: string[] } | { skip: string } {
  if (typeof process.getuid !== 'function') return { skip: 'no POSIX users on this platform' };
  // Permissions apply to every user but root: a non-root test runner proves it as itself.
  if (process.getuid() !== 0) return { prefix: [] };
  const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  if (nobody.status !== 0) return { skip: 'running as root and there is no `nobody` user to drop to' };
  const setpriv = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true']);
  if (setpriv.status === 0) return { prefix: ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] };
  const setprivNobodyGroup = spawnSync('setpriv', ['--reuid=nobody', '--regid=nobody', '--clear-groups', 'true']);
  if (setprivNobodyGroup.status === 0) return { prefix: ['setpriv', '--reuid=nobody', '--regid=nobody', '--clear-groups'] };
  return { skip: 'running as root and `setpriv` (util-linux) cannot drop to `nobody` here' };
}

const runner = findUnprivilegedRunner();
const skipReason = 'skip' in runner ? runner.skip : undefined;
if (skipReason) console.warn(`[no-file-logger-in-prod proof] SKIPPED: ${skipReason}`);

function toCommonJs(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const workDir = mkdtempSync(join(tmpdir(), 'deploy-safe-logs-'));
/** Apps that run against winston 2: its own `node_modules/winston` (the `winston2` alias) shadows the shared winston 3. */
const winston2Dir = join(workDir, 'winston2');
let rewrittenSource = '';

/** A read-only app directory owned by root (mode 555) holding the compiled logger; winston is in `workDir/node_modules`. */
function makeApp(name: string, loggerSource: string, mode = 0o555, parent = workDir): string {
  const app = join(parent, name);
  mkdirSync(app);
  writeFileSync(join(app, 'logger.js'), toCommonJs(loggerSource));
  writeFileSync(join(app, 'main.js'), toCommonJs(mainSource));
  chmodSync(app, mode);
  return app;
}

function start(app: string, env: Record<string, string> = {}): Run {
  const prefix = 'prefix' in runner ? runner.prefix : [];
  const [command, ...args] = [...prefix, process.execPath, 'main.js'];
  const result = spawnSync(command, args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', HOME: '/nonexistent', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let original: Run;
let originalOnWritableDisk: Run;
let rewritten: Run;

beforeAll(async () => {
  // mkdtemp makes a 700 directory; the unprivileged user must be able to enter it (not write to it).
  chmodSync(workDir, 0o755);
  // A copy, not a link to the repository's node_modules: the checkout may sit where `nobody` cannot go.
  // `concat-map`: needed by the brace-expansion 1 nested under bunyan's optional `mv` (its `rotating-file`
  // stream), which the closure walk resolves to the hoisted brace-expansion 2; without it bunyan reports `mv` missing.
  copyPackageClosure(['winston', 'pino', 'bunyan', 'log4js', 'concat-map'], root, workDir);
  copyPackageClosure(['winston2'], root, winston2Dir);
  renameSync(join(winston2Dir, 'node_modules', 'winston2'), join(winston2Dir, 'node_modules', 'winston'));
  chmodSync(winston2Dir, 0o755);
  expect((JSON.parse(readFileSync(join(winston2Dir, 'node_modules', 'winston', 'package.json'), 'utf8')) as { version: string }).version).toMatch(/^2\./);
  // nest-winston's `WinstonModule.forRoot(options)` is `winston.createLogger(options)` (its logger provider); a stub does just that.
  mkdirSync(join(workDir, 'node_modules', 'nest-winston'));
  writeFileSync(join(workDir, 'node_modules', 'nest-winston', 'package.json'), '{ "name": "nest-winston", "main": "index.js" }\n');
  writeFileSync(
    join(workDir, 'node_modules', 'nest-winston', 'index.js'),
    "exports.WinstonModule = { forRoot: (options) => require('winston').createLogger(options) };\n",
  );
  const run = await runCodemod(transform, originalSource, 'src/utils/logger.ts');
  expect(run.changed).toBe(true);
  expect(run.reports).toEqual([]);
  rewrittenSource = run.output;
  if (skipReason) return;
  original = start(makeApp('original', originalSource));
  rewritten = start(makeApp('rewritten', rewrittenSource));
  // The same seed logger where the disk is writable (and ephemeral): it starts, and logs nothing the platform sees.
  originalOnWritableDisk = start(makeApp('writable', originalSource, 0o777));
}, 60_000);

afterAll(() => {
  for (const directory of [workDir, winston2Dir]) {
    for (const name of existsSync(directory) ? readdirSync(directory) : []) if (name !== 'node_modules') chmodSync(join(directory, name), 0o755);
  }
  return removeQuietly(workDir);
}, CLEANUP_TIMEOUT_MS);

describe('the rule on the seed logger', () => {
  it('reports both file transports and the production-less Console, and nothing after the codemod', () => {
    const before = lintWithRule('no-file-logger-in-prod', rule, originalSource, 'src/utils/logger.ts');
    expect(before.map((message) => [message.line, message.messageId])).toEqual([
      [15, 'winstonFileTransport'],
      [17, 'winstonFileTransport'],
      [24, 'consoleOnlyOutsideProduction'],
    ]);
    expect(lintWithRule('no-file-logger-in-prod', rule, rewrittenSource, 'src/utils/logger.ts')).toEqual([]);
  });
});

describe.skipIf(skipReason !== undefined)('in a read-only directory as a non-root user, NODE_ENV=production', () => {
  it('the seed logger kills the process at start: EACCES creating logs/', () => {
    expect(original.status).toBe(1);
    expect(original.stderr).toMatch(/EACCES: permission denied, mkdir 'logs'/);
    expect(original.stdout).toBe('');
  });

  it('on a writable disk the seed logger starts but production stdout is empty: the lines go to logs/', () => {
    expect(originalOnWritableDisk.status).toBe(0);
    expect(originalOnWritableDisk.stdout).toBe('');
    expect(originalOnWritableDisk.stderr).toBe('');
    const combined = readFileSync(join(workDir, 'writable', 'logs', 'combined.log'), 'utf8').trim().split('\n');
    expect(combined.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'Server running',
      'Health check slow',
      'Database unreachable',
    ]);
  });

  it('the rewritten logger starts and its lines reach stdout as JSON (errors on stderr)', () => {
    expect(rewritten.status, rewritten.stderr).toBe(0);
    const stdout = rewritten.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stdout.map((entry) => [entry.level, entry.message])).toEqual([
      ['info', 'Server running'],
      ['warn', 'Health check slow'],
    ]);
    expect(stdout[0]).toMatchObject({ port: 3000, service: 'materni-love-api' });
    expect(typeof stdout[0].timestamp).toBe('string');
    const stderr = rewritten.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stderr).toEqual([expect.objectContaining({ level: 'error', message: 'Database unreachable', code: 'ECONNRESET' })]);
  });

  it('writes nothing to disk', () => {
    expect(existsSync(join(workDir, 'rewritten', 'logs'))).toBe(false);
  });
});

/**
 * The other logger shapes the codemod rewrites, each as a service starts it in a container: the
 * original crashes or writes files, the rewrite starts and logs on stdout, and nothing is written (the
 * directory is read-only, and no `logs/` appears). winston, pino and bunyan write JSON lines; the log4js
 * rewrite writes its `basic` layout (log4js has no JSON layout without `addLayout`), without colour codes.
 */
type Lines = 'json' | 'log4js-basic' | 'winston2-text';
/**
 * `winston: 2` runs the shape against winston 2, whose File transport swallows the EACCES: the original
 * starts and exits 0 with no output at all (its lines are lost), and on a writable disk writes the file.
 */
const SHAPES: { file: string; env?: Record<string, string>; lines?: Lines; winston?: 2 }[] = [
  { file: 'nest-winston.ts' },
  { file: 'pino-multistream.ts' },
  { file: 'pino-file-resolve.ts' },
  { file: 'required-env-guard.ts', env: { JWT_SECRET: 'set-in-production' } },
  { file: 'bunyan-streams.ts' },
  { file: 'bunyan-add-stream.ts' },
  { file: 'log4js-configure.ts', lines: 'log4js-basic' },
  { file: 'winston2-default.ts', lines: 'winston2-text', winston: 2 },
];

/**
 * The messages of stdout's lines: JSON lines' `message`/`msg`, log4js's `[time] [LEVEL] category - message`,
 * or winston 2's default Console `level: message key=value`.
 */
function stdoutMessages(stdout: string, lines: Lines): string[] {
  const rows = stdout.trim().split('\n');
  if (lines === 'winston2-text') {
    return rows.map((row) => {
      const match = /^(?:info|warn): (.*?)(?: \w+=\S+)*$/.exec(row);
      expect(match, row).not.toBeNull();
      return match![1];
    });
  }
  if (lines === 'log4js-basic') {
    return rows.map((row) => {
      expect(row, 'no ANSI colour codes').not.toContain('\u001b[');
      const match = /^\[[^\]]+\] \[(?:INFO|WARN|ERROR)\] \w+ - (.*)$/.exec(row);
      expect(match, row).not.toBeNull();
      return match![1];
    });
  }
  return rows.map((row) => {
    const entry = JSON.parse(row) as Record<string, unknown>;
    return String(entry.message ?? entry.msg);
  });
}

describe.skipIf(skipReason !== undefined)('every rewritten logger shape, read-only directory, non-root, NODE_ENV=production', () => {
  for (const { file, env, lines = 'json', winston } of SHAPES) {
    it(`${file}: the rewrite starts, logs ${lines === 'json' ? 'JSON lines' : 'plain lines'} to stdout and writes nothing`, async () => {
      const source = readFileSync(join(fixtures, 'shapes', file), 'utf8');
      const run = await runCodemod(transform, source, `src/${file}`);
      expect(run.reports).toEqual([]);
      expect(run.changed).toBe(true);
      expect(lintWithRule('no-file-logger-in-prod', rule, source, `src/${file}`).length).toBeGreaterThan(0);
      expect(lintWithRule('no-file-logger-in-prod', rule, run.output, `src/${file}`)).toEqual([]);
      const name = file.replace(/\.ts$/, '');
      const parent = winston === 2 ? winston2Dir : workDir;
      const before = start(makeApp(`${name}-original`, source, 0o555, parent), env);
      const after = start(makeApp(`${name}-rewritten`, run.output, 0o555, parent), env);
      if (winston === 2) {
        // winston 2 swallows the EACCES: the service starts, and nothing it logs reaches stdout, stderr or a file.
        expect(before.status, before.stderr).toBe(0);
        expect(before.stdout + before.stderr).toBe('');
        expect(readdirSync(join(parent, `${name}-original`)).sort()).toEqual(['logger.js', 'main.js']);
        // Where it can write, the lines go to the file instead.
        const writable = start(makeApp(`${name}-writable`, source, 0o777, parent), env);
        expect(writable.status, writable.stderr).toBe(0);
        expect(writable.stdout + writable.stderr).toBe('');
        const written = readFileSync(join(parent, `${name}-writable`, 'app.log'), 'utf8').trim().split('\n');
        expect(written.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['Server running', 'Health check slow', 'Database unreachable']);
        // The rewrite is winston 2's default Console: errors on stderr.
        expect(after.stderr.trim()).toMatch(/^error: Database unreachable/);
      } else {
        // The original cannot open its file here: it dies at start or loses what it logs there (and for that
        // reason, not another: a missing optional module once passed for it).
        expect(/EACCES|ENOENT/.test(before.stderr), `${file} before: ${before.stderr}`).toBe(true);
      }
      expect(after.status, after.stderr).toBe(0);
      // bunyan and log4js format `info('Server running', { port: 3000 })` as one message: `Server running { port: 3000 }`.
      const messages = stdoutMessages(after.stdout, lines).map((message) => message.replace(/ \{.*\}$/, ''));
      expect(messages).toEqual(expect.arrayContaining(['Server running', 'Health check slow']));
      expect(existsSync(join(parent, `${name}-rewritten`, 'logs'))).toBe(false);
      expect(readdirSync(join(parent, `${name}-rewritten`)).sort()).toEqual(['logger.js', 'main.js']);
    }, 60_000);
  }
});
