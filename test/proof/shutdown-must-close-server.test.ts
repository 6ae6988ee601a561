import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
];

beforeAll(async () => {
  symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');
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
