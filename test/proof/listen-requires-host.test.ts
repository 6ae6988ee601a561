import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/listen-requires-host';
import { runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';

/**
 * The codemod's `listen` rewrites, held to what they claim: each one type-checks under `strict: true`
 * against the frameworks' own types, and each one binds where it should when started for real, with
 * `HOST` unset (Node-default servers: Node's default, `::`; Fastify: the fallback host) and set.
 */
const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const codemodFixtures = join(root, 'test', 'codemods', '__testfixtures__', 'listen-requires-host');
const servers = join(__dirname, 'fixtures', 'listen-requires-host');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Diagnostics of a strict program over `files`, except unresolved relative imports (`./app.module`: the fixture's own app). */
function strictDiagnostics(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    skipLibCheck: true,
    allowJs: true,
    checkJs: true,
    types: ['node'],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => !(diagnostic.code === 2307 && /Cannot find module '\.\.?\//.test(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))))
    .map((diagnostic) => {
      const where = diagnostic.file ? `${diagnostic.file.fileName.slice(root.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : '';
      return `${where} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
}

describe('listen-requires-host rewrites type-check against the frameworks’ own types (strict)', () => {
  const outputs = readdirSync(codemodFixtures).filter((name) => /\.output\.(?:ts|mts|cts|mjs|cjs|js)$/.test(name));

  it('every codemod fixture output', () => {
    expect(outputs.length).toBeGreaterThan(5);
    expect(strictDiagnostics(outputs.map((name) => join(codemodFixtures, name)))).toEqual([]);
  }, 60_000);

  it('the Nest rewrite it replaced, `app.listen(port, process.env.HOST)`, does not (TS2769)', () => {
    const work = scratchDirectory('deploy-safe-listen-types-');
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    const file = join(work, 'main.ts');
    const source = readFileSync(join(codemodFixtures, 'nest-main.output.ts'), 'utf8');
    writeFileSync(file, source.replace("process.env.HOST ?? ''", 'process.env.HOST'));
    expect(strictDiagnostics([file]).join('\n')).toMatch(/TS2769: No overload matches this call/);
  }, 60_000);
});

interface Bound {
  address: string;
  family: string;
}

/** Each proof server: its file, and where its rewrite must bind with `HOST` unset ('node' = Node's own default here). */
const CASES: { file: string; framework: string; unset: 'node' | '0.0.0.0'; before?: 'node' }[] = [
  { file: 'node-http.cjs', framework: 'node:http, `HOST || localhost`', unset: 'node' },
  { file: 'express.cjs', framework: 'Express 5, `const HOST = HOST || localhost`', unset: 'node' },
  { file: 'express-missing.ts', framework: 'Express 5, no host', unset: 'node', before: 'node' },
  { file: 'koa.cjs', framework: 'Koa 3, `HOST ?? 127.0.0.1`', unset: 'node' },
  { file: 'hapi.cjs', framework: 'Hapi 21, `HOSTNAME || localhost`', unset: 'node' },
  { file: 'fastify.mjs', framework: 'Fastify 5, `HOST ?? 127.0.0.1`', unset: '0.0.0.0' },
  { file: 'fastify-missing.ts', framework: 'Fastify 5, no host', unset: '0.0.0.0' },
  { file: 'fastify-env-only.mjs', framework: 'Fastify 5, bare `HOST`', unset: '0.0.0.0' },
  { file: 'nest-express.ts', framework: 'NestJS 11 on Express, `HOST || localhost`', unset: 'node' },
  { file: 'nest-fastify.ts', framework: 'NestJS 11 on FastifyAdapter, no host', unset: '0.0.0.0' },
  { file: 'hono-missing.ts', framework: 'Hono 4 on @hono/node-server 2, no hostname', unset: 'node', before: 'node' },
];

describe('listen-requires-host rewrites bind where they should', () => {
  const work = scratchDirectory('deploy-safe-listen-');
  let nodeDefault = '';
  const rewritten = new Map<string, string>();

  beforeAll(async () => {
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    copyFileSync(join(servers, 'report-address.cjs'), join(work, 'report-address.cjs'));
    for (const { file } of CASES) {
      const source = readFileSync(join(servers, file), 'utf8');
      const run = await runCodemod(transform, source, `src/${file}`);
      expect(run.changed, `${file} is rewritten`).toBe(true);
      rewritten.set(file, run.output);
      writeFileSync(join(work, `before-${file}`), source);
      writeFileSync(join(work, `after-${file}`), run.output);
    }
    // `::` where the machine has IPv6, else `0.0.0.0`: what Node binds with no host, measured here.
    nodeDefault = (await bind('node-default.cjs', {}, "require('node:http').createServer().listen(0);\n")).address;
  });

  async function bind(file: string, env: Record<string, string>, source?: string): Promise<Bound> {
    if (source !== undefined) writeFileSync(join(work, file), source);
    const { HOST: _host, HOSTNAME: _hostname, ...inherited } = process.env;
    const { stdout } = await execFileAsync(tsx, ['--require', './report-address.cjs', file], {
      cwd: work,
      env: { ...inherited, PORT: '0', NODE_ENV: 'production', ...env },
      timeout: 60_000,
    });
    const line = stdout.split('\n').find((text) => text.startsWith('BOUND '));
    if (!line) throw new Error(`${file} printed no bound address:\n${stdout}`);
    return JSON.parse(line.slice('BOUND '.length)) as Bound;
  }

  it('the proof type-checks its servers’ rewrites too', () => {
    const files = CASES.filter(({ file }) => file.endsWith('.ts')).map(({ file }) => join(work, `after-${file}`));
    expect(strictDiagnostics(files)).toEqual([]);
  }, 60_000);

  for (const { file, framework, unset, before: unchanged } of CASES) {
    it(`${framework}: ${unchanged ? "Node's default" : 'loopback'} before; with HOST unset ${unset === 'node' ? "Node's default" : unset} after; HOST after`, async () => {
      // Docker and Kubernetes set HOSTNAME to the container's name; here it names loopback.
      const container = { HOSTNAME: 'localhost' };
      const before = await bind(`before-${file}`, container);
      expect(before.address, 'where the original binds with HOST unset').toBe(unchanged ? nodeDefault : '127.0.0.1');
      const after = await bind(`after-${file}`, container);
      expect(after.address).toBe(unset === 'node' ? nodeDefault : unset);
      const configured = await bind(`after-${file}`, { ...container, HOST: '127.0.0.2' });
      expect(configured.address, 'HOST decides when set').toBe('127.0.0.2');
    }, 120_000);
  }

  it('the rewrites read as written by hand', () => {
    expect(rewritten.get('express.cjs')).toContain('const HOST = process.env.HOST;\napp.listen({ port: Number(process.env.PORT), host: HOST }, () => {});');
    expect(rewritten.get('nest-express.ts')).toContain("await app.listen(Number(process.env.PORT), process.env.HOST || '');");
    expect(rewritten.get('hapi.cjs')).toContain('host: process.env.HOST }');
  });
});
