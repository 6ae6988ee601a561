import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/shutdown-must-close-server';
import { runCodemod } from '../helpers/run-codemod';
import { scratchDirectory } from '../helpers/scratch';
import { runSigtermScenario, type SigtermOutcome } from '../helpers/sigterm-harness';

const root = join(__dirname, '..', '..');
const workDir = scratchDirectory('deploy-safe-sigterm-');
const original = readFileSync(join(__dirname, 'fixtures', 'shutdown-must-close-server', 'server.ts'), 'utf8');

beforeAll(async () => {
  symlinkSync(join(root, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  writeFileSync(join(workDir, 'original.ts'), original);
  const run = await runCodemod(transform, original, join(workDir, 'rewritten.ts'));
  expect(run.changed).toBe(true);
  writeFileSync(join(workDir, 'rewritten.ts'), run.output);
});

const scenario = (entry: string) =>
  runSigtermScenario({ entry, cwd: workDir, slowPath: '/slow', fastPath: '/fast', slowRequests: 4, signalAfterMs: 200 });

describe('SIGTERM with requests in flight, on a real Express server', () => {
  it('the seed pattern cuts the in-flight requests', async () => {
    const outcome = await scenario('original.ts');
    expect(outcome.slow.map((request) => request.error ?? request.status)).toContain('ECONNRESET');
    expect(outcome.slow.every((request) => request.status === undefined)).toBe(true);
  }, 60_000);

  let rewritten: SigtermOutcome;
  it('the codemod output answers every in-flight request with 200', async () => {
    rewritten = await scenario('rewritten.ts');
    expect(rewritten.slow.map((request) => request.status ?? request.error)).toEqual([200, 200, 200, 200]);
  }, 60_000);

  it('refuses new connections once it is draining', () => {
    expect(rewritten.newConnection).toBe('refused');
  });

  it('disconnects the database only after the last response', () => {
    expect(rewritten.disconnects).toHaveLength(1);
    // Both on the server's clock: one quick response, then the four slow ones.
    expect(rewritten.responsesFinished).toHaveLength(5);
    expect(rewritten.disconnects[0]).toBeGreaterThanOrEqual(Math.max(...rewritten.responsesFinished));
  });

  it('exits 0 well before the 8 s deadline, without waiting for keepAliveTimeout', () => {
    expect(rewritten.exitCode).toBe(0);
    const secondsToExit = (rewritten.exitedAt - rewritten.signalAt) / 1000;
    // The requests need about 0.8 s more after the signal; an un-swept keep-alive socket would add 5 s.
    expect(secondsToExit).toBeLessThan(2.5);
  });
});
