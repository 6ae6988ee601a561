import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/pg-pool-requires-timeout';
import { runCodemod } from '../helpers/run-codemod';
import { CLEANUP_TIMEOUT_MS, removeQuietly } from '../helpers/scratch';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../helpers/postgres';

const root = join(__dirname, '..', '..');
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`pg-pool-requires-timeout proof skipped: ${unavailable}`);

/** The timeout the codemod writes here: short, so the proof is quick; the rule's default is 10000. */
const TIMEOUT_MS = 1000;

interface Observation {
  settled: boolean;
  ms?: number;
  error?: string;
}
interface Scenario {
  observedAfterMs: number;
  atObservation: Observation;
  finally: Observation;
  recovered: { ok: boolean; ms: number; error?: string };
}
type Results = Record<'pg' | 'prisma', Scenario>;

describe.skipIf(unavailable !== undefined)('an exhausted pool on a real PostgreSQL 15: pg.Pool and Prisma 7 PrismaPg, max 2, both connections in pg_sleep(3)', () => {
  let server: PostgresServer;
  let project: string;
  let fixed: string;
  const results: Record<string, Results> = {};

  beforeAll(async () => {
    // 54329 is the read-then-create proof's.
    server = startPostgres(54331);
    project = mkdtempSync(join(tmpdir(), 'deploy-safe-pool-'));
    cpSync(join(__dirname, 'fixtures', 'pg-pool-requires-timeout'), project, { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    const env = { ...process.env, DATABASE_URL: server.url, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' };
    execFileSync(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], { cwd: project, env, stdio: 'pipe' });

    const original = readFileSync(join(project, 'db.ts'), 'utf8');
    const run = await runCodemod(transform, original, join(project, 'fixed.ts'), { 'connection-timeout-millis': String(TIMEOUT_MS) });
    expect(run.reports).toEqual([]);
    fixed = run.output;
    writeFileSync(join(project, 'original.ts'), original);
    writeFileSync(join(project, 'fixed.ts'), fixed);
    for (const variant of ['original', 'fixed']) {
      const output = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), 'exhaust.ts', variant], { cwd: project, env, encoding: 'utf8' });
      results[variant] = JSON.parse(output.trim().split('\n').at(-1)!) as Results;
    }
  }, 240_000);

  afterAll(() => {
    server?.stop();
    if (project) return removeQuietly(project);
  }, CLEANUP_TIMEOUT_MS);

  it('the codemod adds connectionTimeoutMillis to both pools and nothing else', () => {
    expect(fixed).toContain(`new Pool({ connectionString, max: 2, connectionTimeoutMillis: ${TIMEOUT_MS} })`);
    expect(fixed).toContain(`new PrismaPg({ connectionString, max: 2, connectionTimeoutMillis: ${TIMEOUT_MS} })`);
  });

  for (const kind of ['pg', 'prisma'] as const) {
    it(`${kind}, original: the query is still waiting ${2 * TIMEOUT_MS} ms later, and runs only when a long query ends`, () => {
      const { atObservation, finally: outcome } = results.original[kind];
      expect(atObservation.settled).toBe(false);
      expect(outcome.error).toBeUndefined();
      // It waited for a holder to finish (3 s after they started, 0.5 s before it was asked).
      expect(outcome.ms).toBeGreaterThan(2000);
    });

    it(`${kind}, fixed: the query fails within the timeout with pg's acquire-timeout error`, () => {
      const { atObservation } = results.fixed[kind];
      expect(atObservation.settled).toBe(true);
      expect(atObservation.error).toMatch(/timeout exceeded when trying to connect/);
      expect(atObservation.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(atObservation.ms).toBeLessThan(TIMEOUT_MS + 700);
    });

    it(`${kind}, fixed: the service recovers once the pool frees`, () => {
      expect(results.fixed[kind].recovered.ok).toBe(true);
      expect(results.original[kind].recovered.ok).toBe(true);
    });
  }
});
