import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transform from '../../codemods/no-multiple-prisma-clients';
import rule from '../../src/rules/no-multiple-prisma-clients';
import { leftWithoutReason, runCodemod } from '../helpers/run-codemod';
import { CLEANUP_TIMEOUT_MS, removeQuietly } from '../helpers/scratch';

const execFileAsync = promisify(execFile);
const root = join(__dirname, '..', '..');
const service = join(mkdtempSync(join(tmpdir(), 'deploy-safe-prisma-proof-')), 'example-service');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', DATABASE_URL: 'postgresql://user@127.0.0.1:5432/db' };

/** Modules with their own clients, beside the example's shared one (src/config/database.ts). */
const EXTRA_FILES: Record<string, string> = {
  // A route module with its own module-level client.
  'src/routes/usage-report.ts': `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });

export const reportsClient = () => prisma;
export const countUsers = () => prisma.user.count();
`,
  // A job that makes a client per call and disconnects it.
  'src/jobs/cleanup.ts': `import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export async function cleanup() {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
  try {
    return await prisma.user.count();
  } finally {
    await prisma.$disconnect();
  }
}
`,
};

beforeAll(() => {
  cpSync(join(root, 'example'), service, { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(service, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(EXTRA_FILES)) {
    mkdirSync(dirname(join(service, file)), { recursive: true });
    writeFileSync(join(service, file), text);
  }
});
afterAll(() => removeQuietly(join(service, '..')), CLEANUP_TIMEOUT_MS);

describe('no-multiple-prisma-clients codemod, proven on the example service against a generated Prisma 7 client', () => {
  it('rewrites the seed, the route module and the per-call job, each left with no finding and no unexplained one', async () => {
    for (const file of ['prisma/seed.ts', 'src/routes/usage-report.ts', 'src/jobs/cleanup.ts']) {
      const path = join(service, file);
      const input = readFileSync(path, 'utf8');
      const run = await runCodemod(transform, input, path);
      expect(run.changed, file).toBe(true);
      expect(leftWithoutReason('no-multiple-prisma-clients', rule, input, run, path)).toEqual([]);
      writeFileSync(path, run.output);
    }
    expect(readFileSync(join(service, 'src/routes/usage-report.ts'), 'utf8')).toContain("import { prisma } from '../config/database';");
    expect(readFileSync(join(service, 'src/jobs/cleanup.ts'), 'utf8')).not.toContain('$disconnect');
  });

  it('the rewritten files type-check (tsc --noEmit) after prisma generate', async () => {
    await execFileAsync(bin('prisma'), ['generate'], { cwd: service, env });
    const typecheck = await execFileAsync(bin('tsc'), ['--noEmit', '-p', service]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(typecheck.stdout).toBe('');
  }, 120_000);

  it('at run time the rewritten modules hold the shared instance: the same object as src/config/database', async () => {
    await execFileAsync(bin('tsc'), ['-p', service, '--outDir', join(service, 'build')], { env }).catch((error: { stdout: string }) => {
      throw new Error(error.stdout);
    });
    const probe = `
      const database = require('./build/src/config/database');
      const reports = require('./build/src/routes/usage-report');
      const seedSource = require('fs').readFileSync('prisma/seed.ts', 'utf8');
      console.log(JSON.stringify({
        sameInReports: reports.reportsClient() === database.prisma,
        defaultIsNamed: database.default === database.prisma,
        seedImportsShared: seedSource.includes("from '../src/config/database'"),
      }));`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', probe], { cwd: service, env });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ sameInReports: true, defaultIsNamed: true, seedImportsShared: true });
  }, 120_000);
});
