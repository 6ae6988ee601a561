import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEANUP_TIMEOUT_MS, removeQuietly } from '../helpers/scratch';
import { runSigtermScenario } from '../helpers/sigterm-harness';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'index.js');
const service = join(mkdtempSync(join(tmpdir(), 'deploy-safe-e2e-')), 'example-service');

/** Every problem seed 000 describes, as `rule file:line` in the bundled example. */
const KNOWN_PROBLEMS = [
  'listen-requires-host src/server.ts:46',
  'no-db-push-script package.json:10', // prestart: `prisma db push` on every start...
  'no-db-push-script package.json:10', // ...with --accept-data-loss...
  'no-db-push-script package.json:10', // ...and `|| true`
  'no-file-logger-in-prod src/utils/logger.ts:14', // logs/error.log
  'no-file-logger-in-prod src/utils/logger.ts:15', // logs/combined.log
  'no-file-logger-in-prod src/utils/logger.ts:21', // the only Console transport is dev-only
  'no-findunique-then-create prisma/seed.ts:18', // the admin seed's read-then-create
  'no-multiple-prisma-clients prisma/seed.ts:4', // the seed's private client
  // (the seed's own adapter pool is not reported: a seed is a script of its own, no request waits on it)
  'pg-pool-requires-timeout src/config/database.ts:4', // the shared client's adapter pool waits forever for a connection
  'shutdown-must-close-server src/server.ts:34', // SIGINT handler never closes the server
  'shutdown-must-close-server src/server.ts:40', // SIGTERM handler never closes the server
  'shutdown-must-close-server src/server.ts:46', // app.listen()'s server thrown away
];

async function deploySafe(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    if (code !== 1) throw new Error(`deploy-safe ${args.join(' ')} exited ${code}: ${stderr}`);
    return { code, stdout };
  }
}

async function findings(): Promise<string[]> {
  const { stdout } = await deploySafe('check', service, '--format=json');
  const report = JSON.parse(stdout) as { findings: { rule: string; file: string; line: number }[]; unparsable: unknown[] };
  expect(report.unparsable).toEqual([]);
  return report.findings.map((finding) => `${finding.rule} ${finding.file}:${finding.line}`).sort();
}

beforeAll(() => {
  cpSync(join(root, 'example'), service, { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(service, 'node_modules'), 'dir');
});
afterAll(() => removeQuietly(join(service, '..')), CLEANUP_TIMEOUT_MS);

describe('the bundled example service, fixed end to end', () => {
  it('check reports exactly the known problems', async () => {
    expect(await findings()).toEqual([...KNOWN_PROBLEMS].sort());
  });

  it('fix rewrites it and check then reports nothing', async () => {
    const { code, stdout } = await deploySafe('fix', service);
    expect(stdout).not.toMatch(/[1-9]\d* failed/);
    expect(await findings()).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('the fixed service type-checks against the real type packages and a generated Prisma client', async () => {
    await execFileAsync(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], {
      cwd: service,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', DATABASE_URL: 'postgresql://user@127.0.0.1:5432/db' },
    });
    expect(existsSync(join(service, 'src', 'generated', 'prisma', 'client.ts'))).toBe(true);
    const typecheck = await execFileAsync(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', service]).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout, failed: true }),
    );
    expect(typecheck.stdout).toBe('');
  }, 120_000);

  it('the fixed server drains its in-flight requests on SIGTERM, then disconnects and exits 0', async () => {
    const outcome = await runSigtermScenario({
      entry: 'src/server.ts',
      cwd: service,
      env: { EXPORT_DELAY_MS: '1000', DATABASE_URL: 'postgresql://user@127.0.0.1:1/unused' },
      nodeArgs: ['--require', join(__dirname, 'record-disconnect.cjs')],
      slowPath: '/api/reports/export',
      fastPath: '/api',
    });
    expect(outcome.slow.map((request) => request.status ?? request.error)).toEqual([200, 200, 200, 200]);
    expect(outcome.newConnection).toBe('refused');
    expect(outcome.disconnects).toHaveLength(1);
    expect(outcome.responsesFinished).toHaveLength(5);
    expect(outcome.disconnects[0]).toBeGreaterThanOrEqual(Math.max(...outcome.responsesFinished));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.exitedAt - outcome.signalAt).toBeLessThan(2500);
  }, 60_000);

  it('leaves the repository example untouched', () => {
    expect(readFileSync(join(root, 'example', 'src', 'server.ts'), 'utf8')).toContain('app.listen(PORT, () => {');
  });
});
