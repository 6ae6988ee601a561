import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/shutdown-must-close-server';
import { runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';
import { runSigtermScenario, type SigtermOutcome } from '../helpers/sigterm-harness';

const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures', 'shutdown-must-close-server');
const workDir = scratchDirectory('deploy-safe-sigterm-');

/** The shutdown shapes real services use, each a real server with a 1 s route and a database stand-in. */
const shapes = [
  { name: 'the seed: Express, two inline handlers that disconnect and exit, listen() dropped', file: 'server.ts' },
  { name: 'Express, a named arrow const for both signals, server.close() then exit without waiting', file: 'express-close-without-wait.ts' },
  { name: 'Fastify, a promise chain db.$disconnect().then(() => process.exit(0)), the instance never closed', file: 'fastify-promise-chain.ts' },
  { name: 'Koa, a forEach over the signal names, listen() dropped', file: 'koa-foreach.ts' },
  { name: 'Hapi, disconnect in a try and exit in its finally, the server never stopped', file: 'hapi-try-finally.ts' },
  {
    name: 'NestJS on Express, handlers in the bootstrap that disconnect and exit, the app never closed (its PrismaService disconnects in onModuleDestroy)',
    file: 'nest-express.ts',
  },
  { name: 'NestJS on Express with no signal handler and no enableShutdownHooks()', file: 'nest-no-hooks.ts' },
  { name: 'NestJS on FastifyAdapter with no signal handler and no enableShutdownHooks()', file: 'nest-fastify-no-hooks.ts' },
];

beforeAll(async () => {
  symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  // The Nest fixtures' app, imported by their bootstraps (the part the codemod rewrites).
  cpSync(join(fixtures, 'nest-app.ts'), join(workDir, 'nest-app.ts'));
  // What the rule's fix used to be for Nest, measured beside the rewrite that replaced it.
  const withHooks = readFileSync(join(fixtures, 'nest-no-hooks.ts'), 'utf8').replace(/^(\s*)(await app\.listen)/m, '$1app.enableShutdownHooks();\n$1$2');
  writeFileSync(join(workDir, 'enable-shutdown-hooks-nest.ts'), withHooks);
  for (const { file } of shapes) {
    const original = readFileSync(join(fixtures, file), 'utf8');
    writeFileSync(join(workDir, `original-${file}`), original);
    const run = await runCodemod(transform, original, join(workDir, `rewritten-${file}`));
    expect(run.reports, file).toEqual([]);
    expect(run.changed, file).toBe(true);
    writeFileSync(join(workDir, `rewritten-${file}`), run.output);
  }
}, 60_000);

const scenario = (entry: string, signal: 'SIGTERM' | 'SIGINT') =>
  runSigtermScenario({ entry, cwd: workDir, slowPath: '/slow', fastPath: '/fast', slowRequests: 4, signalAfterMs: 200, signal });

for (const { name, file } of shapes) {
  describe(name, () => {
    it('as written, SIGTERM cuts the requests in flight', async () => {
      const outcome = await scenario(`original-${file}`, 'SIGTERM');
      expect(outcome.slow.every((request) => request.status === undefined)).toBe(true);
      expect(outcome.slow.map((request) => request.error)).toContain('ECONNRESET');
    }, 60_000);

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      describe(`rewritten, on ${signal}`, () => {
        let outcome: SigtermOutcome;
        beforeAll(async () => {
          outcome = await scenario(`rewritten-${file}`, signal);
        }, 60_000);

        it('answers every in-flight request with 200', () => {
          expect(outcome.slow.map((request) => request.status ?? request.error)).toEqual([200, 200, 200, 200]);
        });

        it('refuses new connections once it is draining', () => {
          expect(outcome.newConnection).toBe('refused');
        });

        it('disconnects the database only after the last response', () => {
          expect(outcome.disconnects).toHaveLength(1);
          // Both on the server's clock: one quick response, then the four slow ones.
          expect(outcome.responsesFinished).toHaveLength(5);
          expect(outcome.disconnects[0]).toBeGreaterThanOrEqual(Math.max(...outcome.responsesFinished));
        });

        it('exits 0 well within the deadline (4 s on SIGINT, 8 s on SIGTERM), without waiting for keepAliveTimeout', () => {
          expect(outcome.exitCode, outcome.stderr).toBe(0);
          // The requests need about 0.8 s more after the signal; an un-swept keep-alive socket would add 5 s.
          expect((outcome.exitedAt - outcome.signalAt) / 1000).toBeLessThan(2.5);
        });
      });
    }
  });
}

describe('NestJS on Express with enableShutdownHooks() alone (Nest 11.2)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: answers the requests, but disconnects the database before the last response, waits for idle keep-alive sockets and dies by the signal`, async () => {
      const outcome = await scenario('enable-shutdown-hooks-nest.ts', signal);
      expect(outcome.slow.map((request) => request.status ?? request.error)).toEqual([200, 200, 200, 200]);
      // onModuleDestroy runs before Nest stops its HTTP server.
      expect(outcome.disconnects[0]).toBeLessThan(Math.max(...outcome.responsesFinished));
      // Nest re-raises the signal after its hooks: no exit code, and past Fly's 5 s on keepAliveTimeout.
      expect(outcome.exitCode).toBeNull();
      expect((outcome.exitedAt - outcome.signalAt) / 1000).toBeGreaterThan(5);
    }, 60_000);
  }
});

describe('two files: the Prisma module registers the handlers (disconnect, exit), the server is started in server.ts', () => {
  const original = join(workDir, 'two-file-original');
  const rewritten = join(workDir, 'two-file-rewritten');
  beforeAll(async () => {
    cpSync(join(fixtures, 'two-file'), original, { recursive: true });
    cpSync(join(fixtures, 'two-file'), rewritten, { recursive: true });
    const db = join(rewritten, 'db.ts');
    const run = await runCodemod(transform, readFileSync(db, 'utf8'), db);
    expect(run.changed).toBe(true);
    expect(run.reports).toEqual([
      "moved this module's SIGTERM/SIGINT shutdown to `server.ts`, where the server is started: it closes the server there, then runs this cleanup, and this module no longer exits the process",
    ]);
    writeFileSync(db, run.output);
    expect(run.output).not.toMatch(/process\.(?:on|exit)\(/);
  }, 60_000);

  const twoFileScenario = (cwd: string, signal: 'SIGTERM' | 'SIGINT') =>
    runSigtermScenario({ entry: 'server.ts', cwd, slowPath: '/slow', fastPath: '/fast', slowRequests: 4, signalAfterMs: 200, signal });

  it('as written, SIGTERM cuts the requests in flight', async () => {
    const outcome = await twoFileScenario(original, 'SIGTERM');
    expect(outcome.slow.map((request) => request.error)).toContain('ECONNRESET');
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`rewritten, on ${signal}: 200 for the requests in flight, new connections refused, the database disconnected after the last response, exit 0`, async () => {
      const outcome = await twoFileScenario(rewritten, signal);
      expect(outcome.slow.map((request) => request.status ?? request.error)).toEqual([200, 200, 200, 200]);
      expect(outcome.newConnection).toBe('refused');
      expect(outcome.disconnects).toHaveLength(1);
      expect(outcome.responsesFinished).toHaveLength(5);
      expect(outcome.disconnects[0]).toBeGreaterThanOrEqual(Math.max(...outcome.responsesFinished));
      expect(outcome.exitCode, outcome.stderr).toBe(0);
      expect((outcome.exitedAt - outcome.signalAt) / 1000).toBeLessThan(2.5);
      // The log line moved with the cleanup names the signal received.
      expect(outcome.stdout).toContain(`${signal} received: disconnecting`);
    }, 60_000);
  }
});
